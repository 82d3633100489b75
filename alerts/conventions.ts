/**
 * Recording-rule names and label keys: the one module alerts, dashboards and renderers share.
 * Names follow the Prometheus `level:metric:operation` convention. Consumers select series by
 * the `service` and `slo` labels, never by parsing names.
 */

/** Labels every generated series carries. */
export const LABEL = {
  service: "service",
  team: "team",
  slo: "slo",
  severity: "severity",
  window: "window",
} as const;

/** A trend span in a rule name: `day` for one day, `2d` for two. */
const spanName = (days: number) => (days === 1 ? "day" : `${days}d`);

/** SLO rule names (per window suffix for the error ratio and the rates). */
export const SLO_RULE = {
  /** Share of bad events over a window: `slo:sli_error:ratio_rate5m`. */
  errorRatio: (window: string) => `slo:sli_error:ratio_rate${window}`,
  /** Bad events per second over a window: `slo:sli_error:rate5m`. The long windows sum it. */
  errorRate: (window: string) => `slo:sli_error:rate${window}`,
  /** The SLI's events per second over a window (the ratio's denominator): `slo:sli_total:rate5m`. */
  totalRate: (window: string) => `slo:sli_total:rate${window}`,
  /** The 30-minute error ratio minus the same 30 minutes `days` earlier (the budget forecast's growth): `slo:sli_error_day_change:ratio_rate30m`, `slo:sli_error_2d_change:ratio_rate30m`. */
  errorRatioChange: (days: number) => `slo:sli_error_${spanName(days)}_change:ratio_rate30m`,
  /** The median over 6 hours of that change: `slo:sli_error_day_change_median6h:ratio_rate30m`. */
  errorRatioChangeMedian: (days: number) => `slo:sli_error_${spanName(days)}_change_median6h:ratio_rate30m`,
  /** The median over 6 hours of the 30-minute error ratio (the forecast's level): `slo:sli_error_median6h:ratio_rate30m`. */
  errorRatioMedian: "slo:sli_error_median6h:ratio_rate30m",
  /** The SLI's events over the last 6 hours (the forecast's noise): `slo:sli_total:increase6h`. */
  totalEvents6h: "slo:sli_total:increase6h",
  /** Bad events per second over 5m with blips cut (capped at what the 6h median level makes likely): `slo:sli_error_capped:rate5m`. */
  errorRateCapped: "slo:sli_error_capped:rate5m",
  /** The error ratio over the last day from those capped rates (the forecast's day-over-day share): `slo:sli_error_capped:ratio_rate1d`. */
  errorRatioCapped1d: "slo:sli_error_capped:ratio_rate1d",
  /** The SLI's events over the last day (that share's noise): `slo:sli_total:increase1d`. */
  totalEvents1d: "slo:sli_total:increase1d",
  objective: "slo:objective:ratio",
  errorBudget: "slo:error_budget:ratio",
  periodDays: "slo:time_period:days",
  currentBurnRate: "slo:current_burn_rate:ratio",
  periodBurnRate: "slo:period_burn_rate:ratio",
  budgetRemaining: "slo:period_error_budget_remaining:ratio",
  info: "slo:info",
} as const;

/** The window of an `SLO_RULE.errorRatio` name (`slo:sli_error:ratio_rate5m` -> `5m`); undefined for other names. */
export function errorRatioWindow(record: string): string | undefined {
  const prefix = SLO_RULE.errorRatio("");
  return record.startsWith(prefix) ? record.slice(prefix.length) : undefined;
}

/** Prefix of every alert name (CamelCase, as the monitoring mixins do). */
export const ALERT_PREFIX = "MlObs";

/** Alert name from parts: `MlObs` + CamelCase of each part (`query-latency` -> `QueryLatency`). */
export function alertName(...parts: string[]): string {
  const camel = (s: string) =>
    s
      .split(/[^a-zA-Z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join("");
  return ALERT_PREFIX + parts.map(camel).join("");
}
