/**
 * The Grafana provider bindings in .gen/providers/grafana: generated from the committed schema
 * subset and up to date with it; the subset true to the official v4.45.1 schema; and what the
 * bindings synthesize accepted by that schema.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Testing, TerraformStack } from "cdktf";
import { Dashboard } from "../.gen/providers/grafana/dashboard";
import { Folder } from "../.gen/providers/grafana/folder";
import { GrafanaProvider } from "../.gen/providers/grafana/provider";
import { RuleGroup } from "../.gen/providers/grafana/rule-group";
import {
  CODE_MAKER_OUTPUT,
  GENERATED_PATHS,
  generateGrafanaBindings,
  readGrafanaSchemaSubset,
} from "../scripts/generate-grafana-bindings";
import {
  GRAFANA_PROVIDER_ADDRESS,
  GRAFANA_PROVIDER_VERSION,
  GRAFANA_RESOURCES,
  renderGrafanaSchemaSubset,
} from "../scripts/make-grafana-schema-subset";
import { GRAFANA_REFERENCE_PATH, GRAFANA_SUBSET_PATH, hasGrafanaReferenceSchema, loadGrafanaSchema, validateGrafanaResources } from "./support/grafanaSchema";

type ProviderEntry = { provider: unknown; resource_schemas: Record<string, unknown>; data_source_schemas?: Record<string, unknown> };
type SchemaFile = { provider_schemas: Record<string, ProviderEntry>; provider_versions?: Record<string, string> };

/** Relative path -> contents of every file below `root`. */
function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, "utf8"));
    }
  };
  walk(root);
  return files;
}

function readGenerated(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const p of GENERATED_PATHS) {
    const path = join(root, p);
    if (statSync(path).isDirectory()) for (const [f, text] of readTree(path)) files.set(join(p, f), text);
    else files.set(p, readFileSync(path, "utf8"));
  }
  return files;
}

describe("generated Grafana bindings", () => {
  it("are what `npm run gen:grafana` makes from the committed subset, byte for byte", async () => {
    const out = mkdtempSync(join(tmpdir(), "grafana-bindings-test-"));
    try {
      const written = await generateGrafanaBindings(readGrafanaSchemaSubset(), out);
      const fresh = readGenerated(out);
      const committed = readGenerated(CODE_MAKER_OUTPUT);
      expect(written).toEqual([...fresh.keys()].sort());
      expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
      const stale = [...fresh.keys()].filter((f) => committed.get(f) !== fresh.get(f));
      if (stale.length > 0) throw new Error(`out of date (run npm run gen:grafana): ${stale.join(", ")}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("have one module per resource, the provider and the two index files", () => {
    expect(readdirSync(join(CODE_MAKER_OUTPUT, "providers/grafana")).sort()).toEqual([
      "contact-point",
      "dashboard",
      "data-source",
      "folder",
      "index.ts",
      "lazy-index.ts",
      "message-template",
      "mute-timing",
      "notification-policy",
      "provider",
      "rule-group",
    ]);
    expect(JSON.parse(readFileSync(join(CODE_MAKER_OUTPUT, "versions.json"), "utf8"))).toEqual({
      [GRAFANA_PROVIDER_ADDRESS]: GRAFANA_PROVIDER_VERSION,
    });
  });
});

describe("the committed schema subset", () => {
  const subset = loadGrafanaSchema("subset") as SchemaFile;
  const grafana = subset.provider_schemas[GRAFANA_PROVIDER_ADDRESS];

  it("holds the provider config and exactly the resources the project uses, for v4.45.1", () => {
    expect(Object.keys(subset.provider_schemas)).toEqual([GRAFANA_PROVIDER_ADDRESS]);
    expect(Object.keys(grafana.resource_schemas)).toEqual([...GRAFANA_RESOURCES]);
    expect(grafana.data_source_schemas).toEqual({});
    expect(subset.provider_versions).toEqual({ [GRAFANA_PROVIDER_ADDRESS]: GRAFANA_PROVIDER_VERSION });
  });

  const withReference = hasGrafanaReferenceSchema() ? it : it.skip;
  if (!hasGrafanaReferenceSchema()) {
    console.warn(`SKIPPED subset vs official Grafana provider schema: ${GRAFANA_REFERENCE_PATH} is missing`);
  }

  withReference("agrees with the official v4.45.1 schema: every entry deep-equals the reference's", () => {
    const reference = loadGrafanaSchema("reference") as SchemaFile;
    const official = reference.provider_schemas[GRAFANA_PROVIDER_ADDRESS];
    expect(grafana.provider).toEqual(official.provider);
    for (const type of Object.keys(grafana.resource_schemas)) {
      expect({ type, schema: grafana.resource_schemas[type] }).toEqual({ type, schema: official.resource_schemas[type] });
    }
  });

  withReference("is byte for byte what `npm run gen:grafana-subset` cuts from the reference", () => {
    const reference = JSON.parse(readFileSync(GRAFANA_REFERENCE_PATH, "utf8"));
    expect(readFileSync(GRAFANA_SUBSET_PATH, "utf8") === renderGrafanaSchemaSubset(reference)).toBe(true);
  });
});

describe("a stack built with the generated classes", () => {
  function synth(): object {
    const stack = new TerraformStack(Testing.app(), "grafana-content");
    new GrafanaProvider(stack, "grafana", { url: "https://grafana.example.com", auth: "${var.grafana_token}" });
    const folder = new Folder(stack, "folder", { title: "RAG assistant", uid: "rag-assistant" });
    new Dashboard(stack, "dashboard", {
      folder: folder.uid,
      configJson: JSON.stringify({ title: "RAG assistant: operational", uid: "rag-ops", panels: [] }),
      overwrite: true,
    });
    new RuleGroup(stack, "rules", {
      name: "rag-assistant-slo",
      folderUid: folder.uid,
      intervalSeconds: 60,
      rule: [
        {
          name: "ErrorBudgetBurn",
          condition: "B",
          for: "2m",
          labels: { severity: "page" },
          data: [
            { refId: "A", datasourceUid: "prom", model: "{}", relativeTimeRange: { from: 600, to: 0 } },
            { refId: "B", datasourceUid: "__expr__", model: "{}", relativeTimeRange: { from: 0, to: 0 } },
          ],
        },
      ],
    });
    return JSON.parse(Testing.synth(stack)) as object;
  }

  it("synthesizes resources that the committed subset and the official schema accept", () => {
    const json = synth() as { resource: Record<string, unknown> };
    expect(Object.keys(json.resource).sort()).toEqual(["grafana_dashboard", "grafana_folder", "grafana_rule_group"]);
    expect(validateGrafanaResources(json, loadGrafanaSchema("subset"))).toEqual([]);
    if (hasGrafanaReferenceSchema()) expect(validateGrafanaResources(json, loadGrafanaSchema("reference"))).toEqual([]);
  });

  it("pins the provider to the version the bindings were generated from", () => {
    // cdktf writes the generated provider version, not cdktf.json's constraint, as `cdktf get` would.
    const json = synth() as { terraform: { required_providers: Record<string, unknown> } };
    expect(json.terraform.required_providers.grafana).toEqual({ source: "grafana/grafana", version: GRAFANA_PROVIDER_VERSION });
  });
});

describe("validateGrafanaResources", () => {
  const schema = loadGrafanaSchema("subset");

  it("names the address and attribute path of each problem", () => {
    const stack = {
      provider: { grafana: [{ url: "https://g", tokn: "x" }] },
      resource: {
        aws_s3_bucket: { ignored: { anything: true } },
        grafana_folder: { f: { uid: "x", url: "read-only", prevent_destroy_if_not_empty: "maybe" } },
        grafana_dashboard: { d: { config_json: { not: "a string" }, folder: "${grafana_folder.f.uid}" } },
        grafana_rule_group: {
          r: {
            name: "g",
            folder_uid: "${grafana_folder.f.uid}",
            interval_seconds: "sixty",
            rule: [{ name: "x", condition: "A", data: [{ ref_id: "A", datasource_uid: "p", model: "{}", relative_time_range: [{ from: 1, to: 0 }, { from: 2, to: 0 }] }] }],
          },
        },
        grafana_notification_policy: { p: { contact_point: "c", group_by: "alertname", policy: [{ matcher: [{ label: "a", match: "=", value: "b" }], groupBy: ["x"] }] } },
        grafana_team: { t: { name: "x" } },
      },
    };
    expect(validateGrafanaResources(stack, schema)).toEqual([
      'provider.grafana: tokn: unknown attribute or block',
      "grafana_dashboard.d: config_json: expected string, got an object",
      "grafana_folder.f: url: is read-only (computed by the provider) and cannot be set",
      'grafana_folder.f: prevent_destroy_if_not_empty: expected bool, got "maybe"',
      "grafana_folder.f: title: required attribute is missing",
      "grafana_notification_policy.p: group_by: expected list (JSON array), got \"alertname\"",
      'grafana_notification_policy.p: policy[0].groupBy: unknown attribute or block (did you mean "group_by"?)',
      'grafana_rule_group.r: interval_seconds: expected number, got "sixty"',
      "grafana_rule_group.r: rule[0].data[0].relative_time_range: takes at most 1 block(s), got 2",
      "grafana_team.t: resource type grafana_team is not in the schema",
    ]);
  });

  it("takes interpolations for any type and numbers for strings, as Terraform converts them", () => {
    const stack = {
      resource: {
        grafana_rule_group: {
          r: { name: "g", folder_uid: 12, interval_seconds: "${var.interval}", rule: "${local.rules}" },
        },
      },
    };
    expect(validateGrafanaResources(stack, schema)).toEqual([]);
  });
});
