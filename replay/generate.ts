/**
 * Turns a service's minute states into the series its instrumentation would emit, with every
 * name, label and bucket read from the model's metric contract (`model.metrics`) and the labels
 * the rules and panels select on: the service selector, status codes, stage span names and span
 * status, model and token type, evaluation name, model version, feature, feedback, cache result,
 * the safety, retrieval and judge verdicts with prompt and index versions (generateGenAi.ts),
 * the declared slice and canary-track labels on request, latency, error and quality series (slices.ts),
 * `instance` and `gpu` on the per-replica gauges, and the custom SLO counters of the description.
 *
 * Request counters and histograms are per service (as the collector's span-metrics connector and
 * an OTLP exporter aggregated over replicas would send them); saturation gauges and `up` are per
 * replica. Every count is drawn from a seeded stream per group of metrics (requests, stages, models,
 * …). Leaving a metric out (`include`) skips its draws, so the other metrics of its group get other
 * values (a stage's call counter moves when its latency histogram is left out); only the other
 * groups keep theirs. Runs whose results are compared with each other generate everything.
 */
import type { ServiceModel } from "../service/model";
import { binShares, drawBins, logNormal, logNormalMixture, scoreShares, type Distribution } from "./distributions";
import { createRandom, seedOf, type Random } from "../toolkit/random";
import { SeriesBook, type Series } from "./seriesBook";
import type { Latency, MinuteState, VersionState } from "./traffic";
import { agentTasks, servingSignals } from "./generateAgent";
import { judgedAnswers, retrievedChunks } from "./generateGenAi";
import { divide, sliceCells } from "./slices";

export interface GenerateOptions {
  readonly seed: number;
  /** Minutes of traffic; series get `minutes + 1` samples (minute 0 is the start, all counters 0). */
  readonly minutes: number;
  /** The state of the service at each minute. */
  readonly stateAt: (minute: number) => MinuteState;
  /** Only generate metric families whose series names pass (e.g. what a rule file reads); this changes the values of the metrics drawn from the same stream as one left out. @default - all */
  readonly include?: (seriesName: string) => boolean;
}

/** Latency of failed requests: they fail fast. */
const ERROR_LATENCY = logNormal(0.08, 0.5);

/** End-to-end latency: a log-normal around the stage medians' sum, per combination of stage mixture parts. */
export function endToEndLatency(state: MinuteState): Distribution {
  const stages = Object.values(state.stages);
  if (stages.length === 0) return logNormalMixture(state.latency);
  let parts: { weight: number; median: number }[] = [{ weight: 1, median: 0 }];
  for (const lat of [...stages.map((s) => s.latency), state.latency])
    parts = parts.flatMap((p) => lat.map((q) => ({ weight: p.weight * q.weight, median: p.median + q.median })));
  const sigma = Math.max(...state.latency.map((p) => p.sigma));
  return logNormalMixture(parts.map((p) => ({ ...p, sigma })));
}

const mixture = (l: Latency) => logNormalMixture(l);

type Streams = Record<"requests" | "http" | "stages" | "models" | "versions" | "cache" | "features" | "outputs" | "custom" | "serving" | "agent" | "safety" | "retrieval" | "judge", Random>;

/** What every step of a minute writes with: the contract, the series book, the seeded streams and the family filter. */
export interface Emitter {
  readonly model: ServiceModel;
  readonly m: ServiceModel["metrics"];
  readonly book: SeriesBook;
  /** The service selector, first on every series. */
  readonly base: Readonly<Record<string, string>>;
  readonly rnd: Streams;
  readonly wanted: (name: string) => boolean;
  readonly histogramWanted: (name: string) => boolean;
  readonly observe: (minute: number, name: string, labels: Record<string, string>, buckets: readonly number[], n: number, dist: Distribution, rng: Random) => void;
  /** Threshold of the tightest end-to-end latency SLO (+Inf without one). */
  readonly endToEndThreshold: number;
  /** `observe`, with the observations divided among the slice cells (slices.ts); `observe` itself without slices. */
  readonly observeSliced: Emitter["observe"];
  /** `book.count`, with the increment divided among the slice cells. */
  readonly countSliced: (minute: number, name: string, labels: Record<string, string>, increment: number) => void;
}

/** Labels of one slice cell: the selector first, then the cell's labels, then the series' own. */
const inCell = (base: Readonly<Record<string, string>>, cell: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) => ({
  ...base,
  ...cell,
  ...labels,
});

function emitter(model: ServiceModel, options: GenerateOptions): Emitter {
  const book = new SeriesBook(options.minutes);
  const base = Object.fromEntries(model.selector);
  const cells = sliceCells(model);
  const wanted = options.include ?? (() => true);
  // The same label sets come every minute: each one's per-cell labels are built once (and SeriesBook
  // then reads their key once).
  const cellLabels = new Map<string, readonly Record<string, string>[]>();
  const inCells = (labels: Readonly<Record<string, string>>) => {
    const key = JSON.stringify(labels);
    let found = cellLabels.get(key);
    if (!found) cellLabels.set(key, (found = cells.map((cell) => inCell(base, cell, labels))));
    return found;
  };
  const stream = (family: string): Random => createRandom(seedOf(options.seed, model.name, family));
  const families = ["requests", "http", "stages", "models", "versions", "cache", "features", "outputs", "custom", "serving", "agent", "safety", "retrieval", "judge"] as const;
  return {
    model,
    m: model.metrics,
    book,
    base,
    rnd: Object.fromEntries(families.map((f) => [f, stream(f)])) as Streams,
    wanted,
    histogramWanted: (name) => wanted(`${name}_bucket`) || wanted(`${name}_count`) || wanted(`${name}_sum`),
    observe: (minute, name, labels, buckets, n, dist, rng) => book.histogram(minute, name, labels, buckets, drawBins(n, dist, buckets, rng.binomial), dist.mean),
    endToEndThreshold: Math.min(
      ...model.slos.flatMap((s) => (s.sli.kind === "latency" && !s.sli.stage ? [s.sli.thresholdSeconds] : [])),
      Number.POSITIVE_INFINITY,
    ),
    observeSliced: (minute, name, labels, buckets, n, dist, rng) => {
      const bins = drawBins(n, dist, buckets, rng.binomial);
      const perCell = bins.map((c, j) => divide(c, cells.length, minute + j));
      inCells(labels).forEach((l, i) => book.histogram(minute, name, l, buckets, perCell.map((p) => p[i]), dist.mean));
    },
    countSliced: (minute, name, labels, increment) => {
      const parts = divide(increment, cells.length, minute);
      inCells(labels).forEach((l, i) => book.count(minute, name, l, parts[i]));
    },
  };
}

export function generateSeries(model: ServiceModel, options: GenerateOptions): Series[] {
  const e = emitter(model, options);
  for (let minute = 0; minute <= options.minutes; minute++) generateMinute(e, options, minute);
  return e.book.all();
}

/**
 * generateSeries (the same series), giving the event loop a turn after every `turnEveryMinutes`
 * minutes of traffic: the I/O of work started before (a Prometheus being written to or queried)
 * goes on while a long replay is generated. At each turn, `progress` (when given) sees the series
 * so far and how many minutes of them are final (values before that never change again; a series
 * first seen later has none there).
 */
export async function generateSeriesInTurns(
  model: ServiceModel,
  options: GenerateOptions,
  turnEveryMinutes = 60,
  progress?: (series: readonly Series[], minutesDone: number) => void,
): Promise<Series[]> {
  const e = emitter(model, options);
  for (let minute = 0; minute <= options.minutes; minute++) {
    generateMinute(e, options, minute);
    if (minute % turnEveryMinutes === turnEveryMinutes - 1) {
      progress?.(e.book.all(), minute + 1);
      await new Promise<void>((go) => setImmediate(go));
    }
  }
  return e.book.all();
}

/** One minute of every series, in the output's order. */
function generateMinute(e: Emitter, options: GenerateOptions, minute: number): void {
  const L = e.m.labels;
  const state = options.stateAt(minute);
  // Minute 0 is the first sample: every counter starts at 0.
  const requests = minute === 0 ? 0 : e.rnd.requests.poisson(state.requestsPerMinute);
  const e2e = endToEndLatency(state);
  // The order of the steps is the order of the series in the output.
  httpRequests(e, minute, state, requests, e2e);
  stageCalls(e, minute, state, requests);
  modelCalls(e, minute, state, requests);
  versionOutputs(e, minute, state, requests);
  cacheLookups(e, minute, state, requests);
  featureInputs(e, minute, state, requests);
  retrievedChunks(e, minute, state, requests);
  replicaGauges(e, minute, state);
  customSlos(e, minute, state, requests, e2e);
  servingSignals(e, minute, state, requests);
  agentTasks(e, minute, state, requests);
  const activeVersions = new Set(state.versions.filter((v) => v.share > 0).map((v) => v.version));
  const activeReplicas = new Set(state.replicas.map((r) => r.instance));
  const alive = (s: Series) => {
    const v = s.labels[L.modelVersion];
    if (v !== undefined && !activeVersions.has(v)) return false;
    return s.labels.instance === undefined || activeReplicas.has(s.labels.instance);
  };
  e.book.endMinute(minute, alive);
}

function httpRequests({ m, base, rnd, histogramWanted, observeSliced: observe }: Emitter, minute: number, state: MinuteState, requests: number, e2e: Distribution): void {
  if (!histogramWanted(m.httpRequestDuration.name)) return;
  const L = m.labels;
  const errors = rnd.http.binomial(requests, state.errorShare);
  const h = m.httpRequestDuration;
  observe(minute, h.name, { ...base, [L.httpStatusCode]: "200" }, h.buckets, requests - errors, e2e, rnd.http);
  observe(minute, h.name, { ...base, [L.httpStatusCode]: state.errorStatus, [L.errorType]: state.errorType }, h.buckets, errors, ERROR_LATENCY, rnd.http);
}

function stageCalls({ m, base, rnd, wanted, histogramWanted, observeSliced: observe, countSliced: count }: Emitter, minute: number, state: MinuteState, requests: number): void {
  const L = m.labels;
  for (const [stage, s] of Object.entries(state.stages)) {
    const h = m.stageDuration;
    if (histogramWanted(h.name)) observe(minute, h.name, { ...base, [L.stage]: stage }, h.buckets, requests, mixture(s.latency), rnd.stages);
    if (wanted(m.stageCalls.name)) {
      const failed = rnd.stages.binomial(requests, s.errorShare);
      count(minute, m.stageCalls.name, { ...base, [L.stage]: stage, [L.spanStatus]: "STATUS_CODE_UNSET" }, requests - failed);
      count(minute, m.stageCalls.name, { ...base, [L.stage]: stage, [L.spanStatus]: m.values.spanStatusError, [L.errorType]: state.errorType }, failed);
    }
  }
}

function modelCalls({ m, base, rnd, histogramWanted, observe, observeSliced }: Emitter, minute: number, state: MinuteState, requests: number): void {
  const L = m.labels;
  for (const [name, call] of Object.entries(state.models)) {
    const calls = minute === 0 ? 0 : rnd.models.poisson(requests * call.callsPerRequest);
    const ml = { ...base, [L.model]: name };
    if (histogramWanted(m.genAiOperationDuration.name))
      observeSliced(minute, m.genAiOperationDuration.name, ml, m.genAiOperationDuration.buckets, calls, mixture(call.duration), rnd.models);
    if (histogramWanted(m.genAiTokenUsage.name)) {
      const t = m.genAiTokenUsage;
      observe(minute, t.name, { ...ml, [L.tokenType]: m.values.tokenInput }, t.buckets, calls, mixture(call.inputTokens), rnd.models);
      if (call.outputTokens)
        observe(minute, t.name, { ...ml, [L.tokenType]: m.values.tokenOutput }, t.buckets, calls, mixture(call.outputTokens), rnd.models);
    }
    if (call.timeToFirstToken && histogramWanted(m.timeToFirstToken.name))
      observeSliced(minute, m.timeToFirstToken.name, ml, m.timeToFirstToken.buckets, calls, mixture(call.timeToFirstToken), rnd.models);
  }
}

/** Requests per model version, then what each version's answers or predictions look like. */
function versionOutputs(e: Emitter, minute: number, state: MinuteState, requests: number): void {
  let left = requests;
  let shareLeft = 1;
  for (const v of state.versions.filter((x) => x.share > 0)) {
    const served = shareLeft <= v.share ? left : e.rnd.versions.binomial(left, v.share / shareLeft);
    left -= served;
    shareLeft -= v.share;
    versionAnswers(e, minute, state, v, served);
  }
}

function versionAnswers(e: Emitter, minute: number, state: MinuteState, v: VersionState, served: number): void {
  const { model, m, book, base, rnd, wanted, histogramWanted, observe, observeSliced, countSliced: count } = e;
  const L = m.labels;
  const V = m.values;
  // A service declaring retrieval labels its answers with the index version too (the contract's label is read only then).
  const vl = { ...base, [L.modelVersion]: v.version, ...(model.quality.retrieval ? { [L.indexVersion]: state.indexVersion } : {}) };
  const evaluated = rnd.versions.binomial(served, state.evaluatedShare);
  judgedAnswers(e, minute, state, v, served, evaluated);
  for (const s of model.quality.scores) {
    const h = m.evaluationScore;
    if (!histogramWanted(h.name)) continue;
    const shares = scoreShares(h.buckets, s.threshold, v.goodShare[s.name] ?? 1);
    observeSliced(minute, h.name, { ...vl, [L.evaluation]: s.name }, h.buckets, evaluated, binShares(h.buckets, shares), rnd.versions);
  }
  if (model.kind === "rag-pipeline" || model.kind === "llm-gateway" || model.kind === "agent") {
    if (wanted(m.hallucinations.name)) count(minute, m.hallucinations.name, vl, rnd.versions.binomial(evaluated, v.hallucinationShare));
    if (wanted(m.refusals.name)) count(minute, m.refusals.name, vl, rnd.versions.binomial(evaluated, v.refusalShare));
    if (wanted(m.feedback.name)) {
      const feedback = rnd.versions.binomial(served, state.feedbackShare);
      const negative = rnd.versions.binomial(feedback, v.negativeFeedbackShare);
      count(minute, m.feedback.name, { ...vl, [L.feedback]: V.feedbackNegative }, negative);
      count(minute, m.feedback.name, { ...vl, [L.feedback]: "positive" }, feedback - negative);
    }
  }
  if (model.kind === "model-endpoint") {
    if (wanted(m.predictions.name)) book.count(minute, m.predictions.name, vl, served);
    const h = m.predictionScore;
    if (histogramWanted(h.name)) observe(minute, h.name, vl, h.buckets, served, binShares(h.buckets, v.predictionScoreShares), rnd.versions);
  }
}

function cacheLookups({ m, book, base, rnd, wanted }: Emitter, minute: number, state: MinuteState, requests: number): void {
  if (!wanted(m.cacheRequests.name)) return;
  const lookups = Math.round(requests * state.cacheLookupsPerRequest);
  const hits = rnd.cache.binomial(lookups, state.cacheHitShare);
  book.count(minute, m.cacheRequests.name, { ...base, [m.labels.cacheResult]: m.values.cacheHit }, hits);
  book.count(minute, m.cacheRequests.name, { ...base, [m.labels.cacheResult]: "miss" }, lookups - hits);
}

/** Input features, schema violations and (RAG) the embedding distance of queries. */
function featureInputs({ model, m, book, base, rnd, wanted, histogramWanted, observe }: Emitter, minute: number, state: MinuteState, requests: number): void {
  for (const f of model.drift.features) {
    const fs = state.features[f.name];
    if (!fs) continue;
    const fl = { ...base, [m.labels.feature]: f.name };
    const missing = rnd.features.binomial(requests, fs.missingShare);
    if (wanted(m.featureMissing.name)) book.count(minute, m.featureMissing.name, fl, missing);
    if (wanted(m.featureDefaulted.name)) book.count(minute, m.featureDefaulted.name, fl, rnd.features.binomial(requests, fs.defaultedShare));
    if (histogramWanted(m.featureValue.name))
      observe(minute, m.featureValue.name, fl, f.buckets, requests - missing, binShares(f.buckets, fs.shares), rnd.features);
  }
  if (wanted(m.schemaViolations.name)) book.count(minute, m.schemaViolations.name, base, rnd.features.binomial(requests, state.schemaViolationShare));
  if (model.kind === "rag-pipeline" && histogramWanted(m.embeddingDrift.name)) {
    const h = m.embeddingDrift;
    observe(minute, h.name, base, h.buckets, requests, binShares(h.buckets, state.embeddingDistanceShares), rnd.outputs);
  }
}

function replicaGauges({ model, m, book, base, wanted }: Emitter, minute: number, state: MinuteState): void {
  const limit = model.memoryLimitMetric;
  for (const r of state.replicas) {
    const rl = { ...base, instance: r.instance };
    if (wanted(m.up.name)) book.gauge(minute, m.up.name, rl, r.up);
    if (r.up === 0) continue; // a target that is down has no other samples
    if (wanted(m.processMemory.name)) book.gauge(minute, m.processMemory.name, rl, Math.round(r.memoryBytes));
    if (wanted(m.processStartTime.name)) book.gauge(minute, m.processStartTime.name, rl, r.startedMinute * 60);
    if (limit !== undefined && wanted(limit)) book.gauge(minute, limit, rl, Math.round(r.memoryLimitBytes));
    if (wanted(m.queueDepth.name)) book.gauge(minute, m.queueDepth.name, rl, r.queueDepth);
    const gl = { ...rl, gpu: "0" };
    if (wanted(m.gpuUtilization.name)) book.gauge(minute, m.gpuUtilization.name, gl, Math.round(r.gpuUtilPercent));
    if (wanted(m.gpuMemoryUsed.name)) book.gauge(minute, m.gpuMemoryUsed.name, gl, Math.round(r.gpuMemoryUsedMiB));
    if (wanted(m.gpuMemoryFree.name)) book.gauge(minute, m.gpuMemoryFree.name, gl, Math.round(r.gpuMemoryFreeMiB));
  }
}

/**
 * Custom SLOs: the service counts a request good when it succeeded, beat the tightest end-to-end
 * latency SLO and (when it declares scores) scored above the first score's threshold.
 */
function customSlos({ model, book, base, rnd, wanted, endToEndThreshold }: Emitter, minute: number, state: MinuteState, requests: number, e2e: Distribution): void {
  const firstScore = model.quality.scores[0];
  const relevant = firstScore ? state.versions.reduce((s, v) => s + v.share * (v.goodShare[firstScore.name] ?? 1), 0) : 1;
  const fast = Number.isFinite(endToEndThreshold) ? e2e.cdf(endToEndThreshold) : 1;
  const goodShare = (1 - state.errorShare) * fast * relevant;
  for (const slo of model.slos) {
    if (slo.sli.kind !== "custom") continue;
    if (wanted(slo.sli.totalMetric)) book.count(minute, slo.sli.totalMetric, base, requests);
    if (wanted(slo.sli.goodMetric)) book.count(minute, slo.sli.goodMetric, base, rnd.custom.binomial(requests, goodShare));
  }
}
