/**
 * The AWS constructs, through cdktf's Testing helpers: what ObservabilityPlatform and
 * ServiceObservability synthesize (log tiers, KMS, PII masking, the collector's tail sampling,
 * X-Ray names, label-set limits), the state backend of the app's stacks, and what they refuse.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { ObservabilityPlatform, type ObservabilityPlatformProps } from "../constructs/ObservabilityPlatform";
import { ServiceObservability } from "../constructs/ServiceObservability";
import { buildObservabilityApp, type StateBackendConfig } from "../constructs/stacks";
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { loadServicesFiles } from "../service/load";
import type { ServiceModel } from "../service/model";
import { normalizeService } from "../service/normalize";
import type { ServiceDescription } from "../service/types";

type Json = Record<string, any>;
type Resources = Record<string, Record<string, Json>>;

const EXAMPLES = Object.fromEntries(loadServicesFiles(EXAMPLE_SERVICE_FILES).map((m) => [m.name, m]));

function description(over: Partial<ServiceDescription> = {}): ServiceDescription {
  return {
    name: "qa-bot",
    team: "support-ai",
    owner: "support-ai@example.com",
    kind: "rag-pipeline",
    slos: [{ name: "availability", objectivePercent: 99.9, availability: {} }],
    alerting: {
      page: { type: "pagerduty", secret: "ssm:/observability/support-ai/pagerduty-routing-key" },
      ticket: { type: "slack", channel: "#support-ai-alerts", secret: "secretsmanager:observability/support-ai/slack-webhook" },
      runbookBaseUrl: "https://runbooks.example.com/support-ai",
    },
    ...over,
  };
}

/**
 * One stack holding a platform and the given services (descriptions or models), synthesized.
 * Platform and services share the stack, so references are plain `${type.id.attr}` expressions.
 */
function synthOneStack(
  services: readonly (ServiceDescription | ServiceModel)[],
  platformProps: Partial<ObservabilityPlatformProps> = {},
): { resource: Resources; data: Resources; json: Json } {
  const stack = new TerraformStack(Testing.app(), "test");
  const platform = new ObservabilityPlatform(stack, "platform", { environment: "staging", ...platformProps });
  services.forEach((s, i) => new ServiceObservability(stack, `service-${i}`, { platform, service: s }));
  const json = JSON.parse(Testing.synth(stack)) as Json;
  return { resource: json.resource ?? {}, data: json.data ?? {}, json };
}

/** Resources of a type, keyed by their construct path's last part when unique enough to read. */
const ofType = (r: Resources, type: string): Json[] => Object.values(r[type] ?? {});
const logGroupsByTier = (r: Resources): Record<string, Json> => Object.fromEntries(ofType(r, "aws_cloudwatch_log_group").filter((g) => g.tags?.tier).map((g) => [g.tags.tier, g]));

/** Parses a `${jsonencode({...})}` expression as cdktf renders it (HCL object syntax) back into data. */
/** A policy document: plain JSON whose strings may hold Terraform interpolations. */
function jsonencoded(expr: string): Json {
  return JSON.parse(expr) as Json;
}

describe("ServiceObservability refuses what cannot be deployed", () => {
  it("a service deployed to an environment it does not list is refused, naming the environments it lists and the fix", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const platform = new ObservabilityPlatform(stack, "platform", { environment: "dev" });
    expect(() => new ServiceObservability(stack, "svc", { platform, service: description() })).toThrow(
      'service "qa-bot" does not list environment "dev" (it lists staging, prod); add "dev" to its environments or do not deploy it there',
    );
  });

  it("registering the same service twice on one platform is refused", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const platform = new ObservabilityPlatform(stack, "platform", { environment: "staging" });
    new ServiceObservability(stack, "first", { platform, service: description() });
    expect(() => new ServiceObservability(stack, "second", { platform, service: description() })).toThrow(
      'service "qa-bot" is already registered on the staging platform; service names must be unique per environment',
    );
  });

  it("an app given the same service twice is refused before any stack is built", () => {
    const model = normalizeService(description());
    expect(() => buildObservabilityApp(Testing.app(), { environments: [{ name: "staging", region: "eu-west-1" }], services: [model, model] })).toThrow(
      'service "qa-bot" is given twice; service names must be unique',
    );
  });

  it("a service whose stack id would collide with another stack is refused, naming both", () => {
    const model = normalizeService(description());
    const clash = normalizeService({ ...description(), name: "qa-bot-grafana" });
    const env = [{ name: "staging", region: "eu-west-1" }];
    expect(() => buildObservabilityApp(Testing.app(), { environments: env, services: [model, clash] })).toThrow(
      'the Grafana stack of service "qa-bot" would be stack obs-staging-qa-bot-grafana, which is already the AWS stack of service "qa-bot-grafana"; rename the service',
    );
    const platform = normalizeService({ ...description(), name: "platform" });
    expect(() => buildObservabilityApp(Testing.app(), { environments: env, services: [platform] })).toThrow(
      'the AWS stack of service "platform" would be stack obs-staging-platform, which is already the platform stack; rename the service',
    );
  });

  it("an invalid description is refused with the validation problems", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const platform = new ObservabilityPlatform(stack, "platform", { environment: "staging" });
    expect(() => new ServiceObservability(stack, "svc", { platform, service: description({ kind: "rag" as never }) })).toThrow(
      /kind: "rag" is not one of/,
    );
  });
});

describe("log tiers", () => {
  const { resource } = synthOneStack([description()]);
  const tiers = logGroupsByTier(resource);

  it("one log group per tier, with the tier's retention", () => {
    expect(Object.fromEntries(Object.entries(tiers).map(([t, g]) => [t, [g.name, g.retention_in_days]]))).toEqual({
      errors: ["/observability/staging/qa-bot/errors", 90],
      standard: ["/observability/staging/qa-bot/standard", 14],
      audit: ["/observability/staging/qa-bot/audit", 400],
      debug: ["/observability/staging/qa-bot/debug", 3],
    });
  });

  it("only the audit tier survives destroy and refuses replacement", () => {
    expect(tiers.audit.skip_destroy).toBe(true);
    expect(tiers.audit.lifecycle).toEqual({ prevent_destroy: true });
    for (const t of ["errors", "standard", "debug"]) {
      expect([t, tiers[t].skip_destroy, tiers[t].lifecycle]).toEqual([t, false, undefined]);
    }
  });

  it("every log group, the platform's own included, is encrypted with the platform key", () => {
    const keys = Object.keys(resource.aws_kms_key);
    expect(keys).toHaveLength(1);
    const groups = ofType(resource, "aws_cloudwatch_log_group");
    expect(groups.length).toBeGreaterThanOrEqual(5);
    expect(groups.map((g) => g.name)).toContain("/aws/vendedlogs/prometheus/observability-staging");
    for (const g of groups) expect([g.name, g.kms_key_id]).toEqual([g.name, `\${aws_kms_key.${keys[0]}.arn}`]);
  });
});

describe("PII masking", () => {
  it("with maskPii false there is no data-protection policy", () => {
    const { resource } = synthOneStack([description({ logs: { maskPii: false } })]);
    expect(resource.aws_cloudwatch_log_data_protection_policy).toBeUndefined();
  });

  it("otherwise each tier has one policy that audits and masks exactly the configured identifiers", () => {
    const { resource } = synthOneStack([description({ logs: { piiIdentifiers: ["IpAddress", "EmailAddress"] } })]);
    const groupIds = Object.fromEntries(Object.entries(resource.aws_cloudwatch_log_group).map(([id, g]) => [`\${aws_cloudwatch_log_group.${id}.name}`, g.tags?.tier]));
    const policies = ofType(resource, "aws_cloudwatch_log_data_protection_policy");
    expect(policies.map((p) => groupIds[p.log_group_name]).sort()).toEqual(["audit", "debug", "errors", "standard"]);
    for (const p of policies) {
      const doc = jsonencoded(p.policy_document);
      const tier = groupIds[p.log_group_name];
      expect(doc.Name).toBe(`qa-bot-${tier}-pii`);
      expect(doc.Version).toBe("2021-06-01");
      const identifiers = (s: Json) =>
        (s.DataIdentifier as string[]).map((arn) => /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:dataprotection::aws:data-identifier\/(.+)$/.exec(arn)?.[1]);
      expect(doc.Statement.map((s: Json) => [s.Sid, Object.keys(s.Operation), identifiers(s)])).toEqual([
        ["audit", ["Audit"], ["EmailAddress", "IpAddress"]],
        ["redact", ["Deidentify"], ["EmailAddress", "IpAddress"]],
      ]);
      expect(doc.Statement[1].Operation.Deidentify).toEqual({ MaskConfig: {} });
    }
  });

  it("by default the seven documented identifiers are masked", () => {
    const { resource } = synthOneStack([description()]);
    const doc = jsonencoded(ofType(resource, "aws_cloudwatch_log_data_protection_policy")[0].policy_document);
    expect((doc.Statement[1].DataIdentifier as string[]).map((a) => a.slice(a.lastIndexOf("/") + 1))).toEqual([
      "Address",
      "AwsSecretKey",
      "CreditCardNumber",
      "EmailAddress",
      "IpAddress",
      "Name",
      "PhoneNumber-US",
    ]);
  });
});

describe("the OpenTelemetry Collector configuration in SSM", () => {
  const collectorConfigOf = (service: ServiceDescription | ServiceModel): Json => {
    const { resource } = synthOneStack([service]);
    // The platform in the same stack publishes its own parameters under /mlobs/.
    const params = ofType(resource, "aws_ssm_parameter").filter((p) => !p.name.startsWith("/mlobs/"));
    expect(params).toHaveLength(1);
    return parse(params[0].value) as Json;
  };
  const policies = (c: Json) => c.processors.tail_sampling.policies as Json[];

  it("is valid YAML whose traces pipeline tail-samples: all errors, requests slower than rag-assistant's 3 s SLO, canary releases, a 5% baseline", () => {
    const config = collectorConfigOf(EXAMPLES["rag-assistant"]);
    expect(policies(config)).toEqual([
      { name: "keep-errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
      { name: "keep-slow", type: "latency", latency: { threshold_ms: 3000 } },
      { name: "keep-canary", type: "string_attribute", string_attribute: { key: "app.release.canary", values: ["true"] } },
      { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: 5 } },
    ]);
    expect(config.service.pipelines.traces.processors).toContain("tail_sampling");
    // Decided after the slowest measurable request (the 81.92 s top bucket) plus export delay.
    expect(config.processors.tail_sampling.decision_wait).toBe("92s");
    // Each collector writes its own series: the instance id comes from the host unless the SDK set one.
    // `$${` is Terraform's literal `${`: the parameter holds `${env:HOSTNAME}`, which the collector expands.
    expect(config.processors.resource.attributes).toContainEqual({ key: "service.instance.id", value: "$${env:HOSTNAME}", action: "insert" });
  });

  it("takes the slow threshold from the lowest latency SLO, else 2.56 s, unless tracing sets it", () => {
    const slowMs = (s: ServiceDescription | ServiceModel) => policies(collectorConfigOf(s)).find((p) => p.name === "keep-slow")!.latency.threshold_ms;
    expect(slowMs(EXAMPLES["fraud-scoring"])).toBe(160);
    expect(slowMs(description())).toBe(2560);
    expect(slowMs(description({ tracing: { slowThresholdSeconds: 1.5, baselinePercent: 20 } }))).toBe(1500);
    const baseline = policies(collectorConfigOf(description({ tracing: { baselinePercent: 20 } }))).find((p) => p.name === "baseline");
    expect(baseline!.probabilistic.sampling_percentage).toBe(20);
  });
});

describe("X-Ray names", () => {
  const longName = "customer-support-retrieval-augmented-bot";

  it("stay within 32 characters, distinct and readable, for a 40-character service name", () => {
    expect(longName).toHaveLength(40);
    const { resource } = synthOneStack([description({ name: longName })]);
    const names = [
      ...ofType(resource, "aws_xray_sampling_rule").map((r) => r.rule_name as string),
      ...ofType(resource, "aws_xray_group").map((g) => g.group_name as string),
    ];
    expect(names).toHaveLength(4); // sampling rule, platform faults group, service faults and slow groups
    for (const n of names) expect([n, n.length <= 32]).toEqual([n, true]);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith("staging-customer-support"))).toHaveLength(3);
  });

  it("are the same on every synth", () => {
    const names = () => {
      const { resource } = synthOneStack([description({ name: longName })]);
      return ofType(resource, "aws_xray_group").map((g) => g.group_name);
    };
    expect(names()).toEqual(names());
  });
});

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
      environments: [{ name: "prod", region: "eu-west-1" }],
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
    buildObservabilityApp(app, { environments: [{ name: "prod", region: "eu-west-1" }], services: [EXAMPLES["rag-assistant"]], backend });
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
      `const { EXAMPLE_SERVICE_FILES } = require(${JSON.stringify(join(__dirname, "../examples/exampleApp"))});`,
      `const services = loadServicesFiles(EXAMPLE_SERVICE_FILES).filter((s) => s.name === "rag-assistant");`,
      `const app = new App({ outdir: ${JSON.stringify(outdir)} });`,
      `buildObservabilityApp(app, { environments: [{ name: "prod", region: "eu-west-1" }], services });`,
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
    buildObservabilityApp(app, { environments: [{ name: "staging", region: "eu-west-1" }, { name: "prod", region: "eu-west-1" }], services });
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
      buildObservabilityApp(app, { environments: [{ name: "staging", region: "eu-west-1" }, { name: "prod", region: "eu-west-1" }], services: Object.values(EXAMPLES) });
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
