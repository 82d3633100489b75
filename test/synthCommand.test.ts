/**
 * `mlobs synth` as a YAML-only team uses it: descriptions in, a cdktf.out that `mlobs lint` passes and
 * `terraform validate` would read, with the same stack layout the TypeScript app builds; bad input
 * exits 2 before anything is written.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { runMlobs } from "./support/mlobsInProcess";

const work = mkdtempSync(join(tmpdir(), "mlobs-synth-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mlobs = (...args: string[]) => runMlobs(args);

describe("mlobs synth", () => {
  it("synthesizes the examples in one environment into stacks lint passes, with the loose-SLO warning", () => {
    const out = join(work, "examples");
    const r = mlobs("synth", ...EXAMPLE_SERVICE_FILES, "--env", "prod", "--out", out, "--default-receiver", "search-ai-ticket");
    expect(r.code).toBe(0);
    expect(readdirSync(join(out, "stacks")).sort()).toEqual([
      "obs-prod-fraud-scoring",
      "obs-prod-fraud-scoring-grafana",
      "obs-prod-grafana",
      "obs-prod-platform",
      "obs-prod-rag-assistant",
      "obs-prod-rag-assistant-grafana",
    ]);
    expect(r.out).toContain('warning: obs-prod-fraud-scoring/service: fraud-scoring: slo "accuracy"');
    const lint = mlobs("lint", out);
    expect(lint.out).toContain("no findings");
    expect(lint.code).toBe(0);
    // The named team contact point is the policy's root: alerts of a team nobody routes reach it.
    const policy = JSON.parse(readFileSync(join(out, "stacks", "obs-prod-grafana", "cdk.tf.json"), "utf8")).resource.grafana_notification_policy;
    expect(Object.values(policy as Record<string, { contact_point: string }>).map((p) => p.contact_point)).toEqual(["search-ai-ticket"]);
  });

  it("--default-receiver-file makes a contact point of its own, catch-all, the policy's root", () => {
    const file = join(work, "catch-all.yaml");
    writeFileSync(file, 'type: slack\nchannel: "#observability-unrouted"\nsecret: "secretsmanager:observability/platform/slack-webhook"\n');
    const out = join(work, "catch-all");
    expect(mlobs("synth", EXAMPLE_SERVICE_FILES[0], "--env", "prod", "--out", out, "--default-receiver-file", file).code).toBe(0);
    const grafana = JSON.parse(readFileSync(join(out, "stacks", "obs-prod-grafana", "cdk.tf.json"), "utf8")).resource;
    expect(Object.values(grafana.grafana_notification_policy as Record<string, { contact_point: string }>)[0].contact_point).toBe("catch-all");
    const catchAll = Object.values(grafana.grafana_contact_point as Record<string, { name: string; slack?: { recipient: string; url: string }[] }>).find((c) => c.name === "catch-all");
    expect(catchAll?.slack?.[0].recipient).toBe("#observability-unrouted");
    expect(catchAll?.slack?.[0].url).toMatch(/^\$\{data\.aws_secretsmanager_secret_version\./);
  });

  it.each([
    ["no default receiver", [], "error: without --team, the notification policy needs a default receiver for alerts whose team no service routes: --default-receiver NAME"],
    [
      "a name no team of the environment has",
      ["--default-receiver", "platform-page"],
      'error: --default-receiver "platform-page" is not a receiver of the prod notification policy (teams of the services routed by policy); name one of risk-ml-page, risk-ml-ticket, search-ai-page, search-ai-ticket',
    ],
    ["a default receiver with --team", ["--team", "--default-receiver", "search-ai-ticket"], "error: --default-receiver and --default-receiver-file are for the platform layout"],
    ["both flags", ["--default-receiver", "search-ai-ticket", "--default-receiver-file", "x.yaml"], "error: give --default-receiver NAME or --default-receiver-file FILE, not both"],
  ])("refuses %s with exit 2, writing nothing", (_, flags, message) => {
    const out = join(work, "refused-receiver");
    const r = mlobs("synth", ...EXAMPLE_SERVICE_FILES, "--env", "prod", "--out", out, ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a receiver file that is not a valid receiver, naming the file and the field", () => {
    const file = join(work, "bad-catch-all.yaml");
    writeFileSync(file, "type: slack\nchannel: observability\n");
    const r = mlobs("synth", EXAMPLE_SERVICE_FILES[0], "--out", join(work, "refused-file"), "--default-receiver-file", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`problem(s) in the receiver in ${file}:`);
    expect(r.stderr).toContain(`${file}: channel: "observability" is not allowed; use a channel such as "#team-alerts"`);
    expect(r.stderr).toContain(`${file}: secret: is required for slack`);
  });

  it("--team writes only the service's own stacks, reading the platform through its SSM parameters and routing per rule", () => {
    const out = join(work, "team");
    expect(mlobs("synth", EXAMPLE_SERVICE_FILES[0], "--env", "prod", "--out", out, "--team").code).toBe(0);
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(["obs-prod-rag-assistant", "obs-prod-rag-assistant-grafana"]);
    const aws = JSON.parse(readFileSync(join(out, "stacks", "obs-prod-rag-assistant", "cdk.tf.json"), "utf8"));
    expect(aws.resource.aws_prometheus_workspace).toBeUndefined();
    expect(aws.resource.aws_kms_key).toBeUndefined();
    const names = Object.values(aws.data.aws_ssm_parameter as Record<string, { name: string }>).map((p) => p.name);
    expect(names.every((n) => n.startsWith("/mlobs/prod/platform/"))).toBe(true);
    const grafana = JSON.parse(readFileSync(join(out, "stacks", "obs-prod-rag-assistant-grafana", "cdk.tf.json"), "utf8"));
    expect(grafana.resource.grafana_notification_policy).toBeUndefined();
    const rules = Object.values(grafana.resource.grafana_rule_group as Record<string, { rule: { notification_settings?: { contact_point: string } }[] }>).flatMap((g) => g.rule);
    expect(rules.length).toBeGreaterThan(0);
    expect(new Set(rules.map((r) => r.notification_settings?.contact_point))).toEqual(new Set(["rag-assistant-page", "rag-assistant-ticket"]));
    expect(mlobs("lint", out).code).toBe(0);
  });

  it("a starter from mlobs init synthesizes in every environment it lists", () => {
    const file = join(work, "starter.yaml");
    expect(mlobs("init", file, "--team", "search-ai").code).toBe(0);
    const out = join(work, "starter-out");
    expect(mlobs("synth", file, "--out", out, "--default-receiver", "search-ai-page").code).toBe(0);
    expect(readdirSync(join(out, "stacks")).filter((s) => s.endsWith("-platform")).sort()).toEqual(["obs-prod-platform", "obs-staging-platform"]);
  });

  it("refuses a service whose stack would collide with the platform's, and an unknown environment, writing nothing", () => {
    const file = join(work, "platform.yaml");
    writeFileSync(
      file,
      [
        "name: platform",
        "team: infra",
        "owner: infra@example.com",
        "kind: custom",
        "environments: [prod]",
        "alerting:",
        '  page: { type: pagerduty, secret: "ssm:/observability/infra/pagerduty" }',
        "  ticket: { type: email, addresses: [infra@example.com] }",
        "  runbookBaseUrl: https://runbooks.example.com/infra",
        "",
      ].join("\n"),
    );
    const out = join(work, "refused");
    const clash = mlobs("synth", file, "--out", out, "--default-receiver", "infra-ticket");
    expect(clash.code).toBe(2);
    expect(clash.out).toContain("would be stack obs-prod-platform, which is already the platform stack; rename the service");
    const env = mlobs("synth", EXAMPLE_SERVICE_FILES[0], "--env", "qa", "--out", out, "--default-receiver", "search-ai-ticket");
    expect(env.code).toBe(2);
    expect(env.out).toContain("--env qa: no service lists it");
    expect(existsSync(out)).toBe(false);
  });
});
