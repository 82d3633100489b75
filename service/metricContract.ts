/**
 * The metric contract: the ONE place where every metric name, label and histogram bucket that the
 * dashboards, recording rules and alerts query is spelt. Other folders read names from a resolved
 * contract (`model.metrics`), never from string literals.
 *
 * Defaults follow the OpenTelemetry semantic conventions as they look in Prometheus after OTLP
 * translation (dots become underscores, the unit becomes a suffix, histograms get
 * `_bucket/_sum/_count`), e.g. `gen_ai.client.operation.duration` ->
 * `gen_ai_client_operation_duration_seconds`. Where the conventions have nothing (per-stage latency,
 * evaluation scores, feedback, drift, GPU), the names are ours and documented here.
 * Every entry can be overridden per service through `metrics` in the description.
 */

/** Powers of two from 5 ms to ~82 s: the boundaries latency SLO thresholds must sit on. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 3, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** The OpenTelemetry GenAI semconv advice for token usage: powers of four from 1 to 4^13. */
export const TOKEN_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** Scores in [0, 1] in steps of 0.1: evaluation scores, prediction confidence. */
export const SCORE_BUCKETS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

// ---- serving and agent signals ----
/**
 * The OpenTelemetry GenAI semconv advice for `gen_ai.server.time_per_output_token`, seconds: what
 * instrumented inference servers emit, so an inter-token limit sits on a bucket they export.
 */
export const TIME_PER_OUTPUT_TOKEN_BUCKETS: readonly number[] = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5];
/** Steps (model or tool calls) an agent takes per task: fine at the low end, where healthy tasks sit. */
export const STEP_BUCKETS: readonly number[] = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64, 100];

export interface HistogramMetric {
  /** Base name without `_bucket`/`_sum`/`_count`. */
  readonly name: string;
  /** Upper bounds (`le`) of the finite buckets, strictly increasing. `+Inf` is implied. */
  readonly buckets: readonly number[];
}
export interface CounterMetric {
  /** Full name including `_total`. */
  readonly name: string;
}
export interface GaugeMetric {
  readonly name: string;
}

export interface MetricLabels {
  /** Label holding the HTTP status code. */
  readonly httpStatusCode: string;
  /** Label holding the error type; empty or absent on success (OTel `error.type`). */
  readonly errorType: string;
  /** Label holding the requested model (OTel `gen_ai.request.model`). */
  readonly model: string;
  /** Label holding the model version or release (compare releases in quality panels). */
  readonly modelVersion: string;
  /** Label holding `input` or `output` on token usage (OTel `gen_ai.token.type`). */
  readonly tokenType: string;
  /** Label holding the pipeline stage (span name in span metrics). */
  readonly stage: string;
  /** Label holding the span status on span-metric call counters. */
  readonly spanStatus: string;
  /** Label holding the evaluation name on evaluation scores (relevance, faithfulness, accuracy...). */
  readonly evaluation: string;
  /** Label holding the feature name on feature metrics. */
  readonly feature: string;
  /** Label holding `positive` or `negative` on user feedback. */
  readonly feedback: string;
  /** Label holding `hit` or `miss` on cache lookups. */
  readonly cacheResult: string;
  // ---- agent signals ----
  /** Label holding the tool an agent called (OTel `gen_ai.tool.name`). */
  readonly toolName: string;
  /** Label holding a tool call's outcome: success, error or denied (ours). */
  readonly toolOutcome: string;
  // ---- safety, retrieval and judge calibration (read only when `quality` declares them) ----
  /** Label holding the prompt template version (the trace attribute `app.prompt.version` after OTLP translation). */
  readonly promptVersion: string;
  /** Label holding the retrieval index or corpus version (the trace attribute `app.retrieval.index.version`). */
  readonly indexVersion: string;
  /** Label holding what the guardrail did with a detected prompt injection (`blocked`, or anything else it let through). */
  readonly guardrailAction: string;
  /** Label holding the safety classifier's verdict on a completion (`unsafe`, or anything else). */
  readonly safetyVerdict: string;
  /** Label holding the review's verdict on a refusal (`unwarranted`, or anything else). */
  readonly refusalVerdict: string;
  /** Label holding whether the retrieved passages held a relevant source (`miss` when none did). */
  readonly retrievalOutcome: string;
  /** Label holding whether a citation supports the claim it is attached to (`supported`, or anything else). */
  readonly citationVerdict: string;
  /** Label holding whether the LLM judge agreed with the human label (`agree`, or anything else). */
  readonly judgeAgreement: string;
}

export interface MetricContract {
  readonly labels: MetricLabels;
  /** Label values the rules compare against. */
  readonly values: {
    /** Regex of HTTP status codes that count as server errors. */
    readonly httpServerErrorRegex: string;
    /** Span status value of a failed stage. */
    readonly spanStatusError: string;
    readonly tokenInput: string;
    readonly tokenOutput: string;
    readonly feedbackNegative: string;
    readonly cacheHit: string;
    // ---- agent signals ----
    /** Tool-call outcome of a call that failed (the others: success, and denied by a policy or a person). */
    readonly toolError: string;
    /** `guardrailAction` of a blocked injection; every other action counts as accepted. */
    readonly guardrailBlocked: string;
    /** `safetyVerdict` of an unsafe completion. */
    readonly safetyUnsafe: string;
    /** `refusalVerdict` of a refusal the review judged unwarranted. */
    readonly refusalUnwarranted: string;
    /** `retrievalOutcome` of a retrieval without a relevant source. */
    readonly retrievalMiss: string;
    /** `citationVerdict` of a supported citation. */
    readonly citationSupported: string;
    /** `judgeAgreement` of a sample where judge and human agree. */
    readonly judgeAgree: string;
  };
  /** End-to-end request latency of the service's API (OTel `http.server.request.duration`). */
  readonly httpRequestDuration: HistogramMetric;
  /** Latency of each GenAI call (OTel `gen_ai.client.operation.duration`). */
  readonly genAiOperationDuration: HistogramMetric;
  /** Tokens per call, split by `tokenType` (OTel `gen_ai.client.token.usage`). */
  readonly genAiTokenUsage: HistogramMetric;
  /** Time to first token of streamed answers (OTel `gen_ai.server.time_to_first_token`). */
  readonly timeToFirstToken: HistogramMetric;
  /** Per-stage latency, from the collector's span-metrics connector (configured by us, unit seconds). */
  readonly stageDuration: HistogramMetric;
  /** Per-stage calls by span status, from the span-metrics connector. */
  readonly stageCalls: CounterMetric;
  /** Evaluation scores in [0, 1], labelled by `evaluation` (online evals, LLM-as-judge, delayed labels). */
  readonly evaluationScore: HistogramMetric;
  /** Answers judged to be hallucinated. */
  readonly hallucinations: CounterMetric;
  /** Answers the model refused to give. */
  readonly refusals: CounterMetric;
  /** User feedback events, labelled by `feedback`. */
  readonly feedback: CounterMetric;
  /** Cache lookups (semantic cache, embedding cache), labelled by `cacheResult`. */
  readonly cacheRequests: CounterMetric;
  /** Predictions served by a classic model endpoint (denominator of data-quality ratios). */
  readonly predictions: CounterMetric;
  /** Prediction score / confidence of a classic model (output drift). */
  readonly predictionScore: HistogramMetric;
  /** Feature values seen at inference, labelled by `feature`; buckets come from the drift feature. */
  readonly featureValue: HistogramMetric;
  /** Requests where a feature was missing, labelled by `feature`. */
  readonly featureMissing: CounterMetric;
  /** Requests where a feature fell back to a default value, labelled by `feature`. */
  readonly featureDefaulted: CounterMetric;
  /** Requests rejected or repaired for violating the input schema. */
  readonly schemaViolations: CounterMetric;
  /** Cosine distance of request embeddings to the baseline centroid. */
  readonly embeddingDrift: HistogramMetric;
  /** GPU utilisation in percent (NVIDIA DCGM exporter). */
  readonly gpuUtilization: GaugeMetric;
  /** GPU framebuffer memory used, MiB (DCGM exporter). */
  readonly gpuMemoryUsed: GaugeMetric;
  /** GPU framebuffer memory free, MiB (DCGM exporter). */
  readonly gpuMemoryFree: GaugeMetric;
  /** Resident memory per process (Prometheus client default). */
  readonly processMemory: GaugeMetric;
  /** Start time of each process, Unix seconds (Prometheus client default): tells a restart from a drop. */
  readonly processStartTime: GaugeMetric;
  /** Requests waiting for a model worker. */
  readonly queueDepth: GaugeMetric;
  /** Target health, one series per replica (Prometheus built-in). */
  readonly up: GaugeMetric;
  // ---- serving signals (read only with a `serving` section) ----
  /** Time a request waited before a worker started on it (ours, named like OTel's `gen_ai.server.*`). */
  readonly queueTime: HistogramMetric;
  /** Time per output token after the first, one observation per streamed answer (OTel `gen_ai.server.time_per_output_token`). */
  readonly timePerOutputToken: HistogramMetric;
  /** Requests cancelled before they completed, by the client (disconnect) or the server (timeout, load shedding) (ours). */
  readonly cancelledRequests: CounterMetric;
  // ---- agent signals (kind agent) ----
  /** Tool calls, labelled by `toolName` and `toolOutcome` (ours; the tool label is OTel `gen_ai.tool.name`). */
  readonly toolCalls: CounterMetric;
  /** Tool calls retried after a failure, labelled by `toolName` (ours). */
  readonly toolRetries: CounterMetric;
  /** Human or policy approvals the agent asked for before a side effect (ours). */
  readonly approvalsRequested: CounterMetric;
  /** Approvals refused (ours). */
  readonly approvalsDenied: CounterMetric;
  /** Side effects rolled back (compensated) after a failed or refused step, labelled by `toolName` (ours). */
  readonly rollbacks: CounterMetric;
  /** Steps (model and tool calls) per task, observed once when a task ends, finished or stopped; its `_count` counts tasks (ours). */
  readonly stepsPerTask: HistogramMetric;
  /** Tasks stopped by the agent's step cap before they finished (ours). */
  readonly stepCapReached: CounterMetric;
  // ---- safety, retrieval and judge calibration (names are ours: the GenAI conventions have none) ----
  /** Prompt-injection attempts a guardrail detected, by `guardrailAction`, model and prompt version. */
  readonly promptInjections: CounterMetric;
  /** Completions a safety classifier evaluated, by `safetyVerdict`, model and prompt version. */
  readonly safetyEvaluations: CounterMetric;
  /** Refusals a review (LLM judge or human) evaluated, by `refusalVerdict`, model and prompt version. */
  readonly refusalEvaluations: CounterMetric;
  /** Retrievals evaluated for a relevant source, by `retrievalOutcome`, model and index version. */
  readonly retrievalEvaluations: CounterMetric;
  /** Relevance score of every retrieved chunk (RAG), by index version: its distribution and drift. */
  readonly retrievalChunkScore: HistogramMetric;
  /** Citations in answers checked against their passage, by `citationVerdict`, model and index version. */
  readonly citations: CounterMetric;
  /** Samples both the LLM judge scored and a human labelled, by `evaluation` and `judgeAgreement`. */
  readonly judgeLabels: CounterMetric;
}

export const DEFAULT_METRIC_CONTRACT: MetricContract = {
  labels: {
    httpStatusCode: "http_response_status_code",
    errorType: "error_type",
    model: "gen_ai_request_model",
    modelVersion: "model_version",
    tokenType: "gen_ai_token_type",
    stage: "span_name",
    spanStatus: "status_code",
    evaluation: "gen_ai_evaluation_name",
    feature: "feature",
    feedback: "feedback",
    cacheResult: "result",
    toolName: "gen_ai_tool_name",
    toolOutcome: "outcome",
    promptVersion: "app_prompt_version",
    indexVersion: "app_retrieval_index_version",
    guardrailAction: "guardrail_action",
    safetyVerdict: "safety_verdict",
    refusalVerdict: "refusal_verdict",
    retrievalOutcome: "retrieval_outcome",
    citationVerdict: "citation_verdict",
    judgeAgreement: "judge_agreement",
  },
  values: {
    httpServerErrorRegex: "5..",
    spanStatusError: "STATUS_CODE_ERROR",
    tokenInput: "input",
    tokenOutput: "output",
    feedbackNegative: "negative",
    cacheHit: "hit",
    toolError: "error",
    guardrailBlocked: "blocked",
    safetyUnsafe: "unsafe",
    refusalUnwarranted: "unwarranted",
    retrievalMiss: "miss",
    citationSupported: "supported",
    judgeAgree: "agree",
  },
  httpRequestDuration: { name: "http_server_request_duration_seconds", buckets: LATENCY_BUCKETS_SECONDS },
  genAiOperationDuration: { name: "gen_ai_client_operation_duration_seconds", buckets: LATENCY_BUCKETS_SECONDS },
  genAiTokenUsage: { name: "gen_ai_client_token_usage", buckets: TOKEN_BUCKETS },
  timeToFirstToken: { name: "gen_ai_server_time_to_first_token_seconds", buckets: LATENCY_BUCKETS_SECONDS },
  stageDuration: { name: "traces_span_metrics_duration_seconds", buckets: LATENCY_BUCKETS_SECONDS },
  stageCalls: { name: "traces_span_metrics_calls_total" },
  evaluationScore: { name: "gen_ai_evaluation_score", buckets: SCORE_BUCKETS },
  hallucinations: { name: "gen_ai_hallucinations_total" },
  refusals: { name: "gen_ai_refusals_total" },
  feedback: { name: "user_feedback_total" },
  cacheRequests: { name: "cache_requests_total" },
  predictions: { name: "model_predictions_total" },
  predictionScore: { name: "model_prediction_score", buckets: SCORE_BUCKETS },
  featureValue: { name: "model_feature_value", buckets: SCORE_BUCKETS },
  featureMissing: { name: "model_feature_missing_total" },
  featureDefaulted: { name: "model_feature_defaulted_total" },
  schemaViolations: { name: "model_input_schema_violations_total" },
  embeddingDrift: { name: "embedding_centroid_distance", buckets: SCORE_BUCKETS },
  gpuUtilization: { name: "DCGM_FI_DEV_GPU_UTIL" },
  gpuMemoryUsed: { name: "DCGM_FI_DEV_FB_USED" },
  gpuMemoryFree: { name: "DCGM_FI_DEV_FB_FREE" },
  processMemory: { name: "process_resident_memory_bytes" },
  processStartTime: { name: "process_start_time_seconds" },
  queueDepth: { name: "inference_queue_depth" },
  up: { name: "up" },
  queueTime: { name: "gen_ai_server_queue_time_seconds", buckets: LATENCY_BUCKETS_SECONDS },
  timePerOutputToken: { name: "gen_ai_server_time_per_output_token_seconds", buckets: TIME_PER_OUTPUT_TOKEN_BUCKETS },
  cancelledRequests: { name: "gen_ai_server_requests_cancelled_total" },
  toolCalls: { name: "gen_ai_agent_tool_calls_total" },
  toolRetries: { name: "gen_ai_agent_tool_retries_total" },
  approvalsRequested: { name: "gen_ai_agent_approvals_requested_total" },
  approvalsDenied: { name: "gen_ai_agent_approvals_denied_total" },
  rollbacks: { name: "gen_ai_agent_rollbacks_total" },
  stepsPerTask: { name: "gen_ai_agent_steps_per_task", buckets: STEP_BUCKETS },
  stepCapReached: { name: "gen_ai_agent_step_cap_reached_total" },
  promptInjections: { name: "gen_ai_guardrail_prompt_injections_total" },
  safetyEvaluations: { name: "gen_ai_safety_evaluations_total" },
  refusalEvaluations: { name: "gen_ai_refusal_evaluations_total" },
  retrievalEvaluations: { name: "rag_retrieval_evaluations_total" },
  retrievalChunkScore: { name: "rag_retrieval_chunk_score", buckets: SCORE_BUCKETS },
  citations: { name: "rag_citations_total" },
  judgeLabels: { name: "gen_ai_evaluation_judge_labels_total" },
};

/** Keys of the contract that name a metric (everything but `labels` and `values`). */
export type MetricKey = Exclude<keyof MetricContract, "labels" | "values">;
export const METRIC_KEYS = Object.keys(DEFAULT_METRIC_CONTRACT).filter(
  (k) => k !== "labels" && k !== "values",
) as MetricKey[];

export function isHistogram(m: HistogramMetric | CounterMetric | GaugeMetric): m is HistogramMetric {
  return "buckets" in m;
}

/** Every series name a metric produces in Prometheus (histograms expand to three). */
export function seriesNames(m: HistogramMetric | CounterMetric | GaugeMetric): string[] {
  return isHistogram(m) ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name];
}
