/**
 * A product team deploying from its own repository against a platform deployed from another:
 *  - the platform publishes its contract as String SSM parameters, no secret among them;
 *  - a team's two stacks (buildTeamServiceStacks), read the platform only through
 *    `ObservabilityPlatform.fromEnvironment`: the AWS stack plans offline against a loopback SSM
 *    answering exactly the parameters the platform stack writes; the Grafana stack holds the
 *    service's dashboards, rules routed per rule and its own contact points, valid against the
 *    Grafana provider schema, and no platform resource;
 *  - per-rule routing uses the timings and business hours the org policy would, and a per-rule
 *    service is left out of the org policy in the one-repository layout too;
 *  - `fromAttributes` takes explicit values.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { buildRoutingTree, OUTSIDE_BUSINESS_HOURS } from "../alerts/routing";
import { ObservabilityPlatform } from "../constructs/ObservabilityPlatform";
import { PLATFORM_PARAMETER_KEYS } from "../constructs/platformContract";
import { ServiceObservability } from "../constructs/ServiceObservability";
import { buildObservabilityApp } from "../constructs/stacks";
import { buildTeamServiceStacks } from "../constructs/teamStacks";
import { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { loadServicesFile, loadServicesFiles } from "../service/load";
import type { ServiceModel } from "../service/model";
import { hasGrafanaReferenceSchema, loadGrafanaSchema, validateGrafanaResources } from "./support/grafanaSchema";
import { initStack, startStubSts, stubValue, terraformAvailability, validateAndPlan, type AwsStub, type PlanResult } from "./support/terraform";

type Json = Record<string, any>;
const [rag, fraud] = ["rag-assistant", "fraud-scoring"].map((n) => loadServicesFiles(EXAMPLE_SERVICE_FILES).find((s) => s.name === n)!);
const perRule = (m: ServiceModel): ServiceModel => ({ ...m, alerting: { ...m.alerting, routing: "per-rule" } });

const work = mkdtempSync(join(tmpdir(), "obs-team-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The platform repository's platform stack for prod, and a team repository's stacks for rag-assistant, synthesized apart. */
const platformOut = join(work, "platform-repo");
const teamOut = join(work, "team-repo");
{
  const app = new App({ outdir: platformOut });
  buildObservabilityApp(app, { services: [], environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }] });
  app.synth();
  const team = new App({ outdir: teamOut });
  // As the team's description would say it; the team stack routes per rule by default anyway.
  buildTeamServiceStacks(team, { environment: { name: "prod", region: "eu-west-1" }, service: rag });
  team.synth();
}
const readStack = (out: string, id: string): Json => JSON.parse(readFileSync(join(out, "stacks", id, "cdk.tf.json"), "utf8"));
const platformStack = readStack(platformOut, "obs-prod-platform");
const teamAws = readStack(teamOut, "obs-prod-rag-assistant");
const teamGrafana = readStack(teamOut, "obs-prod-rag-assistant-grafana");
const published: Json[] = Object.values(platformStack.resource.aws_ssm_parameter);
const ssmReads = (stack: Json): string[] => Object.values((stack.data?.aws_ssm_parameter ?? {}) as Json).map((d: Json) => d.name as string);

describe("the platform's published contract", () => {
  it("is one String parameter per key under /mlobs/<environment>/platform", () => {
    expect(published.map((p) => p.name).sort()).toEqual(PLATFORM_PARAMETER_KEYS.map((k) => `/mlobs/prod/platform/${k}`).sort());
    for (const p of published) expect(p.type).toBe("String");
    const byKey = Object.fromEntries(published.map((p) => [p.name.split("/").pop(), p.value]));
    expect(byKey.environment).toBe("prod");
    expect(byKey["datasource-uid-prometheus"]).toBe("mlobs-amp-prod");
    expect(byKey["kms-key-arn"]).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
    expect(byKey["remote-write-url"]).toMatch(/prometheus_endpoint\}api\/v1\/remote_write$/);
  });

  it("holds no secret: the Grafana deploy token stays in the platform stack", () => {
    for (const p of published) expect(p.value).not.toMatch(/service_account_token|\.key\}/);
  });
});

describe("a team's stacks against fromEnvironment", () => {
  it("read only parameters the platform stack writes, and secrets the description names", () => {
    const names = new Set(published.map((p) => p.name));
    const platformReads = [...ssmReads(teamAws), ...ssmReads(teamGrafana)].filter((n) => n.startsWith("/mlobs/"));
    expect(platformReads.length).toBeGreaterThan(0);
    for (const n of platformReads) expect(names.has(n)).toBe(true);
    expect(ssmReads(teamGrafana).filter((n) => !n.startsWith("/mlobs/"))).toEqual(["/observability/search-ai/pagerduty-routing-key"]);
  });

  it("hold no platform resource: no workspace, key, Grafana workspace, data source, message template or notification policy", () => {
    const types = [...Object.keys(teamAws.resource), ...Object.keys(teamGrafana.resource)];
    for (const t of ["aws_prometheus_workspace", "aws_kms_key", "aws_grafana_workspace", "aws_xray_encryption_config", "grafana_notification_policy", "grafana_data_source", "grafana_message_template"])
      expect(types).not.toContain(t);
    expect(Object.keys(teamGrafana.resource).sort()).toEqual(["grafana_contact_point", "grafana_dashboard", "grafana_folder", "grafana_mute_timing", "grafana_rule_group"]);
    expect(teamGrafana.terraform?.required_providers?.grafana).toBeDefined();
    // The token is the team's own, from a sensitive variable; the URL is the platform's published one.
    expect(teamGrafana.variable.grafana_auth.sensitive).toBe(true);
    expect(teamGrafana.provider.grafana[0].url).toMatch(/^\$\{data\.aws_ssm_parameter\.[^}]+\.value\}$/);
  });

  it("the Grafana stack is valid against the Grafana provider schema", () => {
    expect(validateGrafanaResources(teamGrafana, loadGrafanaSchema("subset"))).toEqual([]);
    if (hasGrafanaReferenceSchema()) expect(validateGrafanaResources(teamGrafana, loadGrafanaSchema("reference"))).toEqual([]);
  });

  it("every alert rule names one of the stack's own contact points by severity, after they exist", () => {
    const contactPoints = Object.values(teamGrafana.resource.grafana_contact_point as Json).map((c: Json) => c.name).sort();
    expect(contactPoints).toEqual(["rag-assistant-page", "rag-assistant-ticket"]);
    const mute = Object.values(teamGrafana.resource.grafana_mute_timing as Json).map((m: Json) => m.name);
    expect(mute).toEqual([`rag-assistant-${OUTSIDE_BUSINESS_HOURS}`]);
    const groups = Object.values(teamGrafana.resource.grafana_rule_group as Json) as Json[];
    const rules = groups.flatMap((g) => g.rule as Json[]);
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.notification_settings.contact_point).toBe(`rag-assistant-${r.labels.severity}`);
    for (const g of groups) expect(g.depends_on).toHaveLength(3);
    expect(new Set(rules.map((r) => r.labels.severity))).toEqual(new Set(["page", "ticket"]));
  });

  it("routes with the timings, grouping and business hours the org policy uses for the team", () => {
    const teamRoutes = buildRoutingTree([rag], { defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }).teams[0].routes;
    const rules = (Object.values(teamGrafana.resource.grafana_rule_group as Json) as Json[]).flatMap((g) => g.rule as Json[]);
    for (const r of rules) {
      const route = teamRoutes.find((t) => t.severity === r.labels.severity)!;
      const s = r.notification_settings;
      expect([s.group_wait, s.group_interval, s.repeat_interval]).toEqual([route.groupWait, route.groupInterval, route.repeatInterval]);
      expect(s.mute_timings ?? []).toEqual(route.muteTimings.map((m) => `rag-assistant-${m}`));
      // Grafana requires alertname and grafana_folder in a rule's own grouping.
      expect(s.group_by).toEqual(["alertname", "grafana_folder", "service", "slo"]);
    }
    const platformMute = buildRoutingTree([rag], { defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }).muteTimings[0];
    const teamMute = Object.values(teamGrafana.resource.grafana_mute_timing as Json)[0] as Json;
    expect(teamMute.intervals.map((i: Json) => [i.weekdays, i.times ?? [], i.location])).toEqual(
      platformMute.intervals.map((i) => [i.weekdays, i.times ?? [], platformMute.location]),
    );
  });

  it("the contact points carry the notification text inline and the secrets as references", () => {
    const page = Object.values(teamGrafana.resource.grafana_contact_point as Json).find((c: Json) => c.name === "rag-assistant-page") as Json;
    expect(page.pagerduty[0].integration_key).toMatch(/^\$\{data\.aws_ssm_parameter\.[^}]+\.value\}$/);
    expect(page.pagerduty[0].summary).toContain("{{ .CommonAnnotations.summary }}");
    expect(JSON.stringify(page)).not.toContain('template "mlobs');
  });
});

const tf = terraformAvailability();
if (!tf.ok) console.warn(`SKIPPED terraform plan of a team's AWS stack: ${tf.reason}`);
(tf.ok ? describe : describe.skip)("terraform plan of a team's AWS stack, offline, against the published parameters", () => {
  let stub: AwsStub;
  let plan: PlanResult;
  beforeAll(async () => {
    // The loopback SSM answers the names the platform stack writes, with plausible values.
    stub = await startStubSts({ ssmParameters: Object.fromEntries(published.map((p) => [p.name, p.value.includes("${") ? stubValue(p.value) : p.value])) });
    const run = { stacksDir: join(teamOut, "stacks"), workDir: join(work, "tf"), mirror: (tf as { mirror: string }).mirror, stsUrl: stub.url };
    await initStack(run, "obs-prod-rag-assistant");
    plan = await validateAndPlan(run, "obs-prod-rag-assistant");
  }, 240_000);
  afterAll(async () => stub?.stop());

  it("creates the service's resources and nothing of the platform", () => {
    expect(plan.actions.aws_cloudwatch_log_group).toEqual({ create: 4 });
    expect(plan.actions.aws_prometheus_rule_group_namespace).toEqual({ create: 1 });
    expect(plan.actions.aws_ssm_parameter).toEqual({ create: 1 });
    expect(plan.actions.aws_xray_sampling_rule).toEqual({ create: 1 });
    for (const t of ["aws_prometheus_workspace", "aws_kms_key", "aws_grafana_workspace"]) expect(plan.actions[t]).toBeUndefined();
    for (const actions of Object.values(plan.actions)) expect(Object.keys(actions)).toEqual(["create"]);
  });

  it("read the platform through SSM, each name one the platform writes", () => {
    expect(stub.ssmRequests.length).toBeGreaterThan(0);
    expect(stub.ssmRequests.filter((n) => !published.some((p) => p.name === n))).toEqual([]);
  });
});

describe("per-rule routing in the one-repository layout", () => {
  const app = Testing.app();
  const [env] = buildObservabilityApp(app, { services: [perRule(rag), fraud], environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }] });
  const shared = JSON.parse(Testing.synth(env.grafanaStack)) as Json;
  const ragGrafana = JSON.parse(Testing.synth(env.serviceGrafanaStacks.find((s) => s.grafana.node.id === "rag-assistant")!)) as Json;

  it("leaves the per-rule service out of the org policy and gives it its own contact points", () => {
    const teams = shared.resource.grafana_notification_policy[Object.keys(shared.resource.grafana_notification_policy)[0]].policy.map((p: Json) => p.matcher[0].value);
    expect(teams).toEqual([fraud.team]);
    expect(Object.values(shared.resource.grafana_contact_point as Json).map((c: Json) => c.name).sort()).toEqual(["catch-all", `${fraud.team}-page`, `${fraud.team}-ticket`]);
    expect(Object.values(ragGrafana.resource.grafana_contact_point as Json).map((c: Json) => c.name).sort()).toEqual(["rag-assistant-page", "rag-assistant-ticket"]);
    for (const g of Object.values(ragGrafana.resource.grafana_rule_group as Json)) for (const r of (g as Json).rule) expect(r.notification_settings).toBeDefined();
  });

  it("refuses a per-rule service named like a policy-routed team: both would define <name>-page", () => {
    const clash = { ...perRule(rag), name: fraud.team };
    expect(() => buildObservabilityApp(Testing.app(), { services: [fraud, clash], environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }] })).toThrow(
      `service "${fraud.team}" routes per rule with contact points ${fraud.team}-page and ${fraud.team}-ticket, the names of team "${fraud.team}"'s contact points in the prod notification policy; rename the service or the team, or route the service by policy`,
    );
  });
});

describe("the README's team snippet", () => {
  it("builds the service's AWS and Grafana stacks from a description file", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const code = /<!-- team-stacks-test -->\n```ts\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const app = Testing.app();
    // Plain JavaScript as written (no type annotations); the file name resolves among the examples.
    new Function("app", "loadServicesFile", "buildTeamServiceStacks", code!)(app, (f: string) => loadServicesFile(join(__dirname, "..", "examples", f)), buildTeamServiceStacks);
    expect(app.node.children.map((c) => c.node.id).sort()).toEqual(["obs-prod-rag-assistant", "obs-prod-rag-assistant-grafana"]);
  });
});

describe("fromAttributes and fromEnvironment", () => {
  it("fromAttributes takes explicit values, reads nothing and creates no platform resource", () => {
    const stack = new TerraformStack(Testing.app(), "team");
    const platform = ObservabilityPlatform.fromAttributes(stack, "platform", {
      environment: "prod",
      region: "eu-west-1",
      kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/00000000-0000-4000-8000-000000000000",
      workspaceId: "ws-1",
      workspaceArn: "arn:aws:aps:eu-west-1:111111111111:workspace/ws-1",
      remoteWriteUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
      queryUrl: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/",
      grafanaUrl: "https://grafana.example.com",
    });
    new ServiceObservability(stack, "service", { platform, service: rag });
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(Object.keys(json.data).sort()).toEqual(["aws_partition", "aws_region"]);
    for (const g of Object.values(json.resource.aws_cloudwatch_log_group as Json)) expect((g as Json).kms_key_id).toBe(platform.kmsKeyArn);
    expect((Object.values(json.resource.aws_prometheus_rule_group_namespace)[0] as Json).workspace_id).toBe("ws-1");
    expect(platform.prometheusDataSourceUid).toBe("mlobs-amp-prod");
  });

  it("refuses an environment name that cannot be part of the parameter names, naming the fix", () => {
    const stack = new TerraformStack(Testing.app(), "team");
    expect(() => ObservabilityPlatform.fromEnvironment(stack, "platform", "Prod/../x")).toThrow(
      'ObservabilityPlatform.fromEnvironment(platform): environment "Prod/../x" is not a valid environment name; use 2-40 lower-case letters, digits and dashes, starting with a letter (e.g. "prod")',
    );
  });

  it("an imported platform refuses the same service twice in one app", () => {
    const stack = new TerraformStack(Testing.app(), "team");
    const platform = ObservabilityPlatform.fromEnvironment(stack, "platform", "prod");
    new ServiceObservability(stack, "a", { platform, service: rag });
    expect(() => new ServiceObservability(stack, "b", { platform, service: rag })).toThrow('service "rag-assistant" is already registered on the prod platform in this app');
  });
});
