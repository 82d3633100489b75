/**
 * Names of the quality, drift, data-quality and cost signals that generated recording rules keep
 * in Prometheus: the one module the generators (alerts/signals/) and the quality and drift
 * dashboards share. Dashboards query these names and select by the labels below; they never
 * rebuild the PromQL behind them.
 *
 * Rule names follow `level:metric:operation`: the level lists the labels the series keeps
 * (`service_feature_bin` keeps service, feature and le), the operation ends with the window.
 * Every series carries `service` (LABEL.service in conventions.ts).
 */
import { alertName } from "./conventions";

/** Label keys of signal series besides `service`. Contract labels are copied into these names. */
export const SIGNAL_LABEL = {
  /** Input feature name (drift and data-quality series). */
  feature: "feature",
  /** Model output watched for drift (values in OUTPUT_SIGNAL). */
  output: "output",
  /** Upper bound of a histogram bin, as a number (`16`, `0.1`) or `+Inf`. */
  le: "le",
  /** Evaluation name (`relevance`, `accuracy`). */
  evaluation: "evaluation",
  /** Model version or release, to compare a release with the one before. */
  modelVersion: "model_version",
  /** Model id as in the GenAI request (`gpt-4o-mini`). */
  model: "model",
  /** `input` or `output` tokens. */
  tokenType: "token_type",
  /** On tickets: what kind of cause opened it (values in SIGNAL_CAUSE). */
  cause: "cause",
  /** Prompt template version (safety signals). */
  promptVersion: "prompt_version",
  /** Retrieval index or corpus version (retrieval signals, and release comparisons of services declaring retrieval). */
  indexVersion: "index_version",
} as const;

/** Values of the `output` label: the model outputs watched for drift. */
export const OUTPUT_SIGNAL = {
  /** Prediction score of a classic model endpoint. */
  predictionScore: "prediction_score",
  /** Output tokens per GenAI call (response length). */
  responseTokens: "response_tokens",
  /** Input tokens per GenAI call (prompt length). */
  promptTokens: "prompt_tokens",
  /** Distance of request embeddings to the baseline centroid. */
  embeddingDistance: "embedding_distance",
  /** Relevance score of each retrieved chunk (rag-pipeline declaring `quality.retrieval`). */
  retrievalScore: "retrieval_score",
} as const;

/** Values of the `cause` label on signal tickets. */
export const SIGNAL_CAUSE = {
  drift: "drift",
  dataQuality: "data-quality",
  quality: "quality",
  cost: "cost",
  // ---- serving and agent tickets ----
  serving: "serving",
  agent: "agent",
  safety: "safety",
  retrieval: "retrieval",
} as const;

/** Drift distributions come in two levels that share one set of rule shapes. */
export type DistributionLevel = "feature" | "output";

/**
 * Distribution rules, per level and drift window (`model.drift.window`, e.g. `1h`).
 * Shares are clamped at a small epsilon so PSI stays finite on empty bins.
 */
export const DISTRIBUTION_RULE = {
  /**
   * Observations at or under each bucket bound in the window: the histogram's cumulative buckets
   * summed over the service, one series per bound (`le` as a plain number, however the client
   * wrote it). Every other rule of the distribution reads these instead of the raw buckets.
   * Labels: service, feature|output, le.
   */
  bucketObservations: (level: DistributionLevel, window: string) => `service_${level}_bucket:observations:increase${window}`,
  /** The same `baselineOffset` earlier, from the raw buckets (trailing baselines only). Labels: service, feature|output, le. */
  baselineBucketObservations: (level: DistributionLevel, window: string) => `service_${level}_bucket:baseline_observations:increase${window}`,
  /** Observations in the window (the `+Inf` bucket). Labels: service, feature|output. */
  observations: (level: DistributionLevel, window: string) => `service_${level}:observations:increase${window}`,
  /** Share of observations per bin in the window. Labels: service, feature|output, le. */
  share: (level: DistributionLevel, window: string) => `service_${level}_bin:share:ratio${window}`,
  /**
   * Baseline share per bin: the same window `baselineOffset` earlier, or the pinned
   * `baselineFractions`. Labels: service, feature|output, le.
   */
  baselineShare: (level: DistributionLevel, window: string) => `service_${level}_bin:baseline_share:ratio${window}`,
  /** Population stability index, Σ (now − base) · ln(now / base). Labels: service, feature|output. */
  psi: (level: DistributionLevel, window: string) => `service_${level}:psi:ratio${window}`,
  /** Jensen–Shannon divergence (natural log, 0 to ln 2 ≈ 0.693). Labels: service, feature|output. */
  jsDivergence: (level: DistributionLevel, window: string) => `service_${level}:js_divergence:ratio${window}`,
} as const;

/** PSI bands the drift dashboard colours by: under `stableBelow` stable, up to `psiThreshold` watch, above act. */
export const PSI_BANDS = { stableBelow: 0.1 } as const;

/** Windows recorded for data-quality ratios: 5m for panels, 1h for the ticket's long window. */
export const DATA_QUALITY_WINDOWS = ["5m", "1h"] as const;
/**
 * Windows recorded for quality ratios: 1h for tickets (from the raw series), 1d to compare
 * releases on a full day (summed from the hourly QUALITY_TILE series).
 */
export const QUALITY_WINDOWS = ["1h", "1d"] as const;

export const DATA_QUALITY_RULE = {
  /** Share of requests missing the feature. Labels: service, feature. */
  missing: (window: string) => `service_feature:missing:ratio_rate${window}`,
  /** Share of requests where the feature fell back to a default. Labels: service, feature. */
  defaulted: (window: string) => `service_feature:defaulted:ratio_rate${window}`,
  /** Share of requests violating the input schema. Labels: service. */
  schemaViolations: (window: string) => `service:schema_violations:ratio_rate${window}`,
} as const;

export const QUALITY_RULE = {
  /** Share of evaluated answers scoring above the score's threshold. Labels: service, evaluation, model_version. */
  scoreGood: (window: string) => `service_evaluation_model_version:score_good:ratio_rate${window}`,
  /** Hallucinated answers per evaluated answer. Labels: service, model_version. */
  hallucinations: (window: string) => `service_model_version:hallucinations:ratio_rate${window}`,
  /** Refused answers per evaluated answer. Labels: service, model_version. */
  refusals: (window: string) => `service_model_version:refusals:ratio_rate${window}`,
  /** Negative feedback events per feedback event. Labels: service, model_version. */
  negativeFeedback: (window: string) => `service_model_version:negative_feedback:ratio_rate${window}`,
  /** Answers evaluated on the score, as a count (the score ticket's counting-noise guard). Labels: service, evaluation, model_version. */
  evaluated: (window: string) => `service_evaluation_model_version:evaluated:increase${window}`,
  /** Answers evaluated on the first declared score, as a count (the hallucination ratio's denominator). Labels: service, model_version. */
  answersEvaluated: (window: string) => `service_model_version:evaluated:increase${window}`,
  /** Feedback events, as a count (the negative-feedback ratio's denominator). Labels: service, model_version. */
  feedback: (window: string) => `service_model_version:feedback:increase${window}`,
} as const;

/**
 * Hourly tiles the day-long quality ratios are summed from: events per second over each hour, per
 * model version. Recorded once an hour (alerts/cadence.ts TILE_INTERVAL), so read them over a
 * window of hours or more, never on their own.
 */
export const QUALITY_TILE = {
  /** Answers evaluated on the score. Labels: service, evaluation, model_version. */
  evaluated: (window: string) => `service_evaluation_model_version:evaluated:rate${window}`,
  /** Evaluated answers at or under the score's threshold. Labels: service, evaluation, model_version. */
  scoreBad: (window: string) => `service_evaluation_model_version:score_bad:rate${window}`,
  /** Hallucinated answers. Labels: service, model_version. */
  hallucinations: (window: string) => `service_model_version:hallucinations:rate${window}`,
  /** Refused answers. Labels: service, model_version. */
  refusals: (window: string) => `service_model_version:refusals:rate${window}`,
  /** Feedback events. Labels: service, model_version. */
  feedback: (window: string) => `service_model_version:feedback:rate${window}`,
  /** Negative feedback events. Labels: service, model_version. */
  negativeFeedback: (window: string) => `service_model_version:negative_feedback:rate${window}`,
} as const;

export const COST_RULE = {
  /** Tokens per second. Labels: service, model, token_type. */
  tokens: "service_model_token_type:gen_ai_tokens:rate5m",
  /** Tokens per GenAI call. Labels: service, model, token_type. */
  tokensPerCall: "service_model_token_type:gen_ai_tokens_per_call:ratio_rate5m",
  /** Tokens per served request (all calls of a request). Labels: service, token_type. */
  tokensPerRequest: "service_token_type:gen_ai_tokens_per_request:ratio_rate5m",
  /** Spend in USD per hour at the current rate, per declared model with a price. Labels: service, model. */
  modelSpendPerHour: "service_model:gen_ai_spend_usd_per_hour:rate5m",
  /** Spend in USD per hour at the current rate, all priced models. Labels: service. */
  spendPerHour: "service:gen_ai_spend_usd_per_hour:rate5m",
  /** Spend in USD per hour averaged over the last hour (the budget ticket's signal). Labels: service. */
  spendPerHourAvg1h: "service:gen_ai_spend_usd_per_hour:avg1h",
  /** Spend in USD per hour averaged over the last day (the budget ticket's sustained branch). Labels: service. */
  spendPerHourAvg1d: "service:gen_ai_spend_usd_per_hour:avg1d",
  /** Spend in USD per 1,000 served requests. Labels: service. */
  spendPer1kRequests: "service:gen_ai_spend_usd_per_1k_requests:rate5m",
  /** Share of cache lookups that hit. Labels: service. */
  cacheHits: "service:cache_hits:ratio_rate5m",
  /** Mean GPU utilisation across the service's GPUs, 0 to 1. Labels: service. */
  gpuUtilization: "service:gpu_utilization:ratio_avg5m",
  /** Replicas up (targets with `up == 1`). Labels: service. */
  replicas: "service:replicas:count",
} as const;

/** Alert name parts after the service name (see `signalAlertName`). */
export const SIGNAL_ALERT = {
  featureDrift: ["feature-drift"],
  outputDrift: ["output-drift"],
  featureMissing: ["feature-missing"],
  scoreBelowTarget: (score: string) => [score, "below-target"],
  hallucinations: ["hallucinations-high"],
  negativeFeedback: ["negative-feedback-high"],
  spendOverBudget: ["spend-over-budget"],
  gpuWaste: ["gpu-waste"],
} as const;

/** Full alert name of a signal ticket: `signalAlertName("rag-assistant", SIGNAL_ALERT.gpuWaste)` = `MlObsRagAssistantGpuWaste`. */
export function signalAlertName(service: string, parts: readonly string[]): string {
  return alertName(service, ...parts);
}

/** Panel keys the tickets link to; the dashboards give these panels their ids (`panelId(key)`). */
export const SIGNAL_PANEL = {
  featurePsi: "drift:feature-psi",
  outputPsi: "drift:output-psi",
  missingFeatures: "drift:missing-features",
  score: (score: string) => `quality:score:${score}`,
  hallucinations: "quality:hallucinations",
  feedback: "quality:feedback",
  spend: "quality:spend",
  gpu: "quality:gpu",
} as const;
