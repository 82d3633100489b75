/**
 * Names of the safety, retrieval and judge-calibration signals that generated recording rules
 * keep in Prometheus (alerts/signals/safety.ts, retrieval.ts, judge.ts), and their alert name parts
 * and panel keys: the one module those generators and the quality dashboard share. Naming follows
 * signalNames.ts (`level:metric:operation`).
 */

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
  /** Detected prompt-injection attempts over the window (the first ratio's denominator, as a count). Labels: service, model, prompt_version. */
  injectionsDetected: (window: string) => `${SAFETY_LEVEL}:prompt_injections:increase${window}`,
  /** Safety-evaluated completions over the window (the second ratio's denominator, as a count). Labels: service, model, prompt_version. */
  safetyEvaluated: (window: string) => `${SAFETY_LEVEL}:safety_evaluations:increase${window}`,
  /** Reviewed refusals over the window (the third ratio's denominator, as a count). Labels: service, model, prompt_version. */
  refusalsReviewed: (window: string) => `${SAFETY_LEVEL}:refusal_evaluations:increase${window}`,
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
  /** Evaluated retrievals, as a count (the miss ratio's denominator). Labels: service, model_version, index_version. */
  evaluated: (window: string) => `${RETRIEVAL_LEVEL}:retrieval_evaluations:increase${window}`,
  /** Checked citations, as a count (the citation ratio's denominator). Labels: service, model_version, index_version. */
  citations: (window: string) => `${RETRIEVAL_LEVEL}:citations:increase${window}`,
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
