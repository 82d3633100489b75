/**
 * The normalized model: a validated description with every default applied. Generators
 * (alerts/, dashboards/) and constructs read only this, never the raw description.
 */
import type { MetricContract } from "./metricContract";
import type { AlertRouting, Criticality, ServiceKind } from "./types";

export type SliKind = "availability" | "latency" | "quality" | "custom";

export interface SloModel {
  readonly name: string;
  readonly description: string;
  /** Objective as a ratio, e.g. 0.995. */
  readonly objective: number;
  readonly periodDays: number;
  readonly sli:
    | { readonly kind: "availability"; readonly stage?: string }
    | { readonly kind: "latency"; readonly thresholdSeconds: number; readonly stage?: string }
    | { readonly kind: "quality"; readonly score: string; readonly threshold: number }
    | { readonly kind: "custom"; readonly goodMetric: string; readonly totalMetric: string };
}

export interface ReceiverModel {
  readonly type: "pagerduty" | "opsgenie" | "slack" | "email";
  readonly secret?: string;
  readonly channel?: string;
  readonly addresses?: readonly string[];
}

export interface DriftFeatureModel {
  readonly name: string;
  readonly buckets: readonly number[];
  readonly baselineFractions?: readonly number[];
}

export interface ServiceModel {
  readonly name: string;
  readonly team: string;
  readonly owner: string;
  readonly kind: ServiceKind;
  readonly criticality: Criticality;
  readonly environments: readonly string[];
  /** Label matchers selecting the service's series, sorted by key. */
  readonly selector: readonly (readonly [string, string])[];
  readonly stages: readonly { readonly name: string; readonly latencyTargetSeconds: number }[];
  readonly slos: readonly SloModel[];
  readonly models: readonly {
    readonly name: string;
    readonly provider: string;
    readonly inputPricePer1kTokens: number;
    readonly outputPricePer1kTokens: number;
  }[];
  readonly quality: {
    readonly scores: readonly { readonly name: string; readonly threshold: number; readonly target: number }[];
    /** Ratio, e.g. 0.05. */
    readonly maxHallucinationRatio: number;
    readonly maxNegativeFeedbackRatio: number;
  };
  readonly drift: {
    readonly features: readonly DriftFeatureModel[];
    readonly psiThreshold: number;
    readonly window: string;
    readonly baselineOffset: string;
    readonly maxMissingFeatureRatio: number;
    /** Observations a window needs before PSI is computed. */
    readonly minObservations: number;
  };
  readonly cost: { readonly hourlyBudgetUsd?: number };
  readonly logs: {
    readonly errors: { readonly retentionDays: number };
    readonly standard: { readonly retentionDays: number; readonly samplePercent: number };
    readonly audit: { readonly retentionDays: number };
    readonly debug: { readonly retentionDays: number };
    readonly maskPii: boolean;
    readonly piiIdentifiers: readonly string[];
  };
  readonly tracing: { readonly slowThresholdSeconds: number; readonly baselinePercent: number };
  readonly alerting: {
    readonly page: ReceiverModel;
    readonly ticket: ReceiverModel;
    readonly runbookBaseUrl: string;
    readonly pagingBudget: number;
    /** How Grafana routes the alerts: the org's notification policy, or per-rule contact points. */
    readonly routing: AlertRouting;
  };
  /** The metric contract with this service's overrides applied. */
  readonly metrics: MetricContract;
}
