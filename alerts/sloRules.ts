/**
 * Per SLO: the SLI's bad-event and total rates over 5m and over each hour (4 rates), its error
 * ratio over every alert window plus the whole period (8 ratios, as Sloth records them), 7
 * metadata rules (objective, budget, period, burn rates, budget remaining, info), and three
 * alerts: a paging fast burn, a ticketing slow burn, and a ticket when the SLI has no data (an SLI
 * that cannot be computed must not look healthy).
 *
 * Where each window comes from, and how often it is evaluated (alerts/cadence.ts):
 *  - 5m, 30m and 1h, every minute (the `slo-recordings` group), from the raw series. They decide
 *    when the fast burn pages; the 5m ratio divides the raw bad (or good) events by the recorded
 *    5m total, and the bad-event rate is recorded next to it.
 *  - 2h, 6h, 1d and 3d, every 4 minutes (the `slo-budget` group, with the metadata), from the
 *    recorded 5m rates: `sum_over_time(bad[w]) / sum_over_time(total[w])`. A 1-minute
 *    sample of a 5m rate counts every event of its 5 minutes once, so summing the samples over a
 *    window counts every event of the window five times, bad and total alike: the ratio is
 *    weighted by events, exactly as over the raw counters (an average of 5m ratios would weight a
 *    quiet night's minute like a busy hour's). It reads 2 recorded series at one sample a minute,
 *    however many raw series (instances, status codes) the SLI sums. Events of the last 5 minutes
 *    are not all counted yet (about 2.5 minutes of lag); that is why the windows a 14.4x page
 *    reads (1h and 5m) and the 6x page's short window (30m) stay raw.
 *  - The 6h window also feeds the 6x page. Up to 4 minutes stale plus 2.5 minutes of lag is 2% of
 *    6 hours: it moves the page by minutes on a burn that takes hours to show.
 *  - The period (30 days), every 4 minutes, from hourly tiles (the `slo-hourly` group: the 5m
 *    rates averaged over each hour, 2 per SLO): 720 tiles per series instead of 43,200 one-minute
 *    samples, the costliest read of the SLO rules otherwise. It leaves out up to the last hour,
 *    0.14% of the period, and has no value in the first hour after a deployment.
 */
import type { ServiceModel, SloModel } from "../service/model";
import { makeAlert, type RuleContext } from "./alertMeta";
import { BURN_WINDOWS, burnFactor, sliWindows, type BurnWindow } from "./burnRateWindows";
import { PAGE_INTERVAL, TICKET_INTERVAL, TILE_INTERVAL } from "./cadence";
import { LABEL, SLO_RULE } from "./conventions";
import { durationSeconds, num, quote } from "./promql";
import type { AlertRule, RecordingRule, RuleGroup } from "./ruleModel";
import { errorRatioExpr, errorRatioOverExpr, sliTotalSeries, totalRateExpr } from "./sli";

/** Name parts of the three alerts of every SLO (`MlObs<Slo>` + CamelCase). */
export const SLO_ALERT = { burnFast: "error-budget-burn-fast", burnSlow: "error-budget-burn-slow", absent: "sli-absent" } as const;

/** Labels identifying one SLO's series. */
export function sloLabels(model: ServiceModel, slo: SloModel): Record<string, string> {
  return { [LABEL.service]: model.name, [LABEL.slo]: slo.name };
}

/** `{service="x",slo="y"}`, to read back an SLO's recorded series. */
export function sloSelector(model: ServiceModel, slo: SloModel): string {
  return `{${LABEL.service}=${quote(model.name)},${LABEL.slo}=${quote(slo.name)}}`;
}

export const periodWindow = (slo: SloModel) => `${slo.periodDays}d`;

/** The window the SLI's rates are recorded over (the shortest alert window). */
export const RATE_WINDOW = sliWindows()[0];
/** The longest window still read from the raw series, every minute: the 14.4x page's long window. */
export const RAW_WINDOW_MAX = "1h";

/** Alert windows read from the raw series (besides the rate window), shortest first. */
export const rawWindows = () => sliWindows().filter((w) => w !== RATE_WINDOW && durationSeconds(w) <= durationSeconds(RAW_WINDOW_MAX));
/** Windows summed from the recorded rates, shortest first (the period is added separately). */
export const summedWindows = () => sliWindows().filter((w) => durationSeconds(w) > durationSeconds(RAW_WINDOW_MAX));

/**
 * What the pages read, every minute: the 5m total rate, the 5m error ratio over it, the 5m
 * bad-event rate, and the raw ratios up to RAW_WINDOW_MAX.
 */
export function sliRateRules(model: ServiceModel, slo: SloModel): RecordingRule[] {
  const labels = sloLabels(model, slo);
  const sel = sloSelector(model, slo);
  const total = `${SLO_RULE.totalRate(RATE_WINDOW)}${sel}`;
  const ratio = `${SLO_RULE.errorRatio(RATE_WINDOW)}${sel}`;
  return [
    { record: SLO_RULE.totalRate(RATE_WINDOW), expr: totalRateExpr(model, slo, RATE_WINDOW), labels },
    { record: SLO_RULE.errorRatio(RATE_WINDOW), expr: errorRatioOverExpr(model, slo, RATE_WINDOW, total), labels },
    // Bad events per second, the ratio times the total: 0 (not NaN) without traffic, so sums over
    // long windows stay finite through a quiet spell; nothing when the ratio has no value.
    { record: SLO_RULE.errorRate(RATE_WINDOW), expr: `${ratio} * (${total} > 0)\nor\n(${total} == 0)`, labels },
    ...rawWindows().map((w) => ({ record: SLO_RULE.errorRatio(w), expr: errorRatioExpr(model, slo, w), labels })),
  ];
}

/** The error ratio over a window, weighted by events, from recorded rates over `rateWindow`. */
function summedRatioExpr(model: ServiceModel, slo: SloModel, rateWindow: string, window: string): string {
  const sel = sloSelector(model, slo);
  return `sum_over_time(${SLO_RULE.errorRate(rateWindow)}${sel}[${window}])\n/\nsum_over_time(${SLO_RULE.totalRate(rateWindow)}${sel}[${window}])`;
}

/** The hourly tiles the period is summed from: the 5m rates averaged over the hour. */
export function sliTileRules(model: ServiceModel, slo: SloModel): RecordingRule[] {
  const labels = sloLabels(model, slo);
  const sel = sloSelector(model, slo);
  const avg = (name: string) => `avg_over_time(${name}${sel}[${TILE_INTERVAL}])`;
  return [
    { record: SLO_RULE.errorRate(TILE_INTERVAL), expr: avg(SLO_RULE.errorRate(RATE_WINDOW)), labels },
    { record: SLO_RULE.totalRate(TILE_INTERVAL), expr: avg(SLO_RULE.totalRate(RATE_WINDOW)), labels },
  ];
}

/** The error ratios over the windows longer than RAW_WINDOW_MAX (from the 5m rates) and over the period (from the hourly tiles). */
export function sliLongWindowRules(model: ServiceModel, slo: SloModel): RecordingRule[] {
  const labels = sloLabels(model, slo);
  return [
    ...summedWindows().map((w) => ({ record: SLO_RULE.errorRatio(w), expr: summedRatioExpr(model, slo, RATE_WINDOW, w), labels })),
    { record: SLO_RULE.errorRatio(periodWindow(slo)), expr: summedRatioExpr(model, slo, TILE_INTERVAL, periodWindow(slo)), labels },
  ];
}

export function sloMetadataRules(model: ServiceModel, slo: SloModel): RecordingRule[] {
  const labels = sloLabels(model, slo);
  const sel = sloSelector(model, slo);
  const by = `on(${LABEL.service}, ${LABEL.slo}) group_left`;
  const sli = slo.sli;
  return [
    { record: SLO_RULE.objective, expr: `vector(${num(slo.objective)})`, labels },
    { record: SLO_RULE.errorBudget, expr: `vector(${num(1 - slo.objective)})`, labels },
    { record: SLO_RULE.periodDays, expr: `vector(${slo.periodDays})`, labels },
    { record: SLO_RULE.currentBurnRate, expr: `${SLO_RULE.errorRatio(sliWindows()[0])}${sel}\n/ ${by}\n${SLO_RULE.errorBudget}${sel}`, labels },
    { record: SLO_RULE.periodBurnRate, expr: `${SLO_RULE.errorRatio(periodWindow(slo))}${sel}\n/ ${by}\n${SLO_RULE.errorBudget}${sel}`, labels },
    { record: SLO_RULE.budgetRemaining, expr: `1 - ${SLO_RULE.periodBurnRate}${sel}`, labels },
    {
      record: SLO_RULE.info,
      expr: "vector(1)",
      labels: { ...labels, [LABEL.team]: model.team, sli: sli.kind, objective: num(slo.objective), description: slo.description },
    },
  ];
}

/** `(long > f·budget) and (short > f·budget)` for each window of a severity, joined with `or`. */
function burnExpr(model: ServiceModel, slo: SloModel, windows: readonly BurnWindow[]): string {
  const sel = sloSelector(model, slo);
  const budget = 1 - slo.objective;
  return windows
    .map((w) => {
      const threshold = `(${num(burnFactor(w, slo.periodDays))} * ${num(budget)})`;
      return `(\n  ${SLO_RULE.errorRatio(w.long)}${sel} > ${threshold}\n  and\n  ${SLO_RULE.errorRatio(w.short)}${sel} > ${threshold}\n)`;
    })
    .join("\nor\n");
}

export function sloAlerts(model: ServiceModel, ctx: RuleContext, slo: SloModel): AlertRule[] {
  const page = BURN_WINDOWS.filter((w) => w.severity === "page");
  const ticket = BURN_WINDOWS.filter((w) => w.severity === "ticket");
  const factors = (ws: readonly BurnWindow[]) => ws.map((w) => `${num(burnFactor(w, slo.periodDays))}x over ${w.long}`).join(" or ");
  const panelKey = `slo:${slo.name}`;
  const dashboard = slo.sli.kind === "quality" ? "quality" : "operational";
  return [
    makeAlert(model, ctx, {
      name: [slo.name, SLO_ALERT.burnFast],
      expr: burnExpr(model, slo, page),
      severity: "page",
      slo: slo.name,
      summary: `${model.name}: ${slo.name} SLO is burning its error budget fast`,
      description: `${slo.description}. The error budget is burning at ${factors(page)} (current error ratio {{ $value | humanizePercentage }}); at this pace the ${slo.periodDays}-day budget is gone within days.`,
      dashboard,
      panelKey,
    }),
    makeAlert(model, ctx, {
      name: [slo.name, SLO_ALERT.burnSlow],
      expr: burnExpr(model, slo, ticket),
      severity: "ticket",
      slo: slo.name,
      summary: `${model.name}: ${slo.name} SLO is burning its error budget steadily`,
      description: `${slo.description}. The error budget is burning at ${factors(ticket)} (current error ratio {{ $value | humanizePercentage }}); fix the cause before it pages.`,
      dashboard,
      panelKey,
    }),
    makeAlert(model, ctx, {
      name: [slo.name, SLO_ALERT.absent],
      expr: `absent(${sliTotalSeries(model, slo)})`,
      for: "15m",
      severity: "ticket",
      slo: slo.name,
      summary: `${model.name}: the ${slo.name} SLI has no data`,
      description: `No samples of the series behind the ${slo.name} SLI for 15 minutes: the SLO cannot be computed and its burn alerts are blind. Check the service's instrumentation and the collector's remote write.`,
      dashboard,
      panelKey,
    }),
  ];
}

/**
 * The SLO rule groups of a service: what the pages read and the pages, every minute; hourly
 * tiles for the period; the long windows, the period and the metadata, and the tickets, every 4
 * minutes (alerts/cadence.ts). Recording groups come before the groups that read them.
 */
export function sloRuleGroups(model: ServiceModel, ctx: RuleContext): RuleGroup[] {
  if (model.slos.length === 0) return [];
  const alerts = model.slos.flatMap((s) => sloAlerts(model, ctx, s));
  return [
    { name: `${model.name}-slo-recordings`, interval: PAGE_INTERVAL, rules: model.slos.flatMap((s) => sliRateRules(model, s)) },
    { name: `${model.name}-slo-hourly`, interval: TILE_INTERVAL, rules: model.slos.flatMap((s) => sliTileRules(model, s)) },
    {
      name: `${model.name}-slo-budget`,
      interval: TICKET_INTERVAL,
      rules: model.slos.flatMap((s) => [...sliLongWindowRules(model, s), ...sloMetadataRules(model, s)]),
    },
    { name: `${model.name}-slo-alerts`, interval: PAGE_INTERVAL, rules: alerts.filter((a) => a.labels[LABEL.severity] === "page") },
    { name: `${model.name}-slo-tickets`, interval: TICKET_INTERVAL, rules: alerts.filter((a) => a.labels[LABEL.severity] !== "page") },
  ];
}
