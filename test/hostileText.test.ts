/**
 * Hostile text in every free-text field of a description, through the real engines (fast-check,
 * fixed seed). Strings mix Terraform template syntax (`${file(...)}`, `%{ if }`, `$${`, `%%{`),
 * quotes, backslashes, PromQL and YAML punctuation and unicode. Each generated description that
 * validates must:
 *  - give rule files `promtool check rules` accepts and an Alertmanager config `amtool check-config`
 *    accepts (many descriptions, cheap engines);
 *  - synthesize to stacks whose AWS side passes `terraform validate` and whose Grafana side fits the
 *    provider schema, and in which Terraform sees every string exactly as the project wrote it: every
 *    literal string of every stack is evaluated by Terraform itself (as outputs of a provider-less
 *    configuration, applied offline) and must equal the text with only Terraform's escapes undone;
 *    the owner tag Terraform sees equals the input; the rule file Terraform hands AMP passes promtool
 *    and matches the model name and selector values exactly as PromQL strings.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import * as fc from "fast-check";
import { parse } from "yaml";
import { quote } from "../alerts/promql";
import { alertmanagerFiles, serviceRuleFile } from "../cli/ruleFiles";
import { buildObservabilityApp } from "../constructs/stacks";
import { serviceDashboards } from "../dashboards";
import type { ServiceModel } from "../service/model";
import { normalizeService, ValidationError } from "../service/normalize";
import { checkRules, promtoolMissing } from "./support/promtool";
import { loadGrafanaSchema, validateGrafanaResources } from "./support/grafanaSchema";
import { initStack, stackNames, startStubSts, terraformAvailability } from "./support/terraform";
import { EXAMPLE_DEFAULT_RECEIVER } from "../examples/exampleApp";

const SEED = 20261202;
const work = mkdtempSync(join(tmpdir(), "mlobs-hostile-text-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Pieces an attacker (or an unlucky author) puts in text; joined with random printable unicode.
const PIECES = ['${file("/etc/hostname")}', "${", "%{ if true }", "%{", "$${", "%%{", "}", "$", "%", '"', "'", "\\", "`", "|", "{{ .Labels }}", "<b>", "#", ": ", "- ", "é", "中", "🚀", " "];
const printable = fc.string({ unit: fc.constantFrom(..."abcXYZ019 -_.:/=~!?*&^()[]@"), maxLength: 6 });
const hostile = (maxLength: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...PIECES), printable), { minLength: 1, maxLength: 8 })
    .map((parts) => parts.join("").slice(0, maxLength).trim())
    .filter((s) => s.length > 0);

interface Fields {
  readonly owner: string;
  readonly sloDescription: string;
  readonly model: string;
  readonly provider: string;
  readonly selectorValue: string;
  readonly cacheHit: string;
  readonly spanStatusError: string;
  /** Local part of the ticket address (no space or @, as the address pattern asks). */
  readonly mailbox: string;
}
const fieldsArb: fc.Arbitrary<Fields> = fc.record({
  owner: hostile(100),
  sloDescription: hostile(200),
  model: hostile(100),
  provider: hostile(50),
  selectorValue: hostile(200),
  cacheHit: hostile(200),
  spanStatusError: hostile(200),
  mailbox: hostile(60).map((x) => x.replace(/[\s@]/g, "_")),
});

function description(i: number, f: Fields): Record<string, unknown> {
  return {
    name: `hostile-${i}`,
    team: `team-${i}`,
    owner: f.owner,
    kind: "rag-pipeline",
    environments: ["prod"],
    selector: { job: f.selectorValue },
    stages: [{ name: "retrieve", latencyTargetSeconds: 0.32 }],
    slos: [
      { name: "availability", objectivePercent: 99.9, availability: {}, description: f.sloDescription },
      { name: "latency", objectivePercent: 99, latency: { thresholdSeconds: 2.56, stage: "retrieve" } },
    ],
    models: [{ name: f.model, provider: f.provider, inputPricePer1kTokens: 0.001, outputPricePer1kTokens: 0.002 }],
    cost: { hourlyBudgetUsd: 10 },
    metrics: { values: { cacheHit: f.cacheHit, spanStatusError: f.spanStatusError } },
    alerting: {
      page: { type: "pagerduty", secret: `ssm:/observability/team-${i}/pagerduty` },
      ticket: { type: "email", addresses: [`${f.mailbox}@example.com`] },
      runbookBaseUrl: "https://runbooks.example.com/$money%25",
    },
  };
}

/** Valid services from the seeded samples; every rejection must be a ValidationError (never a crash). */
function hostileServices(count: number, seedOffset: number): { models: ServiceModel[]; fields: Fields[] } {
  const models: ServiceModel[] = [];
  const fields: Fields[] = [];
  for (const f of fc.sample(fieldsArb, { seed: SEED + seedOffset, numRuns: count })) {
    try {
      models.push(normalizeService(description(models.length, f)));
      fields.push(f);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
    }
  }
  return { models, fields };
}

/** What Terraform makes of a JSON string in its configuration when it holds no reference: its escapes undone. */
function unescapeTerraform(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    if ((s[i] === "$" || s[i] === "%") && s[i + 1] === s[i] && s[i + 2] === "{") {
      out += `${s[i]}{`;
      i += 2;
    } else out += s[i];
  }
  return out;
}
/** The `${`/`%{` sequences Terraform would evaluate (escapes removed first), with what follows up to `}`. */
const liveTemplates = (s: string) => [...s.replace(/\$\$\{|%%\{/g, "").matchAll(/[$%]\{[^}]*\}?/g)].map((m) => m[0]);
const hasLiveTemplate = (s: string) => liveTemplates(s).length > 0;
// What the project itself interpolates: references to resources, data sources, variables and
// cross-stack outputs, and the deploy token's `timestamp()`. Nothing else may be live.
const PROJECT_INTERPOLATION = /^\$\{(?:(?:data\.|var\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+|\[[0-9]+\])*|timestamp\(\))\}$/;

interface Leaf {
  readonly stack: string;
  readonly path: string;
  readonly value: string;
}
/** Every string attribute value of every resource, data source and provider of a stack. */
function stringLeaves(stack: string, json: Record<string, unknown>): Leaf[] {
  const out: Leaf[] = [];
  const walk = (v: unknown, path: string) => {
    if (typeof v === "string") out.push({ stack, path, value: v });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "//") walk(x, `${path}.${k}`);
  };
  for (const section of ["resource", "data", "provider"]) walk(json[section], section);
  return out;
}

/** The stack's synthesized configuration. */
const stackJson = (stacksDir: string, stack: string) => JSON.parse(readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8")) as Record<string, unknown>;

/** Synthesizes the services into `outdir`; the string leaves of every stack that hold no live template. */
function literalLeaves(models: ServiceModel[], outdir: string): Leaf[] {
  const app = new App({ outdir });
  buildObservabilityApp(app, { services: models, environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }] });
  app.synth();
  const leaves: Leaf[] = [];
  for (const stack of stackNames(outdir)) leaves.push(...stringLeaves(stack, stackJson(join(outdir, "stacks"), stack)));
  return leaves.filter((l) => !hasLiveTemplate(l.value));
}

/**
 * What Terraform evaluates each literal leaf to, in leaf order: each leaf is an output of a
 * configuration with no provider (in `evalDir`), so the same template rules as in a resource
 * attribute, and nothing to reach over the network.
 */
function evaluateWithTerraform(leaves: readonly Leaf[], evalDir: string): string[] {
  mkdirSync(evalDir, { recursive: true });
  const output = Object.fromEntries(leaves.map((l, i) => [`v${i}`, { value: l.value }]));
  writeFileSync(join(evalDir, "main.tf.json"), JSON.stringify({ output }));
  const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
  for (const args of [["init", "-input=false"], ["apply", "-auto-approve", "-input=false", "-lock=false"]]) {
    const r = spawnSync("terraform", [...args, "-no-color"], { cwd: evalDir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`terraform ${args[0]} of the literal strings failed:\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  }
  const r = spawnSync("terraform", ["output", "-json"], { cwd: evalDir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const values = JSON.parse(r.stdout) as Record<string, { value: string }>;
  return leaves.map((_, i) => values[`v${i}`].value);
}

/** `terraform validate` in an initialized stack folder, with the CLI config `initStack` wrote under `workDir`. */
function terraformValidate(stacksDir: string, stack: string, workDir: string) {
  return spawnSync("terraform", ["validate", "-no-color"], {
    cwd: join(stacksDir, stack),
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(workDir, "terraform.tfrc"), CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
}

const tf = terraformAvailability();
const promtool = promtoolMissing();
const amtoolMissing = spawnSync("amtool", ["--version"]).error !== undefined;
if (!tf.ok) console.warn(`SKIPPED hostile text through Terraform: ${tf.reason}`);
if (promtool) console.warn(`SKIPPED hostile text through promtool: ${promtool}`);
if (amtoolMissing) console.warn("SKIPPED hostile text through amtool: amtool is not installed (apt-get install prometheus-alertmanager)");

describe("hostile text in every free-text field", () => {
  const many = hostileServices(60, 0);

  it("most samples validate (the generator exercises the output, not only the validator)", () => {
    expect(many.models.length).toBeGreaterThanOrEqual(40);
  });

  (promtool ? it.skip : it)("every rule file promtool checks, for every validated sample", () => {
    const dir = join(work, "rules");
    mkdirSync(dir, { recursive: true });
    const files = many.models.map((m) => {
      const file = join(dir, `${m.name}.rules.yaml`);
      writeFileSync(file, serviceRuleFile(m, { environment: "prod" }));
      return file;
    });
    const r = spawnSync("promtool", ["check", "rules", ...files], { encoding: "utf8" });
    expect({ status: r.status, out: r.status === 0 ? "" : `${r.stdout}\n${r.stderr}`.slice(-3000) }).toEqual({ status: 0, out: "" });
  });

  (amtoolMissing ? it.skip : it)("the Alertmanager config of all validated samples passes amtool check-config", () => {
    const dir = join(work, "am");
    mkdirSync(dir, { recursive: true });
    const relay = { smarthost: "smtp.example.com:587", from: "alertmanager@example.com" };
    const { config, template } = alertmanagerFiles(many.models, { defaultReceiver: EXAMPLE_DEFAULT_RECEIVER, smtp: relay });
    writeFileSync(join(dir, "alertmanager.yml"), config);
    writeFileSync(join(dir, "mlobs.tmpl"), template);
    const r = spawnSync("amtool", ["check-config", join(dir, "alertmanager.yml")], { encoding: "utf8" });
    expect({ status: r.status, out: r.status === 0 ? "" : `${r.stdout}\n${r.stderr}` }).toEqual({ status: 0, out: "" });
  });
});

(tf.ok ? describe : describe.skip)("hostile text through cdktf and Terraform (offline)", () => {
  const { models, fields } = hostileServices(8, 1000);
  const outdir = join(work, "cdktf.out");
  const stacksDir = join(outdir, "stacks");
  let sts: { url: string; stop: () => Promise<void> };
  let leaves: Leaf[] = [];
  /** What Terraform evaluated each literal leaf to, in leaf order. */
  let seen: string[] = [];

  beforeAll(async () => {
    leaves = literalLeaves(models, outdir);
    seen = evaluateWithTerraform(leaves, join(work, "evaluate"));
    sts = await startStubSts();
  });
  afterAll(async () => {
    await sts?.stop();
  });

  it("synthesizes hostile text for several services", () => {
    expect(models.length).toBeGreaterThanOrEqual(5);
    expect(leaves.length).toBeGreaterThan(500);
  });

  it("the only strings Terraform interpolates hold the project's own references, never text from a description", () => {
    const live = new Set<string>();
    for (const stack of stackNames(outdir))
      for (const l of stringLeaves(stack, stackJson(stacksDir, stack)))
        for (const t of liveTemplates(l.value)) if (!PROJECT_INTERPOLATION.test(t)) live.add(`${l.stack} ${l.path}: ${t.slice(0, 80)}`);
    expect([...live]).toEqual([]);
  });

  it("Terraform sees every literal string exactly as written, with only its escapes undone", () => {
    const differ = leaves.flatMap((l, i) => (seen[i] === unescapeTerraform(l.value) ? [] : [`${l.stack} ${l.path}: ${JSON.stringify(seen[i]).slice(0, 120)}`]));
    expect(differ).toEqual([]);
  });

  it("the owner tag Terraform sees is the owner as written, on every tagged AWS resource", () => {
    models.forEach((m, i) => {
      const owners = leaves.flatMap((l, j) => (l.stack === `obs-prod-${m.name}` && l.path.endsWith(".tags.owner") ? [seen[j]] : []));
      expect(owners.length).toBeGreaterThan(5);
      expect(new Set(owners)).toEqual(new Set([fields[i].owner]));
    });
  });

  (promtool ? it.skip : it)("the rule file Terraform hands AMP passes promtool and carries model and selector as exact PromQL strings", () => {
    models.forEach((m, i) => {
      const j = leaves.findIndex((l) => l.stack === `obs-prod-${m.name}` && /^resource\.aws_prometheus_rule_group_namespace\.[^.]+\.data$/.test(l.path));
      expect(j).toBeGreaterThanOrEqual(0);
      checkRules(seen[j]);
      const exprs = (parse(seen[j]) as { groups: { rules: { expr: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.expr));
      expect(exprs.some((e) => e.includes(`job=${quote(fields[i].selectorValue)}`))).toBe(true);
      expect(exprs.some((e) => e.includes(quote(fields[i].model)))).toBe(true);
    });
  });

  it("each dashboard Terraform sees is the generated dashboard, byte for byte", () => {
    models.forEach((m) => {
      const expected = serviceDashboards(m, { environment: "prod" }).map((d) => d.json);
      const got = leaves.flatMap((l, j) => (l.stack === `obs-prod-${m.name}-grafana` && l.path.endsWith(".config_json") ? [seen[j]] : []));
      expect(got.sort()).toEqual(expected.sort());
    });
  });

  it("the Grafana stacks fit the provider schema", () => {
    const schema = loadGrafanaSchema("subset");
    for (const stack of stackNames(outdir).filter((s) => s.endsWith("-grafana")))
      expect([stack, validateGrafanaResources(stackJson(stacksDir, stack), schema)]).toEqual([stack, []]);
  });

  it("terraform validate passes on every AWS stack", async () => {
    const run = { stacksDir, workDir: work, mirror: (tf as { mirror: string }).mirror, stsUrl: sts.url };
    const aws = stackNames(outdir).filter((s) => !s.endsWith("-grafana"));
    expect(aws.length).toBe(models.length + 1);
    for (const stack of aws) {
      await initStack(run, stack);
      const r = terraformValidate(stacksDir, stack, work);
      expect([stack, r.status, r.status === 0 ? "" : r.stderr]).toEqual([stack, 0, ""]);
    }
  });
});
