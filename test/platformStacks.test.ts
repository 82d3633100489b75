/**
 * The platform and the app's stacks, through cdktf's Testing helpers: ObservabilityPlatform's
 * label-set limits, the state backend and cross-stack wiring of the app, secrets, and warnings at
 * synth.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App, Testing } from "cdktf";
import { buildObservabilityApp, type StateBackendConfig } from "../constructs/stacks";
import { normalizeService } from "../service/normalize";
import { type Json, EXAMPLES, description, synthOneStack, ofType } from "./support/constructStacks";
import { EXAMPLE_DEFAULT_RECEIVER } from "../examples/exampleApp";

describe("the platform's workspace configuration", () => {
  it("lists one label-set limit per registered service, on its selector, sorted by name", () => {
    const { resource } = synthOneStack(
      [
        description({ name: "zeta-ranker" }),
        description({ name: "alpha-gateway", selector: { service_name: "alpha-gateway", namespace: "ml" } }),
        description(),
      ],
      { maxSeriesPerService: 50000, metricsRetentionDays: 90 },
    );
    const [config] = ofType(resource, "aws_prometheus_workspace_configuration");
    expect(config.retention_period_in_days).toBe(90);
    expect(config.limits_per_label_set).toEqual([
      { label_set: { namespace: "ml", service_name: "alpha-gateway" }, limits: [{ max_series: 50000 }] },
      { label_set: { job: "qa-bot" }, limits: [{ max_series: 50000 }] },
      { label_set: { job: "zeta-ranker" }, limits: [{ max_series: 50000 }] },
    ]);
  });

  it("in the example app, each environment's platform limits exactly the services deployed there", () => {
    const app = Testing.app();
    buildObservabilityApp(app, {
      environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }],
      services: Object.values(EXAMPLES),
    });
    app.synth();
    const platform = JSON.parse(readFileSync(join(app.outdir, "stacks", "obs-prod-platform", "cdk.tf.json"), "utf8")) as Json;
    const [config] = ofType(platform.resource, "aws_prometheus_workspace_configuration");
    expect(config.limits_per_label_set.map((l: Json) => l.label_set)).toEqual([{ job: "fraud-scoring" }, { job: "rag-assistant" }]);
  });
});

describe("state backend and cross-stack wiring of the app", () => {
  const synthApp = (backend: StateBackendConfig) => {
    const app = Testing.app();
    buildObservabilityApp(app, { environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }], services: [EXAMPLES["rag-assistant"]], backend });
    app.synth();
    const read = (stack: string) => JSON.parse(readFileSync(join(app.outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as Json;
    return { platform: read("obs-prod-platform"), service: read("obs-prod-rag-assistant") };
  };

  it("the S3 backend encrypts, locks with S3 lock files and keys state by stack", () => {
    const { platform, service } = synthApp({ kind: "s3", bucket: "acme-tf-state", region: "eu-central-1" });
    expect(platform.terraform.backend).toEqual({
      s3: { bucket: "acme-tf-state", key: "observability/obs-prod-platform.tfstate", region: "eu-central-1", encrypt: true, use_lockfile: true },
    });
    expect(service.terraform.backend.s3.key).toBe("observability/obs-prod-rag-assistant.tfstate");
    expect(service.terraform.backend.s3.use_lockfile).toBe(true);
    // the service stack reads the platform's outputs from the platform's state
    const remote = Object.values(service.data.terraform_remote_state as Record<string, Json>);
    expect(remote.map((r) => [r.backend, r.config.bucket, r.config.key])).toEqual([["s3", "acme-tf-state", "observability/obs-prod-platform.tfstate"]]);
  });

  it("with a DynamoDB table the S3 backend locks with it instead of lock files", () => {
    const { platform } = synthApp({ kind: "s3", bucket: "acme-tf-state", region: "eu-central-1", dynamodbTable: "tf-locks", keyPrefix: "obs" });
    expect(platform.terraform.backend).toEqual({
      s3: { bucket: "acme-tf-state", key: "obs/obs-prod-platform.tfstate", region: "eu-central-1", encrypt: true, dynamodb_table: "tf-locks" },
    });
  });

  it("synthesizes with no terraform binary on the PATH (a review job that only synthesizes), the deploy token replaced through terraform_data", () => {
    // A child process: jest gives each test file its own copy of process.env, which child
    // processes started by cdktf would not see. PATH holds node only, so cdktf's DataResource,
    // which runs `terraform version` at synth, would fail here.
    const outdir = mkdtempSync(join(tmpdir(), "mlobs-no-terraform-"));
    const script = [
      `const { App } = require("cdktf");`,
      `const { buildObservabilityApp } = require(${JSON.stringify(join(__dirname, "../constructs/stacks"))});`,
      `const { loadServicesFiles } = require(${JSON.stringify(join(__dirname, "../service/load"))});`,
      `const { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES } = require(${JSON.stringify(join(__dirname, "../examples/exampleApp"))});`,
      `const services = loadServicesFiles(EXAMPLE_SERVICE_FILES).filter((s) => s.name === "rag-assistant");`,
      `const app = new App({ outdir: ${JSON.stringify(outdir)} });`,
      `buildObservabilityApp(app, { environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }], services });`,
      `app.synth();`,
    ].join("\n");
    try {
      const tsNode = join(__dirname, "../node_modules/ts-node/dist/bin.js");
      const run = spawnSync(process.execPath, [tsNode, "--swc", "-e", script], {
        cwd: join(__dirname, ".."),
        env: { ...process.env, PATH: dirname(process.execPath), CHECKPOINT_DISABLE: "1" },
        encoding: "utf8",
      });
      expect(run.stderr).not.toMatch(/terraform/);
      expect(run.status).toBe(0);
      const platform = JSON.parse(readFileSync(join(outdir, "stacks", "obs-prod-platform", "cdk.tf.json"), "utf8")) as Json;
      const [[rotationId, rotation]] = Object.entries(platform.resource.terraform_data as Record<string, Json>);
      expect(rotation.triggers_replace).toEqual({ appliedAt: "${timestamp()}" });
      const [token] = Object.values(platform.resource.aws_grafana_workspace_service_account_token as Record<string, Json>);
      expect(token.lifecycle.replace_triggered_by).toEqual([`terraform_data.${rotationId}`]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it("service log groups are encrypted with the platform stack's key, through its outputs", () => {
    const { platform, service } = synthApp({ kind: "local" });
    const keyId = Object.keys(platform.resource.aws_kms_key)[0];
    const outputs = Object.entries(platform.output as Record<string, Json>).filter(([, o]) => o.value === `\${aws_kms_key.${keyId}.arn}`);
    expect(outputs).toHaveLength(1);
    for (const g of ofType(service.resource, "aws_cloudwatch_log_group"))
      expect(g.kms_key_id).toMatch(new RegExp(`^\\$\\{data\\.terraform_remote_state\\.[^.]+\\.outputs\\.${outputs[0][0]}\\}$`));
  });
});

describe("secrets", () => {
  /** Every string in a synthesized document, with the JSON path that holds it. */
  function strings(v: unknown, at = "", out: [string, string][] = []): [string, string][] {
    if (typeof v === "string") out.push([at, v]);
    else if (Array.isArray(v)) v.forEach((x, i) => strings(x, `${at}[${i}]`, out));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) strings(x, at ? `${at}.${k}` : k, out);
    return out;
  }

  it("no synthesized stack holds a receiver's secret reference as a value, an access key or a credential setting", () => {
    const app = Testing.app();
    const services = [...Object.values(EXAMPLES), normalizeService(description())];
    buildObservabilityApp(app, { environments: [{ name: "staging", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }, { name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }], services });
    app.synth();
    const refs = services.flatMap((s) => [s.alerting.page.secret, s.alerting.ticket.secret]).filter((x): x is string => !!x);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    const secretPaths = refs.map((r) => r.replace(/^(ssm|secretsmanager):/, ""));
    const manifest = JSON.parse(readFileSync(join(app.outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    expect(Object.keys(manifest.stacks).length).toBeGreaterThanOrEqual(8); // two environments x (platform + three services), and any later stacks
    for (const { synthesizedStackPath } of Object.values(manifest.stacks)) {
      const doc = JSON.parse(readFileSync(join(app.outdir, synthesizedStackPath), "utf8")) as Json;
      for (const [at, s] of strings(doc)) {
        // A secret may only be looked up by name (a data source), never written into a resource.
        const lookup = /^data\.aws_(ssm_parameter|secretsmanager_secret(_version)?)\.[^.]+\.(name|secret_id)$/.test(at);
        for (const p of secretPaths) if (s.includes(p)) expect([synthesizedStackPath, at, lookup]).toEqual([synthesizedStackPath, at, true]);
        expect([synthesizedStackPath, at, /\b(AKIA|ASIA)[0-9A-Z]{16}\b/.test(s)]).toEqual([synthesizedStackPath, at, false]);
      }
      for (const p of Object.values((doc.provider?.aws ?? []) as Json[]))
        for (const k of ["access_key", "secret_key", "token", "profile", "shared_credentials_files"]) expect([synthesizedStackPath, k, p[k]]).toEqual([synthesizedStackPath, k, undefined]);
    }
  });
});

describe("warnings at synth", () => {
  it("name the burn-rate window an SLO objective puts out of reach, in the manifest cdktf prints from, without a stack trace", () => {
    // A real App (stack traces on, as in `cdktf synth`), not Testing.app (which turns them off).
    const outdir = mkdtempSync(join(tmpdir(), "obs-warnings-"));
    let manifest: { stacks: Record<string, { annotations: Json[] }> };
    try {
      const app = new App({ outdir });
      buildObservabilityApp(app, { environments: [{ name: "staging", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }, { name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }], services: Object.values(EXAMPLES) });
      app.synth();
      manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    const warned = Object.entries(manifest.stacks).filter(([, s]) => s.annotations.length > 0);
    // Only the fraud model's 90 % accuracy SLO: its 14.4x page needs an error ratio of 144 %.
    expect(warned.map(([id]) => id).sort()).toEqual(["obs-prod-fraud-scoring", "obs-staging-fraud-scoring"]);
    for (const [id, s] of warned)
      expect(s.annotations).toEqual([
        {
          constructPath: `${id}/service`,
          level: "@cdktf/warn",
          message: expect.stringMatching(/^fraud-scoring: slo "accuracy" \(objective 90 %\): its 14\.4x-over-1h page needs an error ratio of 144 % and never fires; .* after 3\.6 h; /),
        },
      ]);
  });
});
