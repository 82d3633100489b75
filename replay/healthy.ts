/**
 * Healthy traffic of a service, derived from its model: a daily cycle (peak 15:00, trough 03:00,
 * ±45%), noise that changes every 5 minutes, and levels comfortably inside every SLO, ticket limit
 * and budget the description declares. Scenarios start from this state and change what their
 * incident changes.
 */
import type { ServiceModel } from "../service/model";
import { bellShares, logNormal, type Distribution } from "./distributions";
import { createRandom, seedOf } from "../toolkit/random";
import type { AgentState, FeatureState, MinuteState, ModelCallState, ReplicaState, ServingState, VersionState } from "./traffic";

export const MINUTES_PER_DAY = 1440;
/** A replica's memory limit, as a multiple of the memory it holds when healthy. */
export const MEMORY_LIMIT_OF_BASE = 2.5;

/** Levels a healthy service runs at; the kind decides the defaults. */
export interface HealthyLevels {
  readonly requestsPerMinute: number;
  readonly replicas: number;
  readonly memoryBytes: number;
  /** Mean GPU utilisation at average load, percent. */
  readonly gpuUtilPercent: number;
  readonly cacheHitShare: number;
  /** Share of requests failing (HTTP 5xx). */
  readonly errorShare: number;
  /** Stage medians as a share of the stage's latency target (P95 lands at about 2/3 of the target). */
  readonly stageMedianOfTarget: number;
  /** Latency of a request without stages, or of what surrounds the stages. */
  readonly latencyMedianSeconds: number;
  readonly latencySigma: number;
}

export function healthyLevels(model: ServiceModel): HealthyLevels {
  const endpoint = model.kind === "model-endpoint";
  return {
    // An agent's request is a task of several model and tool calls: far fewer of them.
    requestsPerMinute: endpoint ? 3000 : model.kind === "agent" ? 30 : 300,
    replicas: endpoint ? 4 : 3,
    memoryBytes: endpoint ? 2.0e9 : 1.2e9,
    gpuUtilPercent: 48,
    cacheHitShare: endpoint ? 0.9 : 0.55,
    errorShare: endpoint ? 0.0001 : 0.0002,
    stageMedianOfTarget: 0.4,
    latencyMedianSeconds: endpoint ? 0.03 : 0.05,
    latencySigma: endpoint ? 0.45 : 0.22,
  };
}

/** The daily load factor at a minute of the replay (which starts at 00:00): 0.55 to 1.45. */
export function dailyFactor(minute: number): number {
  const hours = (minute % MINUTES_PER_DAY) / 60;
  return 1 + 0.45 * Math.sin((2 * Math.PI * (hours - 9)) / 24);
}

/** Shares per bin of `dist` over `buckets` (+Inf last). */
export function sharesOf(buckets: readonly number[], dist: Distribution): number[] {
  const cdf = buckets.map((b) => dist.cdf(b));
  return [...cdf.map((c, i) => c - (i === 0 ? 0 : cdf[i - 1])), 1 - cdf[cdf.length - 1]];
}

/** Healthy share of evaluated answers above each declared score's threshold. */
export function healthyGoodShare(model: ServiceModel): Record<string, number> {
  // Share of the allowed bad answers a healthy service uses. A classic model's accuracy sits a
  // little above its objective (a 90% target: 92%); LLM answers that pass online evaluation are
  // rarely judged under the threshold (a 95% target: 99.8%).
  const used = model.kind === "model-endpoint" ? 0.8 : 0.04;
  return Object.fromEntries(model.quality.scores.map((s) => [s.name, 1 - (1 - s.target) * used]));
}

export function healthyVersion(model: ServiceModel, version = "v1"): VersionState {
  return {
    version,
    share: 1,
    goodShare: healthyGoodShare(model),
    hallucinationShare: model.quality.maxHallucinationRatio * 0.3,
    refusalShare: 0.005,
    negativeFeedbackShare: model.quality.maxNegativeFeedbackRatio * 0.4,
    predictionScoreShares: sharesOf(model.metrics.predictionScore.buckets, logNormal(0.05, 0.9)),
    ...healthySafetyAndRetrieval(model),
  };
}

/**
 * Safety, retrieval and judge levels well inside the declared limits (a tenth to a third of each),
 * so an hour's ratio of a few hundred judged events stays clear of them by many standard errors.
 */
function healthySafetyAndRetrieval(model: ServiceModel) {
  const safety = model.quality.safety;
  const retrieval = model.quality.retrieval;
  return {
    injectionAcceptedShare: (safety?.maxInjectionAcceptedRatio ?? 0.05) * 0.1,
    unsafeShare: (safety?.maxUnsafeRatio ?? 0.01) * 0.1,
    unwarrantedRefusalShare: (safety?.maxBadRefusalRatio ?? 0.2) * 0.3,
    retrievalMissShare: (retrieval?.maxMissRatio ?? 0.1) * 0.3,
    citationSupportShare: 1 - (1 - (retrieval?.minCitationSupportRatio ?? 0.9)) * 0.3,
    judgeAgreementShare: Object.fromEntries(model.quality.scores.map((s) => [s.name, 1 - (1 - (s.judge?.minAgreementRatio ?? 0.8)) * 0.5])),
  };
}

/** Calls per request to each declared model: a model without an output price is an embedding model. */
function healthyModelCalls(model: ServiceModel): Record<string, ModelCallState> {
  if (model.kind !== "rag-pipeline" && model.kind !== "llm-gateway" && model.kind !== "agent") return {};
  return Object.fromEntries(
    model.models.map((x) => {
      const generates = x.outputPricePer1kTokens > 0;
      const call: ModelCallState = generates
        ? {
            callsPerRequest: 1,
            inputTokens: [{ weight: 1, median: 1200, sigma: 0.4 }],
            outputTokens: [{ weight: 1, median: 250, sigma: 0.5 }],
            duration: [{ weight: 1, median: 1.0, sigma: 0.3 }],
            timeToFirstToken: [{ weight: 1, median: 0.4, sigma: 0.35 }],
          }
        : { callsPerRequest: 1, inputTokens: [{ weight: 1, median: 24, sigma: 0.5 }], duration: [{ weight: 1, median: 0.1, sigma: 0.3 }] };
      return [x.name, call];
    }),
  );
}

function healthyFeatures(model: ServiceModel): Record<string, FeatureState> {
  const missing = model.drift.maxMissingFeatureRatio * 0.1;
  return Object.fromEntries(
    model.drift.features.map((f) => [
      f.name,
      { shares: f.baselineFractions ? [...f.baselineFractions] : bellShares(f.buckets.length + 1), missingShare: missing, defaultedShare: 0.005 },
    ]),
  );
}

// ---- serving and agent signals ----
/** Healthy serving: P95s at about a quarter and a half of the declared limits, cancellations at a fifth. */
export function healthyServing(model: ServiceModel): ServingState | undefined {
  const s = model.serving;
  if (!s) return undefined;
  return {
    queueTime: [{ weight: 1, median: (s.maxQueueSeconds ?? 1.28) * 0.1, sigma: 0.5 }],
    timePerOutputToken: [{ weight: 1, median: (s.maxInterTokenSeconds ?? 0.1) * 0.3, sigma: 0.3 }],
    cancelledShare: (s.maxCancelledRatio ?? 0.05) * 0.2,
  };
}

/** The daily cycle's highest load factor (`dailyFactor` at 15:00). */
const PEAK_LOAD = 1.45;
/**
 * Healthy rollbacks at the daily peak, as a share of the hourly limit (about one a day under a limit
 * of 2): rare enough that counting noise passes the limit far less than once a month (3 in an hour
 * at 0.04 an hour: 1e-5 per hour). At a twentieth of the limit the test's month drew one such hour.
 */
const HEALTHY_ROLLBACKS_OF_LIMIT = 0.02;
/** Healthy tool calls at the daily peak, as a share of the hourly budget: traffic can triple within it. */
const HEALTHY_TOOL_CALLS_OF_BUDGET = 0.3;

/**
 * Healthy agent tasks: steps, tool calls and errors well inside the declared limits (tool calls per
 * task and per hour), rollbacks far under the hourly limit and none where any opens a ticket.
 */
export function healthyAgent(model: ServiceModel): AgentState | undefined {
  if (model.kind !== "agent") return undefined;
  const a = model.agent;
  const calls = { search: 1.6, "read-runbook": 0.8, "create-ticket": 0.2 };
  const total = Object.values(calls).reduce((x, y) => x + y, 0);
  const peakTasksPerHour = healthyLevels(model).requestsPerMinute * 60 * PEAK_LOAD;
  const perTask = a.maxToolCallsPerTask === undefined ? 1 : (0.3 * a.maxToolCallsPerTask) / total;
  const perHour = a.toolCallsPerHourBudget === undefined ? 1 : (HEALTHY_TOOL_CALLS_OF_BUDGET * a.toolCallsPerHourBudget) / (total * peakTasksPerHour);
  const scale = Math.min(1, perTask, perHour);
  return {
    steps: [{ weight: 1, median: (a.maxStepsPerTask ?? 16) * 0.3, sigma: 0.4 }],
    toolCallsPerTask: Object.fromEntries(Object.entries(calls).map(([tool, n]) => [tool, n * scale])),
    toolErrorShare: a.maxToolErrorRatio * 0.2,
    toolDeniedShare: 0.01,
    retriesPerTask: 0.05,
    approvalsPerTask: 0.2,
    approvalDeniedShare: 0.1,
    rollbacksPerTask: a.maxRollbacksPerHour > 0 ? Math.min(0.001, (HEALTHY_ROLLBACKS_OF_LIMIT * a.maxRollbacksPerHour) / peakTasksPerHour) : 0,
    stepCapShare: a.maxStepCapRatio * 0.1,
  };
}

/** The healthy state of `model` at `minute`, with the noise of its 5-minute block drawn from `seed`. */
export function healthyState(model: ServiceModel, minute: number, seed: number): MinuteState {
  const levels = healthyLevels(model);
  const noise = createRandom(seedOf(seed, model.name, "block", Math.floor(minute / 5)));
  const load = dailyFactor(minute) * (1 + 0.04 * noise.gaussian());
  const jitter = 1 + 0.03 * noise.gaussian();
  const hasCache = levels.cacheHitShare > 0;
  const stages = Object.fromEntries(
    model.stages.map((s, i) => {
      const median = s.latencyTargetSeconds * levels.stageMedianOfTarget * jitter;
      // The second stage of a pipeline (retrieval) is the one a cache sits in front of.
      const cached = hasCache && i === 1 && model.stages.length > 2;
      const latency = cached
        ? [
            { weight: levels.cacheHitShare, median: median * 0.12, sigma: 0.3 },
            { weight: 1 - levels.cacheHitShare, median, sigma: 0.3 },
          ]
        : [{ weight: 1, median, sigma: 0.3 }];
      return [s.name, { latency, errorShare: 0.0002 }];
    }),
  );
  const replicas: ReplicaState[] = Array.from({ length: levels.replicas }, (_, i) => ({
    instance: `replica-${i}`,
    up: 1 as const,
    // Heaps follow load a little (3% between the night and the afternoon peak).
    memoryBytes: levels.memoryBytes * (1 + (0.03 * (dailyFactor(minute) - 1)) / 0.45 + 0.005 * noise.gaussian()),
    startedMinute: -3 * MINUTES_PER_DAY,
    memoryLimitBytes: levels.memoryBytes * MEMORY_LIMIT_OF_BASE,
    gpuUtilPercent: Math.min(100, Math.max(0, levels.gpuUtilPercent * load + 2 * noise.gaussian())),
    gpuMemoryUsedMiB: 14000 + 50 * noise.gaussian(),
    gpuMemoryFreeMiB: 0,
    queueDepth: Math.max(0, Math.round(2 * load + noise.gaussian())),
  })).map((r) => ({ ...r, gpuMemoryFreeMiB: 24576 - r.gpuMemoryUsedMiB }));
  return {
    requestsPerMinute: levels.requestsPerMinute * load,
    errorShare: levels.errorShare,
    errorStatus: "500",
    errorType: "upstream_timeout",
    latency: [{ weight: 1, median: levels.latencyMedianSeconds * jitter, sigma: levels.latencySigma }],
    stages,
    cacheHitShare: levels.cacheHitShare,
    cacheLookupsPerRequest: 1,
    versions: [healthyVersion(model)],
    evaluatedShare: 0.1,
    feedbackShare: 0.03,
    models: healthyModelCalls(model),
    features: healthyFeatures(model),
    schemaViolationShare: 0.0002,
    embeddingDistanceShares: sharesOf(model.metrics.embeddingDrift.buckets, logNormal(0.15, 0.6)),
    injectionAttemptShare: 0.02,
    reviewedRefusalShare: 0.02,
    chunksPerRequest: 5,
    chunkScoreShares: sharesOf(model.metrics.retrievalChunkScore.buckets, logNormal(0.6, 0.25)),
    citationsPerAnswer: 2,
    indexVersion: "index-1",
    labelledShare: 0.05,
    replicas,
    ...(model.serving ? { serving: healthyServing(model) } : {}),
    ...(model.kind === "agent" ? { agent: healthyAgent(model) } : {}),
  };
}
