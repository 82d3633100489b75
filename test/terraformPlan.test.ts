/**
 * Real engine: every synthesized AWS stack of the example app passes `terraform init` (from the
 * filesystem mirror), `validate` and `plan`, offline.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthExampleApp } from "../examples/exampleApp";
import { planAll, stackNames, startStubSts, terraformAvailability, type PlanResult } from "./support/terraform";

const tf = terraformAvailability();
if (!tf.ok) console.warn(`SKIPPED terraform validate/plan: ${tf.reason}`);
const describeTf = tf.ok ? describe : describe.skip;

describeTf("terraform validate and plan of the example app (offline)", () => {
  const work = mkdtempSync(join(tmpdir(), "obs-plan-"));
  const outdir = join(work, "cdktf.out");
  let sts: { url: string; stop: () => Promise<void> };
  let awsStacks: string[] = [];
  let results = new Map<string, PlanResult>();

  beforeAll(async () => {
    synthExampleApp({ outdir });
    // No Grafana provider binary exists in the mirror: the Grafana stacks are checked against the
    // provider schema instead (grafanaStack.test.ts).
    const all = stackNames(outdir);
    awsStacks = all.filter((s) => !s.endsWith("-grafana"));
    console.warn(`SKIPPED terraform plan of ${all.filter((s) => s.endsWith("-grafana")).join(", ")}: no grafana/grafana provider in the mirror; validated against the provider schema in grafanaStack.test.ts`);
    sts = await startStubSts();
    const run = { stacksDir: join(outdir, "stacks"), workDir: work, mirror: (tf as { mirror: string }).mirror, stsUrl: sts.url };
    results = await planAll(run, awsStacks);
  });
  afterAll(async () => {
    await sts?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("plans every stack of both environments, creating resources and destroying none", () => {
    expect([...results.keys()]).toEqual([
      "obs-prod-fraud-scoring",
      "obs-prod-platform",
      "obs-prod-rag-assistant",
      "obs-staging-fraud-scoring",
      "obs-staging-platform",
      "obs-staging-rag-assistant",
    ]);
    for (const r of results.values()) {
      expect(r.creates).toBeGreaterThan(0);
      for (const actions of Object.values(r.actions)) expect(Object.keys(actions)).toEqual(["create"]);
    }
    const summary = [...results.values()].map((r) => `${r.stack}: ${r.creates} to create`).join("\n");
    console.log(`terraform plan (offline):\n${summary}`);
  });

  it("gives each service four encrypted log tiers with PII masking, saved queries, tracing and its recording-rule namespace", () => {
    const rag = results.get("obs-prod-rag-assistant")!.actions;
    expect(rag.aws_cloudwatch_log_group).toEqual({ create: 4 });
    expect(rag.aws_cloudwatch_log_data_protection_policy).toEqual({ create: 4 });
    expect(rag.aws_cloudwatch_query_definition).toEqual({ create: 6 }); // one per saved query (tracing/logQueries.ts)
    expect(rag.aws_xray_sampling_rule).toEqual({ create: 1 });
    expect(rag.aws_ssm_parameter).toEqual({ create: 1 });
    expect(rag.aws_prometheus_rule_group_namespace).toEqual({ create: 1 });
  });

  it("gives each environment one workspace, its configuration, a rotating key and X-Ray encryption", () => {
    const platform = results.get("obs-prod-platform")!.actions;
    expect(platform.aws_prometheus_workspace).toEqual({ create: 1 });
    expect(platform.aws_prometheus_workspace_configuration).toEqual({ create: 1 });
    expect(platform.aws_kms_key).toEqual({ create: 1 });
    expect(platform.aws_xray_encryption_config).toEqual({ create: 1 });
  });
});
