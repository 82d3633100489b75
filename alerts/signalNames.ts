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

// ---- serving signals (services with a `serving` section; alerts/signals/serving.ts) ----

/** Windows of the serving rules: 5m for panels, 1h for tickets (from the raw series at every evaluation). */
export const SERVING_WINDOWS = ["5m", "1h"] as const;

export const SERVING_RULE = {
  /** P95 time requests waited for a worker, seconds. Labels: service. */
  queueTimeP95: (window: string) => `service:queue_time_seconds:p95_rate${window}`,
  /** Share of requests that waited longer than `serving.maxQueueSeconds`. Labels: service. */
  queueTimeOverLimit: (window: string) => `service:queue_time_over_limit:ratio_rate${window}`,
  /** P95 time per output token of streamed answers (inter-token latency), seconds. Labels: service. */
  interTokenP95: (window: string) => `service:time_per_output_token_seconds:p95_rate${window}`,
  /** Share of streamed answers slower than `serving.maxInterTokenSeconds` per output token. Labels: service. */
  interTokenOverLimit: (window: string) => `service:time_per_output_token_over_limit:ratio_rate${window}`,
  /** Output tokens per second, all models. Labels: service. */
  outputTokens: "service:gen_ai_output_tokens:rate5m",
  /** Cancelled requests per served request. Labels: service. */
  cancelled: (window: string) => `service:requests_cancelled:ratio_rate${window}`,
} as const;

/** Alert name parts after the service name. */
export const SERVING_ALERT = {
  queueTime: ["queue-time-high"],
  interToken: ["inter-token-latency-high"],
  cancellations: ["cancellations-high"],
} as const;

/** Panel keys of the operational dashboard's Serving row (the serving tickets link to them). */
export const SERVING_PANEL = {
  queueTime: "serving:queue-time",
  interToken: "serving:inter-token",
  outputTokens: "serving:output-tokens",
  cancellations: "serving:cancellations",
} as const;

// ---- agent signals (kind agent; alerts/signals/agent.ts) ----

/** Label keys of agent series besides `service`. */
export const AGENT_LABEL = {
  /** The tool called (`gen_ai.tool.name`). */
  tool: "tool",
  /** success, error or denied. */
  outcome: "outcome",
  /** On the loop and tool-spend tickets: which of their two conditions holds (values in AGENT_REASON). */
  reason: "reason",
} as const;

/** Values of the `reason` label of the loop and tool-spend tickets. */
export const AGENT_REASON = {
  stepsP95: "steps-p95",
  stepCap: "step-cap",
  perTask: "per-task",
  perHour: "per-hour",
} as const;

/** Window of the agent tickets' ratios, from the raw series at every evaluation. */
export const AGENT_WINDOW = "1h";

export const AGENT_RULE = {
  /** Tool calls per second. Labels: service, tool, outcome. */
  toolCalls: "service_tool_outcome:tool_calls:rate5m",
  /** Share of tool calls ending in error, all tools. Labels: service. */
  toolErrors: (window: string) => `service:tool_errors:ratio_rate${window}`,
  /** Tool calls per task. Labels: service. */
  toolCallsPerTask: (window: string) => `service:tool_calls_per_task:ratio_rate${window}`,
  /** Tool calls per hour, all tools. Labels: service. */
  toolCallsPerHour: "service:tool_calls_per_hour:rate1h",
  /** Tool-call retries per task. Labels: service. */
  retriesPerTask: (window: string) => `service:tool_retries_per_task:ratio_rate${window}`,
  /** Approvals requested and denied per second. Labels: service. */
  approvalsRequested: "service:approvals_requested:rate5m",
  approvalsDenied: "service:approvals_denied:rate5m",
  /** Side effects rolled back in the last hour. Labels: service. */
  rollbacks: "service:rollbacks:increase1h",
  /** P95 steps per task. Labels: service. */
  stepsP95: (window: string) => `service:steps_per_task:p95_rate${window}`,
  /** Share of tasks taking more than `agent.maxStepsPerTask` steps. Labels: service. */
  stepsOverLimit: (window: string) => `service:steps_per_task_over_limit:ratio_rate${window}`,
  /** Share of tasks stopped by the step cap. Labels: service. */
  stepCapReached: (window: string) => `service:step_cap_reached:ratio_rate${window}`,
} as const;

export const AGENT_ALERT = {
  loop: ["task-loop"],
  toolSpend: ["tool-spend-runaway"],
  toolErrors: ["tool-errors-high"],
  rollbacks: ["side-effects-rolled-back"],
} as const;

/** Panel keys of the operational dashboard's Agent row (the agent tickets link to them). */
export const AGENT_PANEL = {
  toolCalls: "agent:tool-calls",
  toolErrors: "agent:tool-errors",
  retries: "agent:retries",
  approvals: "agent:approvals",
  rollbacks: "agent:rollbacks",
  steps: "agent:steps",
  toolCallsPerTask: "agent:tool-calls-per-task",
} as const;

// ---- safety, retrieval and judge calibration (alerts/signals/safety.ts, retrieval.ts, judge.ts) ----

/** Labels of safety series: the model and the prompt version that answered. */
const SAFETY_LEVEL = "service_model_prompt_version";
/** Labels of retrieval series: the release, model version and index version. */
const RETRIEVAL_LEVEL = "service_model_version_index_version";

/** Safety ratios per model and prompt version, over QUALITY_WINDOWS (1h from raw series, 1d from SAFETY_TILE). */
export const SAFETY_RULE = {
  /** Detected prompt-injection attempts the guardrail did not block / detected attempts. Labels: service, model, prompt_version. */
  injectionsAccepted: (window: string) => `${SAFETY_LEVEL}:prompt_injections_accepted:ratio_rate${window}`,
  /** Completions flagged unsafe / safety-evaluated completions. Labels: service, model, prompt_version. */
  unsafeCompletions: (window: string) => `${SAFETY_LEVEL}:unsafe_completions:ratio_rate${window}`,
  /** Refusals judged unwarranted / reviewed refusals. Labels: service, model, prompt_version. */
  unwarrantedRefusals: (window: string) => `${SAFETY_LEVEL}:unwarranted_refusals:ratio_rate${window}`,
} as const;

/** Hourly tiles of the safety events (events per second over each hour). Labels: service, model, prompt_version. */
export const SAFETY_TILE = {
  injections: (window: string) => `${SAFETY_LEVEL}:prompt_injections:rate${window}`,
  injectionsAccepted: (window: string) => `${SAFETY_LEVEL}:prompt_injections_accepted:rate${window}`,
  safetyEvaluated: (window: string) => `${SAFETY_LEVEL}:safety_evaluations:rate${window}`,
  unsafeCompletions: (window: string) => `${SAFETY_LEVEL}:unsafe_completions:rate${window}`,
  refusalsReviewed: (window: string) => `${SAFETY_LEVEL}:refusal_evaluations:rate${window}`,
  unwarrantedRefusals: (window: string) => `${SAFETY_LEVEL}:unwarranted_refusals:rate${window}`,
} as const;

/** Retrieval ratios per model and index version, over QUALITY_WINDOWS (1h raw, 1d from RETRIEVAL_TILE). */
export const RETRIEVAL_RULE = {
  /** Evaluated retrievals without a relevant source / evaluated retrievals. Labels: service, model_version, index_version. */
  misses: (window: string) => `${RETRIEVAL_LEVEL}:retrieval_misses:ratio_rate${window}`,
  /** Citations supported by their passage / checked citations. Labels: service, model_version, index_version. */
  citationsSupported: (window: string) => `${RETRIEVAL_LEVEL}:citations_supported:ratio_rate${window}`,
} as const;

/** Hourly tiles of the retrieval events. Labels: service, model_version, index_version. */
export const RETRIEVAL_TILE = {
  evaluated: (window: string) => `${RETRIEVAL_LEVEL}:retrieval_evaluations:rate${window}`,
  misses: (window: string) => `${RETRIEVAL_LEVEL}:retrieval_misses:rate${window}`,
  citations: (window: string) => `${RETRIEVAL_LEVEL}:citations:rate${window}`,
  citationsSupported: (window: string) => `${RETRIEVAL_LEVEL}:citations_supported:rate${window}`,
} as const;

/**
 * Window of judge calibration: human labels are sparse (a few an hour), so agreement is summed
 * from hourly tiles over a week.
 */
export const JUDGE_WINDOW = "7d";

export const JUDGE_RULE = {
  /** Labelled samples where the LLM judge agreed with the human / labelled samples. Labels: service, evaluation. */
  agreement: (window: string) => `service_evaluation:judge_agreement:ratio_rate${window}`,
  /** Labelled samples in the window (the ticket's minimum-sample guard). Labels: service, evaluation. */
  labelled: (window: string) => `service_evaluation:judge_labels:count${window}`,
} as const;

/** Hourly tiles of judge calibration. Labels: service, evaluation. */
export const JUDGE_TILE = {
  labelled: (window: string) => `service_evaluation:judge_labels:rate${window}`,
  agreed: (window: string) => `service_evaluation:judge_agreed:rate${window}`,
} as const;

/** Alert name parts of the safety, retrieval and judge tickets (after the service name). */
export const GENAI_SIGNAL_ALERT = {
  injectionsAccepted: ["prompt-injections-accepted"],
  unsafeCompletions: ["unsafe-completions"],
  unwarrantedRefusals: ["unwarranted-refusals"],
  retrievalMisses: ["retrieval-misses"],
  citationSupport: ["citation-support-low"],
  retrievalScoreDrift: ["retrieval-score-drift"],
  judgeDisagrees: (score: string) => [score, "judge-disagrees"],
} as const;

/** Panel keys the safety, retrieval and judge tickets link to (quality dashboard). */
export const GENAI_SIGNAL_PANEL = {
  injectionsAccepted: "quality:safety:injections-accepted",
  unsafeCompletions: "quality:safety:unsafe-completions",
  unwarrantedRefusals: "quality:safety:unwarranted-refusals",
  retrievalMisses: "quality:retrieval:misses",
  citationSupport: "quality:retrieval:citation-support",
  retrievalScoreDrift: "quality:retrieval:score-drift",
  judgeAgreement: (score: string) => `quality:judge:${score}`,
} as const;
