/**
 * Synthetic series for one service, as its instrumentation would export them: full histograms
 * (every bucket, `_count`, `_sum`) per status, stage, model, token type, evaluation and feature;
 * counters and gauges per replica. Names and labels come from the service's resolved metric
 * contract, so the generated rules select them. Healthy steady traffic: the point is how much
 * work the rules do, not which alerts fire.
 */
import type { HistogramMetric } from "../../service/metricContract";
import type { ServiceModel } from "../../service/model";

export interface SeriesSpec {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Counters grow by `perMinute` each minute; gauges hold `level`. */
  readonly perMinute?: number;
  readonly level?: number;
  /**
   * Offsets the rules read this series at (drift baselines a week back, the cache hit ratio a day
   * back): the backfill adds an hour around each.
   */
  readonly offsets: readonly string[];
}

/** Requests per minute of every generated service (enough observations for drift rules' floors). */
export const REQUESTS_PER_MINUTE = 600;
const MODEL_VERSIONS = ["v1", "v2"];
const REPLICAS = ["10.0.0.1:9090", "10.0.0.2:9090"];

const le = (b: number) => String(b);

/** Cumulative share of observations at or under bucket i of n (a smooth, mostly-fast shape). */
const latencyShare = (i: number) => 1 - Math.pow(0.35, i + 1);
const scoreShare = (i: number, n: number) => Math.pow((i + 1) / (n + 1), 3);

function histogram(
  h: HistogramMetric,
  labels: Record<string, string>,
  perMinute: number,
  share: (i: number, n: number) => number,
  offsets: readonly string[] = [],
  buckets: readonly number[] = h.buckets,
): SeriesSpec[] {
  const out: SeriesSpec[] = buckets.map((b, i) => ({ name: `${h.name}_bucket`, labels: { ...labels, le: le(b) }, perMinute: Math.round(perMinute * share(i, buckets.length) * 100) / 100, offsets }));
  out.push({ name: `${h.name}_bucket`, labels: { ...labels, le: "+Inf" }, perMinute, offsets });
  out.push({ name: `${h.name}_count`, labels, perMinute, offsets });
  out.push({ name: `${h.name}_sum`, labels, perMinute: perMinute * 0.25, offsets });
  return out;
}

/** Every series the service exports. */
export function serviceSeries(model: ServiceModel): SeriesSpec[] {
  const m = model.metrics;
  const L = m.labels;
  const base: Record<string, string> = Object.fromEntries(model.selector);
  const rpm = REQUESTS_PER_MINUTE;
  const llm = model.kind === "rag-pipeline" || model.kind === "llm-gateway";
  const out: SeriesSpec[] = [];
  const drift = [model.drift.baselineOffset];

  // End-to-end requests, split by status (0.1% server errors).
  out.push(...histogram(m.httpRequestDuration, { ...base, [L.httpStatusCode]: "200" }, rpm * 0.999, latencyShare));
  out.push(...histogram(m.httpRequestDuration, { ...base, [L.httpStatusCode]: "500" }, rpm * 0.001, latencyShare));

  // Stages, from span metrics.
  for (const st of model.stages) {
    out.push(...histogram(m.stageDuration, { ...base, [L.stage]: st.name }, rpm, latencyShare));
    out.push({ name: m.stageCalls.name, labels: { ...base, [L.stage]: st.name, [L.spanStatus]: "STATUS_CODE_UNSET" }, perMinute: rpm * 0.999, offsets: [] });
    out.push({ name: m.stageCalls.name, labels: { ...base, [L.stage]: st.name, [L.spanStatus]: m.values.spanStatusError }, perMinute: rpm * 0.001, offsets: [] });
  }

  // Evaluation scores per model version (a tenth of answers are evaluated).
  for (const s of model.quality.scores)
    for (const v of MODEL_VERSIONS)
      out.push(...histogram(m.evaluationScore, { ...base, [L.evaluation]: s.name, [L.modelVersion]: v }, rpm / 10 / MODEL_VERSIONS.length, scoreShare));

  // Custom SLIs count good and total events themselves.
  for (const slo of model.slos)
    if (slo.sli.kind === "custom") {
      out.push({ name: slo.sli.totalMetric, labels: base, perMinute: rpm, offsets: [] });
      out.push({ name: slo.sli.goodMetric, labels: base, perMinute: rpm * 0.999, offsets: [] });
    }

  if (llm) {
    for (const x of model.models) {
      out.push(...histogram(m.genAiOperationDuration, { ...base, [L.model]: x.name }, rpm, latencyShare));
      for (const type of [m.values.tokenInput, m.values.tokenOutput])
        out.push(...histogram(m.genAiTokenUsage, { ...base, [L.model]: x.name, [L.tokenType]: type }, rpm, scoreShare, drift));
    }
    for (const v of MODEL_VERSIONS) {
      out.push({ name: m.hallucinations.name, labels: { ...base, [L.modelVersion]: v }, perMinute: 0.5, offsets: [] });
      out.push({ name: m.refusals.name, labels: { ...base, [L.modelVersion]: v }, perMinute: 0.3, offsets: [] });
      out.push({ name: m.feedback.name, labels: { ...base, [L.modelVersion]: v, [L.feedback]: "positive" }, perMinute: 6, offsets: [] });
      out.push({ name: m.feedback.name, labels: { ...base, [L.modelVersion]: v, [L.feedback]: m.values.feedbackNegative }, perMinute: 1, offsets: [] });
    }
  }
  if (model.kind === "rag-pipeline") out.push(...histogram(m.embeddingDrift, base, rpm, scoreShare, drift));
  if (model.kind === "model-endpoint") {
    out.push({ name: m.predictions.name, labels: base, perMinute: rpm, offsets: [] });
    out.push(...histogram(m.predictionScore, base, rpm, scoreShare, drift));
  }

  // Features: values, missing and defaulted counts, schema violations.
  for (const f of model.drift.features) {
    out.push(...histogram(m.featureValue, { ...base, [L.feature]: f.name }, rpm, scoreShare, drift, f.buckets));
    out.push({ name: m.featureMissing.name, labels: { ...base, [L.feature]: f.name }, perMinute: rpm * 0.001, offsets: [] });
    out.push({ name: m.featureDefaulted.name, labels: { ...base, [L.feature]: f.name }, perMinute: rpm * 0.002, offsets: [] });
  }
  out.push({ name: m.schemaViolations.name, labels: base, perMinute: 0.2, offsets: [] });

  // Cache and saturation, per replica.
  out.push({ name: m.cacheRequests.name, labels: { ...base, [L.cacheResult]: m.values.cacheHit }, perMinute: rpm * 0.6, offsets: ["1d"] });
  out.push({ name: m.cacheRequests.name, labels: { ...base, [L.cacheResult]: "miss" }, perMinute: rpm * 0.4, offsets: ["1d"] });
  for (const instance of REPLICAS) {
    const inst = { ...base, instance };
    out.push({ name: m.up.name, labels: inst, level: 1, offsets: [] });
    out.push({ name: m.processMemory.name, labels: inst, level: 2.5e9, offsets: [] });
    out.push({ name: m.queueDepth.name, labels: inst, level: 3, offsets: [] });
    out.push({ name: m.gpuUtilization.name, labels: { ...inst, gpu: "0" }, level: 55, offsets: [] });
    out.push({ name: m.gpuMemoryUsed.name, labels: { ...inst, gpu: "0" }, level: 30000, offsets: [] });
    out.push({ name: m.gpuMemoryFree.name, labels: { ...inst, gpu: "0" }, level: 50000, offsets: [] });
  }
  return out;
}

/** Value of a series at unix time `t` (seconds); counters count from `origin`. */
export function seriesValue(s: SeriesSpec, t: number, origin: number): number {
  return s.perMinute !== undefined ? Math.round(((s.perMinute * (t - origin)) / 60) * 100) / 100 : s.level ?? 0;
}
