/**
 * The state of a service in one minute: everything an instrumented service's metrics reflect,
 * in the user's terms (requests, error share, stage latency, cache hits, model versions, replicas),
 * not in series. `healthyTraffic` gives the state of a healthy service at a minute (a daily cycle
 * with noise); scenarios change it; `generate.ts` turns states into series.
 */
import type { ServiceModel } from "../service/model";
import type { LogNormalPart } from "./distributions";

/** Latency of a stage or of whole requests: a log-normal mixture (e.g. cache hits and misses). */
export type Latency = readonly LogNormalPart[];

export interface StageState {
  readonly latency: Latency;
  /** Share of the stage's spans ending in error. */
  readonly errorShare: number;
}

export interface ReplicaState {
  /** `instance` label value. */
  readonly instance: string;
  /** 1 while the target is scraped, 0 while it is down (crash loop). */
  readonly up: 0 | 1;
  readonly memoryBytes: number;
  /** Minute of the replay the process started (negative: before the replay). */
  readonly startedMinute: number;
  /** The replica's memory limit, bytes (exported only when the service declares a limit metric). */
  readonly memoryLimitBytes: number;
  /** DCGM GPU utilisation, percent. */
  readonly gpuUtilPercent: number;
  /** DCGM framebuffer used and free, MiB. */
  readonly gpuMemoryUsedMiB: number;
  readonly gpuMemoryFreeMiB: number;
  readonly queueDepth: number;
}

/** A model version serving a share of traffic, with the answer quality it gives. */
export interface VersionState {
  /** `model_version` label value. */
  readonly version: string;
  /** Share of requests this version serves (versions' shares sum to 1). */
  readonly share: number;
  /** Per declared quality score: share of evaluated answers scoring above its threshold. */
  readonly goodShare: Readonly<Record<string, number>>;
  readonly hallucinationShare: number;
  readonly refusalShare: number;
  readonly negativeFeedbackShare: number;
  /** Shares per bin of the prediction score (model endpoints). */
  readonly predictionScoreShares: readonly number[];
  /** Share of detected prompt-injection attempts the guardrail lets through (`quality.safety`). */
  readonly injectionAcceptedShare: number;
  /** Share of safety-evaluated completions flagged unsafe (`quality.safety`). */
  readonly unsafeShare: number;
  /** Share of reviewed refusals judged unwarranted (`quality.safety`). */
  readonly unwarrantedRefusalShare: number;
  /** Share of evaluated retrievals without a relevant source (`quality.retrieval`). */
  readonly retrievalMissShare: number;
  /** Share of citations their passage supports (`quality.retrieval`). */
  readonly citationSupportShare: number;
  /** Per judged score: share of human-labelled samples on which the LLM judge agrees (`judge`). */
  readonly judgeAgreementShare: Readonly<Record<string, number>>;
}

/** One declared GenAI model's calls, per served request. */
export interface ModelCallState {
  readonly callsPerRequest: number;
  readonly inputTokens: Latency;
  /** Absent for models without output (embeddings). */
  readonly outputTokens?: Latency;
  readonly duration: Latency;
  /** Time to first token of streamed answers; absent when the model does not stream. */
  readonly timeToFirstToken?: Latency;
}

export interface FeatureState {
  /** Shares per bin of the feature's histogram (its buckets plus +Inf). */
  readonly shares: readonly number[];
  /** Share of requests where the feature is missing (not observed). */
  readonly missingShare: number;
  readonly defaultedShare: number;
}

// ---- serving and agent signals ----
/** Serving signals of a service with a `serving` section. */
export interface ServingState {
  /** Time requests wait for a worker. */
  readonly queueTime: Latency;
  /** Time per output token of each streamed answer (LLM kinds). */
  readonly timePerOutputToken: Latency;
  /** Share of requests cancelled by the client or the server. */
  readonly cancelledShare: number;
}

/** An agent's tasks (kind agent), one per request. */
export interface AgentState {
  /** Steps per task (a log-normal in steps). */
  readonly steps: Latency;
  /** Tool calls per task, by tool. */
  readonly toolCallsPerTask: Readonly<Record<string, number>>;
  /** Shares of tool calls ending in error and refused. */
  readonly toolErrorShare: number;
  readonly toolDeniedShare: number;
  readonly retriesPerTask: number;
  readonly approvalsPerTask: number;
  readonly approvalDeniedShare: number;
  /** Side effects rolled back per task (on the last tool). */
  readonly rollbacksPerTask: number;
  /** Share of tasks stopped by the step cap. */
  readonly stepCapShare: number;
}

export interface MinuteState {
  /** Served requests in this minute (expected value; the generator draws the actual count). */
  readonly requestsPerMinute: number;
  /** Share of requests failing with `errorStatus` and `errorType`. */
  readonly errorShare: number;
  readonly errorStatus: string;
  readonly errorType: string;
  /**
   * Latency of successful requests outside the stages (the whole request for a service without
   * stages). With stages, end-to-end latency is approximated by a log-normal around the sum of the
   * stage medians plus this, with this latency's sigma.
   */
  readonly latency: Latency;
  readonly stages: Readonly<Record<string, StageState>>;
  readonly cacheHitShare: number;
  /** Cache lookups per request. */
  readonly cacheLookupsPerRequest: number;
  readonly versions: readonly VersionState[];
  /** Share of requests whose answers are evaluated online (scores, hallucination and refusal judges). */
  readonly evaluatedShare: number;
  /** Share of requests that get user feedback. */
  readonly feedbackShare: number;
  readonly models: Readonly<Record<string, ModelCallState>>;
  readonly features: Readonly<Record<string, FeatureState>>;
  readonly schemaViolationShare: number;
  /** Shares per bin of the request embeddings' distance to the baseline centroid (RAG). */
  readonly embeddingDistanceShares: readonly number[];
  /** Share of requests a guardrail detects as prompt-injection attempts (`quality.safety`). */
  readonly injectionAttemptShare: number;
  /** Share of requests refused and then reviewed (`quality.safety`). */
  readonly reviewedRefusalShare: number;
  /** Chunks retrieved per request and the shares per bin of their relevance scores (`quality.retrieval`). */
  readonly chunksPerRequest: number;
  readonly chunkScoreShares: readonly number[];
  /** Citations checked per evaluated answer (`quality.retrieval`). */
  readonly citationsPerAnswer: number;
  /** Retrieval index version serving (`quality.retrieval`). */
  readonly indexVersion: string;
  /** Share of evaluated answers a person also labels (judge calibration). */
  readonly labelledShare: number;
  readonly replicas: readonly ReplicaState[];
  /** Serving signals; absent when the service declares none. */
  readonly serving?: ServingState;
  /** Agent tasks; absent unless the service is an agent. */
  readonly agent?: AgentState;
}

/** How a scenario changes the healthy state at a minute (minutes since the replay started). */
export type StateChange = (state: MinuteState, minute: number, model: ServiceModel) => MinuteState;

/** Replaces one replica-level field on every replica. */
export function mapReplicas(state: MinuteState, f: (r: ReplicaState, i: number) => ReplicaState): MinuteState {
  return { ...state, replicas: state.replicas.map(f) };
}
