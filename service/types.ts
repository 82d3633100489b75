/**
 * The service description: what a product team writes, in TypeScript or as a YAML/JSON file of the
 * same shape (JSON Schema: `service/service-description.schema.json`). Everything optional has a
 * documented default; `normalizeService` turns a description into the `ServiceModel` every
 * generator reads.
 */
import type { MetricContract } from "./metricContract";

export type ServiceKind = "rag-pipeline" | "llm-gateway" | "model-endpoint" | "custom";
export type Criticality = "tier1" | "tier2" | "tier3";

/**
 * A reference to a secret held outside the code: `ssm:/path/to/parameter` (SSM Parameter Store,
 * SecureString) or `secretsmanager:name-or-arn` (AWS Secrets Manager). Literal secrets are rejected.
 */
export type SecretRef = string;

export interface StageDescription {
  /** Stage name, equal to the span name the service emits for it (e.g. `embed`). */
  readonly name: string;
  /** Latency the stage should stay under at P95, seconds. Drives panels and tail sampling. */
  readonly latencyTargetSeconds: number;
}

export interface SloDescription {
  /** Short name, unique in the service (`availability`, `query-latency`). Becomes the `slo` label. */
  readonly name: string;
  /** Share of good events to reach, percent (`99.5`). */
  readonly objectivePercent: number;
  /**
   * Length of the rolling SLO period, days.
   * @default 30
   */
  readonly periodDays?: number;
  /** One sentence for humans; shown in alerts and dashboards. @default - derived from the SLI */
  readonly description?: string;
  /** Availability: requests that did not fail (HTTP 5xx or an `error_type`). */
  readonly availability?: {
    /** Pipeline stage to measure; @default - the whole service (HTTP server requests) */
    readonly stage?: string;
  };
  /** Latency: requests faster than a threshold. */
  readonly latency?: {
    /** Threshold, seconds; must be a bucket boundary of the histogram measured. */
    readonly thresholdSeconds: number;
    /** Pipeline stage to measure; @default - the whole service (HTTP server requests) */
    readonly stage?: string;
  };
  /** Quality: evaluated answers scoring above a threshold (bad = the histogram bucket `le=threshold`). */
  readonly quality?: {
    /** Evaluation name (`relevance`, `faithfulness`, `accuracy`); must be one of `quality.scores`. */
    readonly score: string;
    /** Answers scoring at or below this are bad; must be a bucket boundary of the evaluation-score histogram. */
    readonly threshold: number;
  };
  /** Custom: the service counts good and total events itself (e.g. "under 3 s and relevant"). */
  readonly custom?: {
    /** Counter of good events (full name with `_total`). */
    readonly goodMetric: string;
    /** Counter of all events (full name with `_total`). */
    readonly totalMetric: string;
  };
}

export interface ModelDescription {
  /** Model id as reported in `gen_ai_request_model` (e.g. `gpt-4o-mini`). */
  readonly name: string;
  /** Provider (`openai`, `bedrock`, `self-hosted`...). */
  readonly provider: string;
  /** USD per 1,000 input tokens. @default 0 */
  readonly inputPricePer1kTokens?: number;
  /** USD per 1,000 output tokens. @default 0 */
  readonly outputPricePer1kTokens?: number;
}

export interface QualityScoreDescription {
  /** Evaluation name as in the `gen_ai_evaluation_name` label. */
  readonly name: string;
  /** Score under which an answer counts as bad; a bucket boundary of the score histogram. */
  readonly threshold: number;
  /** Share of answers that must score at or above the threshold, percent. @default 90 */
  readonly targetPercent?: number;
}

export interface DriftFeatureDescription {
  /** Feature name as in the `feature` label of the feature histogram. */
  readonly name: string;
  /** Bucket boundaries of this feature's histogram. @default - the contract's featureValue buckets */
  readonly buckets?: readonly number[];
  /**
   * Pinned baseline: share of training observations per bin, one per bucket plus one for `+Inf`,
   * summing to 1. @default - compare against the same bins `baselineOffset` earlier
   */
  readonly baselineFractions?: readonly number[];
}

export interface LogTierDescription {
  /** Days CloudWatch keeps the tier's events. */
  readonly retentionDays?: number;
}

export interface ReceiverDescription {
  /** Integration kind. */
  readonly type: "pagerduty" | "opsgenie" | "slack" | "email";
  /** Secret reference for the routing key, API key or Slack webhook URL (not needed for `email`). */
  readonly secret?: SecretRef;
  /** Slack channel (`#team-alerts`), for `slack`. */
  readonly channel?: string;
  /** Addresses, for `email`. */
  readonly addresses?: readonly string[];
}

export interface ServiceDescription {
  /** Service name: lower-case letters, digits and dashes; used in ids, labels, uids. */
  readonly name: string;
  /** Owning team (routes alerts; `team` label). */
  readonly team: string;
  /** Accountable owner: a person or rota handle, or an email address. */
  readonly owner: string;
  /** What kind of ML/GenAI service this is; picks sensible panels and signals. */
  readonly kind: ServiceKind;
  /** How much the business depends on it. @default "tier2" */
  readonly criticality?: Criticality;
  /** Environments the service runs in. @default ["staging", "prod"] */
  readonly environments?: readonly string[];
  /** Label matchers that select the service's series. @default { job: <name> } (OTLP maps service.name to job) */
  readonly selector?: Readonly<Record<string, string>>;
  /** Pipeline stages, in request order. @default [] */
  readonly stages?: readonly StageDescription[];
  /** Service level objectives. @default [] */
  readonly slos?: readonly SloDescription[];
  /** Models the service calls, with prices. @default [] */
  readonly models?: readonly ModelDescription[];
  /** Quality signals. */
  readonly quality?: {
    /** Evaluation scores the service emits. @default [] */
    readonly scores?: readonly QualityScoreDescription[];
    /** Hallucination rate above which a ticket opens, percent. @default 5 */
    readonly maxHallucinationPercent?: number;
    /** Negative-feedback rate above which a ticket opens, percent. @default 20 */
    readonly maxNegativeFeedbackPercent?: number;
  };
  /** Drift and data-quality signals. */
  readonly drift?: {
    /** Input features to watch. @default [] */
    readonly features?: readonly DriftFeatureDescription[];
    /** PSI above which a ticket opens. @default 0.2 */
    readonly psiThreshold?: number;
    /** Window of the "now" distribution. @default "1h" */
    readonly window?: string;
    /** How far back the trailing baseline sits. @default "7d" */
    readonly baselineOffset?: string;
    /** Missing-feature rate above which a ticket opens, percent. @default 1 */
    readonly maxMissingFeaturePercent?: number;
    /**
     * Observations a window needs before PSI is computed: sampling noise alone gives
     * PSI ≈ (bins − 1)(1/N + 1/M), 0.03 for 8 bins at 500.
     * @default 500
     */
    readonly minObservations?: number;
  };
  /** Cost signals. */
  readonly cost?: {
    /** Spend per hour above which a ticket opens, USD. @default - no spend ticket */
    readonly hourlyBudgetUsd?: number;
  };
  /** CloudWatch log tiers. */
  readonly logs?: {
    /** Errors, kept whole. @default { retentionDays: 90 } */
    readonly errors?: LogTierDescription;
    /** Sampled request logs. @default { retentionDays: 14 } */
    readonly standard?: LogTierDescription & {
      /** Share of requests the edge logs at this tier, percent. @default 10 */
      readonly samplePercent?: number;
    };
    /** Audit trail, protected from deletion. @default { retentionDays: 400 } */
    readonly audit?: LogTierDescription;
    /** Debug logs. @default { retentionDays: 3 } */
    readonly debug?: LogTierDescription;
    /** Mask PII in every tier with a CloudWatch data-protection policy. @default true */
    readonly maskPii?: boolean;
    /** CloudWatch managed data identifiers to mask. @default email, IP, credit card, AWS secret key, phone, address, name */
    readonly piiIdentifiers?: readonly string[];
  };
  /** Tracing. */
  readonly tracing?: {
    /** Requests slower than this are always kept, seconds. @default - the lowest end-to-end (not per-stage) latency SLO threshold, else 2.56 */
    readonly slowThresholdSeconds?: number;
    /** Share of other requests kept, percent. @default 5 */
    readonly baselinePercent?: number;
  };
  /** Alert routing and annotation links. */
  readonly alerting: {
    /** Receiver of paging alerts (on-call). */
    readonly page: ReceiverDescription;
    /** Receiver of tickets. */
    readonly ticket: ReceiverDescription;
    /** Base URL of the runbooks; each alert links `<base>/<alert-name>`. */
    readonly runbookBaseUrl: string;
    /** Most paging rules the service may have (alert-fatigue guard). @default 6 */
    readonly pagingBudget?: number;
    /**
     * How Grafana routes the alerts: `policy`, a team route in the org's one notification policy
     * (one repository holds every service); `per-rule`, each alert rule names the service's own
     * contact point (teams deploying from their own repositories, without the org policy).
     * @default "policy"
     */
    readonly routing?: AlertRouting;
  };
  /** Overrides of the metric contract for this service (names, labels, buckets). @default - the contract */
  readonly metrics?: MetricContractOverrides;
}

type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]> };
export type MetricContractOverrides = DeepPartial<MetricContract>;

/** A file may hold one service or several under `services`. */
export interface ServicesFile {
  readonly services: readonly ServiceDescription[];
}

/** How Grafana routes a service's alerts (see `alerting.routing`). */
export type AlertRouting = "policy" | "per-rule";
