/** What the rule-evaluation benchmark (bench/rules/ruleEvalBench.ts) measures, as the report reads it. */
import type { OpenMetricsStats } from "../../toolkit/openMetrics";
import type { MissingByRule } from "./historyEstimate";

export interface GroupTiming {
  readonly service: string;
  /** Group name without the service prefix (`slo-recordings`, `signals-feature-drift`...). */
  readonly family: string;
  readonly rules: number;
  /** Interval declared in the generated file. */
  readonly intervalSeconds: number;
  /** Interval the group was loaded with (the declared one, capped at `intervalCapSeconds`). */
  readonly loadedIntervalSeconds: number;
  readonly coldSeconds: number;
  readonly warmSeconds: number;
  readonly samples: number;
  readonly failures: number;
}

export interface RuleEvalResult {
  readonly services: number;
  readonly slos: number;
  readonly groups: number;
  readonly recordingRules: number;
  readonly alertRules: number;
  readonly ruleFileBytes: number;
  readonly backfill: OpenMetricsStats & { readonly seconds: number; readonly windows: string[] };
  readonly startupSeconds: number;
  readonly waitedSeconds: number;
  /**
   * Prometheus's own CPU (process_cpu_seconds_total), insensitive to other load on the machine:
   * per minute while only scraping, and per minute once every group is evaluating; the
   * difference is the rules' CPU, also scaled to the declared intervals.
   */
  readonly cpu?: { readonly idlePerMinute: number; readonly withRulesPerMinute: number; readonly rulesPerMinute: number; readonly rulesPerMinuteDeclared: number };
  readonly timings: GroupTiming[];
  readonly headSeries: number;
  /** Recorded series per recorded name. */
  readonly recordedByName: Record<string, number>;
  /** Recorded series per SLO (`slo:*` names with service and slo labels). */
  readonly perSlo: number[];
  /** `slo:*` series one SLO gets as generated (its own rules and the service-wide ones), by kind (`rates`, `error ratios`, `metadata`). */
  readonly sloRulesExpected: Record<string, number>;
  /** Per service: recording rules, and the series they recorded (every recorded name, by `service` label). */
  readonly perService: { readonly service: string; readonly recordingRules: number; readonly series: number }[];
  readonly firingAlerts: number;
  /**
   * What the evaluation would cost with full history: windows longer than the backfill, and every
   * window over a recorded series longer than the minutes since the rules were loaded, read samples
   * that do not exist here. Per rule as generated (bench/rules/historyEstimate.ts), times
   * Prometheus's own marginal cost per sample (query stats of one query over two window lengths).
   */
  readonly fullHistoryEstimate?: {
    readonly nsPerSample: number;
    readonly missingSamplesPerMinute: number;
    readonly extraSecondsPerMinute: number;
    /** Extra seconds per minute by group family. */
    readonly byFamily: Record<string, number>;
    /** The rules missing the most samples. */
    readonly rules: MissingByRule[];
    /** Seconds between samples of a raw series assumed for the mature TSDB. */
    readonly rawStepSeconds: number;
  };
  /** Warm evaluation time per rule name summed over all services, seconds per declared interval, most expensive first. */
  readonly costliestRules: { readonly name: string; readonly family: string; readonly rules: number; readonly secondsPerMinute: number }[];
  readonly prometheusVersion: string;
  readonly tmpDir?: string;
}
