/**
 * The collector's logs pipelines, as a user would see them behave: synthetic records (errors,
 * normal traffic, slow requests, audit events, debug lines, records carrying PII and prompt
 * bodies) go through a model of the pipelines built from the generated config
 * (test/support/otelLogsModel.ts), and each lands in the tiers the README promises, redacted.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { ObservabilityPlatform } from "../constructs/ObservabilityPlatform";
import { ServiceObservability } from "../constructs/ServiceObservability";
import { loadServicesFile } from "../service/load";
import { normalizeService } from "../service/normalize";
import type { ServiceModel } from "../service/model";
import { LOG_TIERS, type LogTier } from "../service/logContract";
import { collectorConfig } from "../tracing/collectorConfig";
import { traceContractTable } from "../tracing/traceContract";
import { runLogsPipelines, type CollectorConfig, type LogRecord } from "./support/otelLogsModel";

const EXAMPLES = ["rag-assistant.yaml", "fraud-scoring.yaml"].map((f) => loadServicesFile(join(__dirname, "../examples", f))[0]);
const GROUPS = Object.fromEntries(LOG_TIERS.map((t) => [t, `/observability/prod/svc/${t}`])) as Record<LogTier, string>;

function configOf(model: ServiceModel): CollectorConfig {
  return collectorConfig(model, { remoteWriteUrl: "https://aps.example/api/v1/remote_write", region: "eu-west-1", logGroups: GROUPS }) as unknown as CollectorConfig;
}

/** A deterministic 32-hex trace id per integer. */
const traceId = (i: number) => (BigInt(i) * 0x9e3779b97f4a7c15n + 0x1234567n).toString(16).padStart(32, "0").slice(-32);
const INFO = 9, WARN = 13, ERROR = 17, DEBUG = 5;
const record = (over: Partial<LogRecord> & { attributes?: Record<string, unknown> }, i = 1): LogRecord => ({
  severityNumber: INFO,
  body: "handled request",
  traceId: traceId(i),
  ...over,
  attributes: { request_id: `req-${i}`, status: "ok", ...over.attributes },
});
const groupsOf = (config: CollectorConfig, r: LogRecord) => runLogsPipelines(config, [r]).map((l) => l.logGroup).sort();

describe.each(EXAMPLES.map((m) => [m.name, m] as const))("logs pipelines of %s", (_name, model) => {
  const config = configOf(model);
  const slowMs = Math.round(model.tracing.slowThresholdSeconds * 1000);

  it("sends errors (by severity or by status) to the errors tier only, whole", () => {
    expect(groupsOf(config, record({ severityNumber: ERROR }))).toEqual([GROUPS.errors]);
    expect(groupsOf(config, record({ severityNumber: INFO, attributes: { status: "error" } }))).toEqual([GROUPS.errors]);
  });

  it("keeps records of slow requests in the standard tier whatever the sampling, and audit events in the audit tier", () => {
    for (let i = 0; i < 50; i++) expect(groupsOf(config, record({ attributes: { latency_ms: slowMs + 1 } }, i))).toEqual([GROUPS.standard]);
    expect(groupsOf(config, record({ attributes: { audit: true } }))).toEqual([GROUPS.audit]);
  });

  it("drops debug records while logs.debug.enabled is off", () => {
    expect(model.logs.debug.enabled).toBe(false);
    expect(groupsOf(config, record({ severityNumber: DEBUG }))).toEqual([]);
  });

  it(`samples normal records by trace id at logs.standard.samplePercent (${model.logs.standard.samplePercent}%), keeping a trace's records together`, () => {
    const traces = 4000;
    const records = Array.from({ length: traces }, (_, i) => [record({ severityNumber: INFO }, i), record({ severityNumber: WARN, body: "retrying" }, i)]).flat();
    const landed = runLogsPipelines(config, records);
    expect(landed.every((l) => l.logGroup === GROUPS.standard)).toBe(true);
    const keptTraces = new Map<string, number>();
    for (const l of landed) keptTraces.set(l.record.traceId, (keptTraces.get(l.record.traceId) ?? 0) + 1);
    // Both records of every kept trace, never one alone.
    expect([...keptTraces.values()].every((n) => n === 2)).toBe(true);
    const p = model.logs.standard.samplePercent / 100;
    const sigma = Math.sqrt((p * (1 - p)) / traces);
    expect(Math.abs(keptTraces.size / traces - p)).toBeLessThan(4 * sigma);
  });

  it("redacts emails, phone and card numbers, IPs and keys from attributes and bodies before export", () => {
    const landed = runLogsPipelines(config, [
      record({
        severityNumber: ERROR,
        body: "user jane.doe@example.com from 10.20.30.40 failed with key sk-proj-abcdefghijklmnopqrstuvwx",
        attributes: { note: "call +1 415-555-0132, card 4111 1111 1111 1111", request_id: "req-7" },
      }),
    ]);
    expect(landed).toHaveLength(1);
    const out = landed[0].record;
    expect(out.body).toBe("user [REDACTED:email] from [REDACTED:ipv4] failed with key [REDACTED:api-key]");
    expect(out.attributes.note).toBe("call [REDACTED:phone], card [REDACTED:card]");
    expect(out.attributes.request_id).toBe("req-7");
  });

  it("replaces prompt and answer bodies with their SHA-256 unless a tier keeps content", () => {
    const withPrompt = record({ severityNumber: ERROR, attributes: { "gen_ai.input.messages": "what is my balance?", "gen_ai.output.messages": [{ role: "assistant" }] } });
    const [out] = runLogsPipelines(config, [withPrompt]);
    expect(out.record.attributes["gen_ai.input.messages"]).toMatch(/^[0-9a-f]{64}$/);
    expect(out.record.attributes).not.toHaveProperty("gen_ai.output.messages");
  });
});

describe("options of the logs section change the pipelines", () => {
  const base = EXAMPLES[0];
  // A fresh parse per call: each test edits its own copy of the example.
  const withLogs = (logs: Record<string, unknown>) => {
    const raw = parse(readFileSync(join(__dirname, "../examples/rag-assistant.yaml"), "utf8"));
    return normalizeService({ ...raw, logs: { ...raw.logs, ...logs } });
  };

  it("logs.standard.samplePercent is the sampler's percentage", () => {
    const c = configOf(withLogs({ standard: { samplePercent: 25 } }));
    expect(c.processors["probabilistic_sampler/standard"].sampling_percentage).toBe(25);
    expect(configOf(base).processors["probabilistic_sampler/standard"].sampling_percentage).toBe(base.logs.standard.samplePercent);
  });

  it("logs.debug.enabled routes debug records to the debug tier", () => {
    const c = configOf(withLogs({ debug: { enabled: true } }));
    expect(groupsOf(c, record({ severityNumber: DEBUG }))).toEqual([GROUPS.debug]);
    expect(groupsOf(c, record({ severityNumber: INFO, attributes: { latency_ms: 1 } }, 3)).every((g) => g === GROUPS.standard)).toBe(true);
  });

  it("logs.errors.keepContent keeps prompt bodies in the errors tier (still redacted)", () => {
    const c = configOf(withLogs({ errors: { keepContent: true } }));
    const [out] = runLogsPipelines(c, [record({ severityNumber: ERROR, attributes: { "gen_ai.input.messages": "mail me at a.b@example.org" } })]);
    expect(out.record.attributes["gen_ai.input.messages"]).toBe("mail me at [REDACTED:email]");
  });
});

describe("the synthesized stack", () => {
  it("points every logs exporter at a log group the same stack creates, one tier each", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const platform = new ObservabilityPlatform(stack, "platform", { environment: "staging" });
    new ServiceObservability(stack, "svc", { service: EXAMPLES[0], platform });
    const json = JSON.parse(Testing.synth(stack));
    const groups = json.resource.aws_cloudwatch_log_group as Record<string, { name: string; tags: { tier?: string } }>;
    const byTier = Object.fromEntries(Object.entries(groups).filter(([, g]) => g.tags.tier).map(([id, g]) => [g.tags.tier, id]));
    const param = Object.values(json.resource.aws_ssm_parameter as Record<string, { name: string; value: string }>).find((p) => p.name.endsWith("otel-collector-config"));
    const config = parse(param!.value);
    const exporters = Object.entries(config.exporters).filter(([k]) => k.startsWith("awscloudwatchlogs/"));
    expect(exporters.map(([k]) => k).sort()).toEqual(["awscloudwatchlogs/audit", "awscloudwatchlogs/errors", "awscloudwatchlogs/standard"]);
    for (const [k, e] of exporters) {
      const tier = k.split("/")[1];
      expect((e as { log_group_name: string }).log_group_name).toBe(`\${aws_cloudwatch_log_group.${byTier[tier]}.name}`);
    }
  });
});

describe("docs/traces.md", () => {
  it("holds today's trace contract table", () => {
    const doc = readFileSync(join(__dirname, "../docs/traces.md"), "utf8");
    expect(doc).toContain(traceContractTable());
  });
});
