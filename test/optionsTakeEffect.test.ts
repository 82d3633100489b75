/**
 * No setting silently does nothing: every field of the description, enumerated from the schema
 * itself (so a new option cannot skip this test), is changed one at a time on a full example, and
 * the change must either alter what the project generates (rule files, dashboards, Alertmanager
 * config, collector config, or the synthesized stacks) or be rejected with its field path.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { alertmanagerFiles, serviceRuleFile } from "../cli/ruleFiles";
import { EXAMPLE_DEFAULT_RECEIVER } from "../examples/exampleApp";
import { dashboardFiles } from "../dashboards/files";
import { generationIssues } from "../cli/generationCheck";
import { SERVICE_SCHEMA } from "../service/descriptionSchema";
import { DEFAULT_METRIC_CONTRACT, type MetricKey } from "../service/metricContract";
import { normalizeService, ValidationError } from "../service/normalize";
import type { ServiceModel } from "../service/model";
import { fieldDocs } from "../service/schemaDsl";
import { collectorConfig } from "../tracing/collectorConfig";
import { runMlobs } from "./support/mlobsInProcess";

type Description = Record<string, any>;
/** The RAG example in one environment, with a drift feature on the contract's default buckets too. */
const example = (): Description => {
  const d = parse(readFileSync(join(__dirname, "../examples/rag-assistant.yaml"), "utf8"));
  return { ...d, environments: ["prod"], drift: { ...d.drift, features: [...d.drift.features, { name: "retrieved_chunks" }] } };
};

/** A change of one field; `on` first turns the example into one where the field can be set (an email receiver for its SMTP relay). */
type Change = ((d: Description) => void) | { readonly on: (d: Description) => void; readonly change: (d: Description) => void };

/** The severity's receiver as email with a full SMTP relay of its own, so each relay field can change alone. */
const emailWithRelay = (severity: "page" | "ticket") => (d: Description) => {
  d.alerting[severity] = {
    type: "email",
    addresses: ["search-ai-oncall@example.com"],
    smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com", authUsername: "alertmanager", authPassword: "ssm:/observability/search-ai/smtp-password", requireTls: true },
  };
};
const relayChange = (severity: "page" | "ticket", field: string, value: unknown): Change => ({
  on: emailWithRelay(severity),
  change: (d) => (d.alerting[severity].smtp[field] = value),
});

/** The example as an agent, so the agent section's limits can change (other kinds reject the section). */
const asAgent = (d: Description) => {
  d.kind = "agent";
  // An agent retrieves through tools, not a pipeline stage: the example's retrieval section is for rag-pipeline only.
  delete d.quality.retrieval;
};

/**
 * How each field is changed. Keys are the schema's field paths (`[]` = every item of a list; the
 * change applies to the first item). Every leaf field of the schema must appear here.
 */
const CHANGES: Record<string, Change> = {
  name: (d) => (d.name = "rag-assistant-two"),
  team: (d) => (d.team = "search-ml"),
  owner: (d) => (d.owner = "someone-else@example.com"),
  // A gateway retrieves nothing, so the example's retrieval section goes with the change (kept, it is rejected at quality.retrieval).
  kind: (d) => {
    d.kind = "llm-gateway";
    delete d.quality.retrieval;
  },
  criticality: (d) => (d.criticality = "tier3"),
  gpu: (d) => (d.gpu = false),
  memoryLimitMetric: (d) => (d.memoryLimitMetric = "container_spec_memory_limit_bytes"),
  environments: (d) => (d.environments = ["live"]),
  selector: (d) => (d.selector = { job: "rag", namespace: "search" }),
  "stages[].name": (d) => {
    d.stages[1].name = "fetch";
  },
  "stages[].latencyTargetSeconds": (d) => (d.stages[0].latencyTargetSeconds = 0.16),
  "slos[].name": (d) => (d.slos[0].name = "uptime"),
  "slos[].objectivePercent": (d) => (d.slos[0].objectivePercent = 99.5),
  "slos[].periodDays": (d) => (d.slos[0].periodDays = 28),
  "slos[].description": (d) => (d.slos[0].description = "Queries succeed"),
  "slos[].availability.stage": (d) => (d.slos[0].availability = { stage: "generate" }),
  "slos[].latency.thresholdSeconds": (d) => (d.slos[1].latency.thresholdSeconds = 5.12),
  "slos[].latency.stage": (d) => (d.slos[1].latency = { stage: "generate", thresholdSeconds: 5.12 }),
  "slos[].quality.score": (d) => (d.slos[3].quality.score = "faithfulness"),
  "slos[].quality.threshold": (d) => (d.slos[3].quality.threshold = 0.6),
  "slos[].custom.goodMetric": (d) => (d.slos[4].custom.goodMetric = "rag_good_total"),
  "slos[].custom.totalMetric": (d) => (d.slos[4].custom.totalMetric = "rag_all_total"),
  "models[].name": (d) => (d.models[0].name = "gpt-4o"),
  "models[].provider": (d) => (d.models[0].provider = "azure-openai"),
  "models[].inputPricePer1kTokens": (d) => (d.models[0].inputPricePer1kTokens = 0.0025),
  "models[].outputPricePer1kTokens": (d) => (d.models[0].outputPricePer1kTokens = 0.01),
  "quality.scores[].name": (d) => {
    d.quality.scores[1].name = "groundedness";
  },
  "quality.scores[].threshold": (d) => (d.quality.scores[1].threshold = 0.9),
  "quality.scores[].targetPercent": (d) => (d.quality.scores[1].targetPercent = 80),
  "quality.maxHallucinationPercent": (d) => (d.quality.maxHallucinationPercent = 7),
  "quality.maxNegativeFeedbackPercent": (d) => (d.quality.maxNegativeFeedbackPercent = 30),
  // The example declares relevance's judge, safety and retrieval; each field changes a limit.
  "quality.scores[].judge.minAgreementPercent": (d) => (d.quality.scores[0].judge.minAgreementPercent = 75),
  "quality.scores[].judge.minLabelledSamples": (d) => (d.quality.scores[0].judge.minLabelledSamples = 300),
  "quality.safety.maxInjectionAcceptedPercent": (d) => (d.quality.safety.maxInjectionAcceptedPercent = 2),
  "quality.safety.maxUnsafePercent": (d) => (d.quality.safety.maxUnsafePercent = 2),
  "quality.safety.maxBadRefusalPercent": (d) => (d.quality.safety.maxBadRefusalPercent = 30),
  "quality.retrieval.maxMissPercent": (d) => (d.quality.retrieval.maxMissPercent = 15),
  "quality.retrieval.minCitationSupportPercent": (d) => (d.quality.retrieval.minCitationSupportPercent = 80),
  "quality.retrieval.maxChunkScorePsi": (d) => (d.quality.retrieval.maxChunkScorePsi = 0.3),
  "drift.features[].name": (d) => (d.drift.features[0].name = "query_tokens"),
  "drift.features[].buckets": (d) => (d.drift.features[0].buckets = [10, 100, 1000]),
  "drift.features[].baselineFractions": (d) => (d.drift.features[0].baselineFractions = [0.1, 0.1, 0.2, 0.2, 0.2, 0.1, 0.05, 0.05]),
  "drift.psiThreshold": (d) => (d.drift.psiThreshold = 0.25),
  "drift.window": (d) => (d.drift.window = "2h"),
  "drift.baselineOffset": (d) => (d.drift.baselineOffset = "1d"),
  "drift.maxMissingFeaturePercent": (d) => (d.drift.maxMissingFeaturePercent = 2),
  "drift.minObservations": (d) => (d.drift.minObservations = 1000),
  "cost.hourlyBudgetUsd": (d) => (d.cost.hourlyBudgetUsd = 20),
  // ---- serving and agent signals ----
  "serving.maxQueueSeconds": (d) => (d.serving.maxQueueSeconds = 1.28),
  "serving.maxInterTokenSeconds": (d) => (d.serving.maxInterTokenSeconds = 0.1),
  "serving.maxCancelledPercent": (d) => (d.serving.maxCancelledPercent = 10),
  "agent.maxStepsPerTask": { on: asAgent, change: (d) => (d.agent = { maxStepsPerTask: 16 }) },
  "agent.maxStepCapPercent": { on: asAgent, change: (d) => (d.agent = { maxStepCapPercent: 2 }) },
  "agent.maxToolCallsPerTask": { on: asAgent, change: (d) => (d.agent = { maxToolCallsPerTask: 20 }) },
  "agent.toolCallsPerHourBudget": { on: asAgent, change: (d) => (d.agent = { toolCallsPerHourBudget: 5000 }) },
  "agent.maxToolErrorPercent": { on: asAgent, change: (d) => (d.agent = { maxToolErrorPercent: 20 }) },
  "agent.maxRollbacksPerHour": { on: asAgent, change: (d) => (d.agent = { maxRollbacksPerHour: 2 }) },
  // ---- slices and the canary track (dashboards only; the example declares a region slice and the track) ----
  "slices[].label": (d) => (d.slices[0].label = "tenant_tier"),
  "slices[].description": (d) => (d.slices[0].description = "availability zone of the serving replica"),
  "canary.label": (d) => (d.canary.label = "deployment_track"),
  "canary.canary": (d) => (d.canary.canary = "next"),
  "canary.baseline": (d) => (d.canary.baseline = "main"),
  "logs.errors.retentionDays": (d) => (d.logs = { errors: { retentionDays: 180 } }),
  "logs.errors.keepContent": (d) => (d.logs = { errors: { keepContent: true } }),
  "logs.standard.retentionDays": (d) => (d.logs = { standard: { retentionDays: 30 } }),
  "logs.standard.samplePercent": (d) => (d.logs = { standard: { samplePercent: 20 } }),
  "logs.standard.keepContent": (d) => (d.logs = { standard: { keepContent: true } }),
  "logs.audit.retentionDays": (d) => (d.logs = { audit: { retentionDays: 731 } }),
  "logs.audit.keepContent": (d) => (d.logs = { audit: { keepContent: true } }),
  "logs.debug.retentionDays": (d) => (d.logs = { debug: { retentionDays: 7 } }),
  "logs.debug.keepContent": (d) => (d.logs = { debug: { enabled: true, keepContent: true } }),
  "logs.debug.enabled": (d) => (d.logs = { debug: { enabled: true } }),
  "logs.maskPii": (d) => (d.logs = { maskPii: false }),
  "logs.piiIdentifiers": (d) => (d.logs = { piiIdentifiers: ["EmailAddress"] }),
  "tracing.slowThresholdSeconds": (d) => (d.tracing.slowThresholdSeconds = 1.5),
  "tracing.baselinePercent": (d) => (d.tracing.baselinePercent = 10),
  "alerting.page.type": (d) => (d.alerting.page = { type: "opsgenie", secret: "ssm:/observability/search-ai/opsgenie" }),
  "alerting.page.secret": (d) => (d.alerting.page.secret = "ssm:/observability/search-ai/other-key"),
  "alerting.page.channel": (d) => (d.alerting.page.channel = "#search-ai-pages"),
  "alerting.page.addresses": (d) => (d.alerting.page.addresses = ["oncall@example.com"]),
  "alerting.ticket.type": (d) => (d.alerting.ticket = { type: "email", addresses: ["search-ai@example.com"] }),
  "alerting.ticket.secret": (d) => (d.alerting.ticket.secret = "secretsmanager:observability/search-ai/other-webhook"),
  "alerting.ticket.channel": (d) => (d.alerting.ticket.channel = "#search-ai-tickets"),
  "alerting.ticket.addresses": (d) => (d.alerting.ticket.addresses = ["search-ai@example.com"]),
  ...Object.fromEntries(
    (["page", "ticket"] as const).flatMap((sev) => [
      [`alerting.${sev}.smtp.smarthost`, relayChange(sev, "smarthost", "mail.example.com:465")],
      [`alerting.${sev}.smtp.from`, relayChange(sev, "from", "search-ai-alerts@example.com")],
      [`alerting.${sev}.smtp.authUsername`, relayChange(sev, "authUsername", "search-ai")],
      [`alerting.${sev}.smtp.authPassword`, relayChange(sev, "authPassword", "secretsmanager:observability/search-ai/smtp")],
      [`alerting.${sev}.smtp.requireTls`, relayChange(sev, "requireTls", false)],
    ]),
  ),
  "alerting.runbookBaseUrl": (d) => (d.alerting.runbookBaseUrl = "https://wiki.example.com/runbooks"),
  "alerting.pagingBudget": (d) => (d.alerting.pagingBudget = 1),
  "alerting.routing": (d) => (d.alerting.routing = "per-rule"),
};

/**
 * Metric-contract overrides: names renamed, label names and values changed, and buckets moved so
 * that every boundary the description relies on is gone or the top bucket grows.
 */
function metricChange(path: string): (d: Description) => void {
  const [, key, field] = path.split(".");
  const value = (): unknown => {
    if (key === "labels") return `custom_${field}`;
    if (key === "values") return field === "httpServerErrorRegex" ? "5[0-9][0-9]|429" : `custom-${field}`;
    if (field === "buckets") return [0.05, 0.15, 163.84];
    return `custom_${key}_${field}`;
  };
  return (d) => (d.metrics = { [key]: { [field]: value() } });
}

const LEAVES = fieldDocs(SERVICE_SCHEMA).filter((f) => !/^(list of )?object$/.test(f.type)).map((f) => f.path);

/** What the pure generators make of a model: rules, dashboards, Alertmanager, collector config. */
function generated(model: ServiceModel): string {
  const env = model.environments[0];
  const groups = { errors: "e", standard: "s", audit: "a", debug: "d" };
  return JSON.stringify([
    serviceRuleFile(model, { environment: env }),
    dashboardFiles([model], env).map((f) => f.content),
    // One relay for every email receiver, so a receiver turned email is rendered, not refused.
    alertmanagerFiles([model], { defaultReceiver: EXAMPLE_DEFAULT_RECEIVER, smtp: { smarthost: "smtp.example.com:587", from: "alertmanager@example.com" } }),
    collectorConfig(model, { remoteWriteUrl: "https://aps.example/rw", region: "eu-west-1", logGroups: groups }),
  ]);
}

/** Every stack file `mlobs synth` writes for the description, concatenated. */
function synthesized(d: Description): string {
  const dir = mkdtempSync(join(tmpdir(), "options-"));
  try {
    writeFileSync(join(dir, "svc.yaml"), stringify(d));
    writeFileSync(join(dir, "catch-all.yaml"), stringify(EXAMPLE_DEFAULT_RECEIVER));
    const r = runMlobs(["synth", join(dir, "svc.yaml"), "--out", join(dir, "out"), "--default-receiver-file", join(dir, "catch-all.yaml")]);
    if (r.code !== 0) throw new Error(r.out);
    const files: string[] = [];
    const walk = (p: string): void => {
      if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
      else if (p.endsWith(".json")) files.push(readFileSync(p, "utf8"));
    };
    walk(join(dir, "out", "stacks"));
    return files.join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Outcome = { kind: "rejected"; paths: string[]; messages: string[] } | { kind: "changed" } | { kind: "no effect" };

/** The example as `on` leaves it, and what it generates and synthesizes (computed once each). */
function baseline(on?: (d: Description) => void) {
  const d = structuredClone(example());
  on?.(d);
  let synth: string | undefined;
  return { d, generated: generated(normalizeService(d)), synth: () => (synth ??= synthesized(d)) };
}
const plain = baseline();

function outcomeOf(c: Change): Outcome {
  const base = typeof c === "function" ? plain : baseline(c.on);
  const change = typeof c === "function" ? c : c.change;
  const d = structuredClone(base.d);
  change(d);
  let model: ServiceModel;
  try {
    model = normalizeService(d);
  } catch (e) {
    if (e instanceof ValidationError) return { kind: "rejected", paths: e.issues.map((i) => i.path), messages: e.issues.map((i) => i.message) };
    throw e;
  }
  // What `mlobs validate` adds: the generators' own checks (paging budget, unused overrides...).
  const late = generationIssues([model]);
  if (late.length > 0) return { kind: "rejected", paths: late.map((i) => i.path), messages: late.map((i) => i.message) };
  if (generated(model) !== base.generated) return { kind: "changed" };
  return synthesized(d) !== base.synth() ? { kind: "changed" } : { kind: "no effect" };
}

describe("every option of the description takes effect or is rejected with its field path", () => {
  it("has a change for every field the schema declares", () => {
    const missing = LEAVES.filter((p) => !p.startsWith("metrics.") && !(p in CHANGES));
    expect(missing).toEqual([]);
  });

  it.each(LEAVES.map((p) => [p] as const))("%s", (path) => {
    const change = path.startsWith("metrics.") ? metricChange(path) : CHANGES[path];
    const outcome = outcomeOf(change);
    if (outcome.kind === "rejected") {
      // Rejected at the field itself (or the list item or override holding it), never somewhere
      // unrelated; moved buckets are rejected where a threshold no longer sits on a boundary,
      // naming the metric.
      const [, key, field] = path.split(".");
      const named = path.startsWith("metrics.") && field === "buckets" ? (DEFAULT_METRIC_CONTRACT[key as MetricKey] as { name: string }).name : undefined;
      const last = path.replace(/\[\]/g, "").split(".").pop()!;
      expect(outcome.paths.some((p) => p.includes(path.startsWith("metrics.") ? `metrics.${key}` : last)) || (named !== undefined && outcome.messages.some((m) => m.includes(named)))).toBe(true);
    } else expect(outcome.kind).toBe("changed");
  });
});
