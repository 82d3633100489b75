/**
 * The service description, assembled from its sections, and the normalized model every generator
 * reads. Each section (slos.ts, quality.ts, drift.ts, logs.ts, tracing.ts, alerting.ts, metrics.ts)
 * holds its schema, its defaults, its cross-field checks and its normalizer side by side; this file
 * adds the top-level fields and the checks that join sections (an SLO naming a stage or a score).
 */
import { arr, bool, dflt, map, num, obj, oneOfStrings, req, str, type Loose, type Output, type RefineContext } from "../schemaDsl";
import { AGENT_SCHEMA, buildAgent, checkAgent } from "./agent";
import { ALERTING_SCHEMA, buildAlerting, checkReceivers } from "./alerting";
import { metricName, name } from "./common";
import { DRIFT_SCHEMA, buildDrift, checkDrift } from "./drift";
import { checkGenAiQuality } from "./genaiQuality";
import { LOGS_SCHEMA, buildLogs } from "./logs";
import { METRICS_SCHEMA, resolveContract } from "./metrics";
import { QUALITY_SCHEMA, buildQuality } from "./quality";
import { SERVING_SCHEMA, buildServing, checkServing } from "./serving";
import { CANARY_SCHEMA, SLICES_SCHEMA, checkSlices } from "./slices";
import { SLO_SCHEMA, buildSlo, checkSlos, requireBoundary } from "./slos";
import { TRACING_SCHEMA, buildTracing } from "./tracing";

const STAGE_SCHEMA = obj("A pipeline stage.", {
  name: req(name("Stage name, equal to its span name.")),
  latencyTargetSeconds: req(num("P95 latency target, seconds; drives panels and tail sampling.", { exclusiveMinimum: 0 })),
});

const MODEL_SCHEMA = obj("A model and its prices.", {
  name: req(str("Model id as in gen_ai_request_model.", { minLength: 1, maxLength: 100 })),
  provider: req(str("Provider.", { minLength: 1, maxLength: 50 })),
  inputPricePer1kTokens: dflt(num("USD per 1,000 input tokens.", { minimum: 0 }), 0),
  outputPricePer1kTokens: dflt(num("USD per 1,000 output tokens.", { minimum: 0 }), 0),
});

const SERVICE_FIELDS = {
  name: req(name("Service name; used in ids, labels and uids.")),
  team: req(name("Owning team; routes alerts (`team` label).")),
  owner: req(str("Accountable owner: a handle or an email address.", { minLength: 1, maxLength: 100 })),
  kind: req(oneOfStrings("Kind of service; picks sensible panels and signals.", ["rag-pipeline", "llm-gateway", "model-endpoint", "agent", "custom"])),
  criticality: dflt(oneOfStrings("Business criticality.", ["tier1", "tier2", "tier3"]), "tier2"),
  environments: dflt(arr("Environments.", name("Environment name."), { minItems: 1 }), ["staging", "prod"]),
  gpu: dflt(bool("The service runs on GPUs and exports DCGM metrics: adds the GPU saturation, GPU memory and idle-GPU tickets and panels."), false),
  memoryLimitMetric: metricName(
    "Gauge of each replica's memory limit in bytes, carrying the service's selector labels and the same `instance` label as its resident memory (e.g. container_spec_memory_limit_bytes, relabelled). With it the memory ticket warns when the growth trend reaches the limit within 3 days; without it, it compares memory with the same time yesterday.",
  ),
  selector: map(
    "Label matchers selecting the service's series (default: job=<name>, as OTLP maps service.name to job).",
    /^[a-zA-Z_][a-zA-Z0-9_]*$/,
    "use Prometheus label names as keys",
    str("Exact label value.", { minLength: 1 }),
  ),
  stages: dflt(arr("Pipeline stages in request order.", STAGE_SCHEMA, { uniqueBy: "name" }), []),
  slos: dflt(arr("Service level objectives.", SLO_SCHEMA, { uniqueBy: "name" }), []),
  models: dflt(arr("Models the service calls, with their prices (LLM kinds: rag-pipeline, llm-gateway, agent); spend is computed for the priced ones.", MODEL_SCHEMA, { uniqueBy: "name" }), []),
  quality: dflt(QUALITY_SCHEMA, {}),
  drift: dflt(DRIFT_SCHEMA, {}),
  cost: dflt(obj("Cost signals.", { hourlyBudgetUsd: num("Hourly spend budget, USD: a ticket when spend averages over it for a day (held for a week), or passes it within an hour at 1.5x the same hour yesterday and last week (default: no spend ticket). LLM kinds, with at least one priced model in `models`.", { exclusiveMinimum: 0 }) }), {}),
  serving: SERVING_SCHEMA,
  agent: dflt(AGENT_SCHEMA, {}),
  logs: dflt(LOGS_SCHEMA, {}),
  tracing: dflt(TRACING_SCHEMA, {}),
  alerting: req(ALERTING_SCHEMA),
  metrics: METRICS_SCHEMA,
  // ---- slices (dashboards only) ----
  slices: dflt(SLICES_SCHEMA, []),
  canary: CANARY_SCHEMA,
};

type LooseService = Loose<Output<ReturnType<typeof obj<typeof SERVICE_FIELDS>>>>;

/** Checks that join sections: SLOs against stages, scores and the contract's buckets; receivers; drift baselines. */
function checkService(d: LooseService, ctx: RefineContext): void {
  const metrics = resolveContract(d.metrics);
  const stages = d.stages ?? [];
  // When `stages` is itself malformed (already reported), stage references cannot be judged.
  const stagesWellFormed = !ctx.given("stages") || (d.stages !== undefined && stages.every((st) => st !== undefined));
  const stageNames = stagesWellFormed ? new Set(stages.flatMap((st) => (st?.name !== undefined && st.latencyTargetSeconds !== undefined ? [st.name] : []))) : undefined;
  const scores = d.quality?.scores ?? [];
  const scoreNames = new Set(scores.flatMap((sc) => (sc?.name === undefined ? [] : [sc.name])));
  checkSlos(d.slos, { metrics, stageNames, scoreNames }, ctx);
  scores.forEach((sc, i) => requireBoundary(ctx, `quality.scores[${i}].threshold`, sc?.threshold, metrics.evaluationScore));
  checkDrift(d.drift, metrics, ctx);
  checkServing(d.serving, d.kind, metrics, ctx);
  checkAgent(d.agent, d.kind, ctx.given("agent"), metrics, ctx);
  checkGenAiQuality(d, ctx);
  checkReceivers(d, ctx);
  checkSlices(d.slices, d.canary, metrics, Object.keys(d.selector ?? {}), ctx);
}

export const SERVICE_SCHEMA = obj("An ML or GenAI service to observe.", SERVICE_FIELDS, { refine: checkService });

export const SERVICES_FILE_SCHEMA = obj("A file of service descriptions.", {
  services: req(arr("Services.", SERVICE_SCHEMA, { minItems: 1, uniqueBy: "name" })),
});

const byKey = ([a]: readonly [string, string], [b]: readonly [string, string]) => (a < b ? -1 : a > b ? 1 : 0);

/** The normalized model of a valid description: what every generator and construct reads. */
export function buildServiceModel(d: Output<typeof SERVICE_SCHEMA>) {
  const metrics = resolveContract(d.metrics);
  const slos = d.slos.map(buildSlo);
  const endToEndLatency = slos.flatMap((s) => (s.sli.kind === "latency" && !s.sli.stage ? [s.sli.thresholdSeconds] : []));
  return {
    ...d,
    /** Label matchers selecting the service's series, sorted by key. */
    selector: Object.entries(d.selector ?? { job: d.name }).sort(byKey),
    slos,
    quality: buildQuality(d.quality, d.drift.psiThreshold),
    drift: buildDrift(d.drift, metrics),
    /** Serving signals; undefined when the service declares none. */
    serving: buildServing(d.serving),
    /** Agent limits (read only for kind agent). */
    agent: buildAgent(d.agent),
    logs: buildLogs(d.logs),
    tracing: buildTracing(d.tracing, endToEndLatency),
    alerting: buildAlerting(d.alerting),
    /** The metric contract with this service's overrides applied. */
    metrics,
  };
}
