/**
 * The Grafana stacks of the example app: every synthesized grafana_* resource is valid against the
 * official provider schema v4.45.1 (no Grafana provider binary exists here to plan them), the
 * Grafana alert rules say what the Prometheus rule files say, and the one notification policy
 * routes like the Alertmanager rendering.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { alertmanagerConfig } from "../alerts/render/alertmanager";
import { buildRoutingTree } from "../alerts/routing";
import { isAlert } from "../alerts/ruleModel";
import { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES, synthExampleApp } from "../examples/exampleApp";
import { dashboardUid, DATASOURCE_UID } from "../service/links";
import { loadServicesFiles } from "../service/load";
import { hasGrafanaReferenceSchema, loadGrafanaSchema, validateGrafanaResources } from "./support/grafanaSchema";

type Json = Record<string, any>;
const services = loadServicesFiles(EXAMPLE_SERVICE_FILES);
const work = mkdtempSync(join(tmpdir(), "obs-grafana-"));
synthExampleApp({ outdir: join(work, "out") });
const readStack = (id: string): Json => JSON.parse(readFileSync(join(work, "out", "stacks", id, "cdk.tf.json"), "utf8"));
/** The shared Grafana stack of an environment and its per-service Grafana stacks, merged by resource type. */
const stack = (env: string): Json => {
  const merged: Json = { resource: {}, data: {} };
  for (const id of [`obs-${env}-grafana`, ...services.map((s) => `obs-${env}-${s.name}-grafana`)]) {
    const json = readStack(id);
    for (const kind of ["resource", "data"])
      for (const [type, byName] of Object.entries((json[kind] ?? {}) as Json)) merged[kind][type] = { ...merged[kind][type], ...byName };
  }
  return merged;
};
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hasReference = hasGrafanaReferenceSchema();
if (!hasReference) console.warn("SKIPPED Grafana schema check against the official v4.45.1 schema: ../shared/reference is missing; checking against the committed subset only");

describe.each(["staging", "prod"])("the %s Grafana stacks", (env) => {
  const json = stack(env);
  const resources = json.resource as Json;

  it("is valid against the Grafana provider schema, every resource and block", () => {
    expect(validateGrafanaResources(json, loadGrafanaSchema("subset"))).toEqual([]);
    if (hasReference) expect(validateGrafanaResources(json, loadGrafanaSchema("reference"))).toEqual([]);
  });

  it("keep each service's folder, dashboards and rules in the service's own stack, and the org-wide resources in the shared one", () => {
    const shared = readStack(`obs-${env}-grafana`).resource as Json;
    expect(Object.keys(shared).sort()).toEqual(["grafana_contact_point", "grafana_data_source", "grafana_message_template", "grafana_mute_timing", "grafana_notification_policy"]);
    for (const s of services) {
      const own = readStack(`obs-${env}-${s.name}-grafana`).resource as Json;
      expect(Object.keys(own).sort()).toEqual(["grafana_dashboard", "grafana_folder", "grafana_rule_group"]);
      for (const g of Object.values(own.grafana_rule_group as Json)) for (const r of (g as Json).rule) expect(r.labels.service).toBe(s.name);
      for (const d of Object.values(own.grafana_dashboard as Json)) expect(JSON.parse((d as Json).config_json).uid.startsWith(`${s.name.slice(0, 20)}-`)).toBe(true);
    }
  });

  it("has the AMP, CloudWatch and X-Ray data sources with stable uids", () => {
    const uids = Object.values(resources.grafana_data_source as Json).map((d: Json) => d.uid).sort();
    expect(uids).toEqual([DATASOURCE_UID.cloudwatch(env), DATASOURCE_UID.prometheus(env), DATASOURCE_UID.xray(env)].sort());
  });

  it("has one folder and three parseable dashboards per service, with the uids alerts link to", () => {
    expect(Object.keys(resources.grafana_folder)).toHaveLength(services.length);
    const dashboards = Object.values(resources.grafana_dashboard as Json).map((d: Json) => JSON.parse(d.config_json));
    const expected = services.flatMap((s) => (["operational", "quality", "drift"] as const).map((k) => dashboardUid(s.name, env, k)));
    expect(dashboards.map((d) => d.uid).sort()).toEqual(expected.sort());
  });

  it("has exactly one notification policy, routing like the Alertmanager rendering", () => {
    const policies = Object.values(resources.grafana_notification_policy as Json);
    expect(policies).toHaveLength(1);
    const relay = { smarthost: "smtp.example.com:587", from: "alertmanager@example.com" };
    const am = alertmanagerConfig(buildRoutingTree(services, { defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }), { smtp: relay }) as Json;
    const grafanaRoutes = policies[0].policy.map((team: Json) => ({
      team: team.matcher[0].value,
      routes: team.policy.map((p: Json) => [p.matcher[0].value, p.contact_point, p.repeat_interval, p.mute_timings ?? []]),
    }));
    const amRoutes = am.route.routes.map((t: Json) => ({
      team: /team="(.*)"/.exec(t.matchers[0])![1],
      routes: t.routes.map((r: Json) => [/severity="(.*)"/.exec(r.matchers[0])![1], r.receiver, r.repeat_interval, r.mute_time_intervals ?? []]),
    }));
    expect(grafanaRoutes).toEqual(amRoutes);
    // Every contact point the policy names exists.
    const contactPoints = new Set(Object.values(resources.grafana_contact_point as Json).map((c: Json) => c.name));
    for (const t of grafanaRoutes) for (const r of t.routes) expect(contactPoints.has(r[1])).toBe(true);
    // Alerts of a team nobody routes reach the example's own catch-all contact point, never a placeholder.
    expect(policies[0].contact_point).toBe("catch-all");
    expect(contactPoints.has(policies[0].contact_point)).toBe(true);
  });

  it("reads contact-point secrets from SSM and Secrets Manager, never holding them", () => {
    const text = JSON.stringify(resources.grafana_contact_point);
    expect(text).toContain("${data.aws_ssm_parameter.");
    expect(text).toContain("${data.aws_secretsmanager_secret_version.");
    const secretFields = Object.values(resources.grafana_contact_point as Json).flatMap((c: Json) => [
      ...(c.pagerduty ?? []).map((p: Json) => p.integration_key),
      ...(c.opsgenie ?? []).map((p: Json) => p.api_key),
      ...(c.slack ?? []).map((p: Json) => p.url),
    ]);
    expect(secretFields.length).toBeGreaterThan(0);
    for (const v of secretFields) expect(v).toMatch(/^\$\{data\.aws_(ssm_parameter|secretsmanager_secret_version)\.[^}]+\}$/);
  });

  it("says in its Grafana alert rules exactly what the Prometheus rule files say", () => {
    const grafanaRules = Object.values(resources.grafana_rule_group as Json).flatMap((g: Json) =>
      g.rule.map((r: Json) => {
        const query = JSON.parse(r.data.find((d: Json) => d.ref_id === "A").model);
        return { name: r.name, expr: query.expr, for: r.for, labels: r.labels };
      }),
    );
    const promRules = services.flatMap((s) =>
      serviceRuleGroups(s, { environment: env }).flatMap((g) =>
        g.rules.filter(isAlert).map((a) => ({ name: a.alert, expr: a.expr, for: a.for ?? "0s", labels: a.labels })),
      ),
    );
    const key = (r: { name: string; labels: Json }) => `${r.labels.service}/${r.name}`;
    const sort = <T extends { name: string; labels: Json }>(xs: T[]) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(sort(grafanaRules)).toEqual(sort(promRules));
  });

  it("links every Grafana alert to its dashboard panel", () => {
    for (const g of Object.values(resources.grafana_rule_group as Json))
      for (const r of (g as Json).rule) {
        expect(r.annotations.__dashboardUid__).toMatch(/^[a-z0-9-]+$/);
        expect(r.annotations.runbook_url).toMatch(/^https:\/\//);
        expect(r.annotations.description).not.toMatch(/\$value\b/);
      }
  });
});

describe("Terraform string templates in every synthesized stack", () => {
  it("holds only real Terraform references in ${...}; Grafana's own ${variable} syntax is escaped as $${...}", () => {
    const dir = join(work, "out", "stacks");
    const offenders: string[] = [];
    for (const name of require("node:fs").readdirSync(dir) as string[]) {
      const text = readFileSync(join(dir, name, "cdk.tf.json"), "utf8");
      // `$${` is Terraform's escape for a literal `${`; anything else opens an interpolation.
      for (const m of text.matchAll(/(?<!\$)\$\{([^}]*)\}/g))
        if (!/^(data\.|var\.|terraform\.|[a-z][a-z0-9]*_[a-z0-9_]+\.|[a-z]+\()/.test(m[1])) offenders.push(`${name}: \${${m[1]}}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe("terraformLiteral (the one escaping choke point)", () => {
  const { terraformLiteral, terraformLiteralDeep } = require("../constructs/terraformText") as typeof import("../constructs/terraformText");
  it("escapes Grafana's ${...} and %{...} so Terraform reads them as literal text, and leaves the rest", () => {
    expect(terraformLiteral('{"uid":"${datasource}","q":"${__rate_interval}"}')).toBe('{"uid":"$${datasource}","q":"$${__rate_interval}"}');
    expect(terraformLiteral("%{if x}a%{endif}")).toBe("%%{if x}a%%{endif}");
    expect(terraformLiteral("$${y} and $%{z}")).toBe("$$${y} and $%%{z}");
    expect(terraformLiteral("$model { } % $")).toBe("$model { } % $");
    expect(terraformLiteral("")).toBe("");
  });
  it("keeps cdktf's reference markers and escapes the literal text around them", () => {
    expect(terraformLiteral('url: ${TfToken[TOKEN.12]}/api ${file("x")} %{ if }')).toBe('url: ${TfToken[TOKEN.12]}/api $${file("x")} %%{ if }');
    expect(terraformLiteral("${TfToken[TOKEN.1]}${TfToken[TOKEN.2]}")).toBe("${TfToken[TOKEN.1]}${TfToken[TOKEN.2]}");
    expect(() => terraformLiteral("cost: $${TfToken[TOKEN.3]}")).toThrow(/right before a Terraform reference/);
  });
  it("walks plain objects and arrays (keys too) and leaves other objects alone", () => {
    class Ref {
      constructor(readonly v: string) {}
    }
    const ref = new Ref("${keep}");
    const input = { a: ["${x}", { "${k}": "%{y}" }], b: ref, c: 1, d: null };
    expect(terraformLiteralDeep(input)).toEqual({ a: ["$${x}", { "$${k}": "%%{y}" }], b: ref, c: 1, d: null });
    expect(input.a[0]).toBe("${x}"); // the input is not modified
    const plain = { a: ["x"], b: { c: "y" } };
    expect(terraformLiteralDeep(plain)).toBe(plain); // nothing to escape: the same object back
  });
});
