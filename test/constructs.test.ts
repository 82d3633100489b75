/**
 * The service constructs, through cdktf's Testing helpers: what ServiceObservability synthesizes
 * (log tiers, KMS, PII masking, the collector's tail sampling, X-Ray names) and what it refuses.
 * The platform and the app's stacks are in platformStacks.test.ts.
 */
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { ObservabilityPlatform } from "../constructs/ObservabilityPlatform";
import { ServiceObservability } from "../constructs/ServiceObservability";
import { buildObservabilityApp } from "../constructs/stacks";
import type { ServiceModel } from "../service/model";
import { normalizeService } from "../service/normalize";
import type { ServiceDescription } from "../service/types";
import { type Json, EXAMPLES, description, synthOneStack, ofType, logGroupsByTier, jsonencoded } from "./support/constructStacks";
import { EXAMPLE_DEFAULT_RECEIVER } from "../examples/exampleApp";

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
    expect(() => buildObservabilityApp(Testing.app(), { environments: [{ name: "staging", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }], services: [model, model] })).toThrow(
      'service "qa-bot" is given twice; service names must be unique',
    );
  });

  it("a service whose stack id would collide with another stack is refused, naming both", () => {
    const model = normalizeService(description());
    const clash = normalizeService({ ...description(), name: "qa-bot-grafana" });
    const env = [{ name: "staging", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }];
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
