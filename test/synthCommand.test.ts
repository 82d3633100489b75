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
    const r = mlobs("synth", ...EXAMPLE_SERVICE_FILES, "--env", "prod", "--out", out);
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
    expect(mlobs("synth", file, "--out", out).code).toBe(0);
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
    const clash = mlobs("synth", file, "--out", out);
    expect(clash.code).toBe(2);
    expect(clash.out).toContain("would be stack obs-prod-platform, which is already the platform stack; rename the service");
    const env = mlobs("synth", EXAMPLE_SERVICE_FILES[0], "--env", "qa", "--out", out);
    expect(env.code).toBe(2);
    expect(env.out).toContain("--env qa: no service lists it");
    expect(existsSync(out)).toBe(false);
  });
});
