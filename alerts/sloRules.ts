/**
 * Per SLO: the SLI's bad-event and total rates over 5m and over each hour (4 rates), its error
 * ratio over every alert window plus the whole period (8 ratios, as Sloth records them), 7
 * metadata rules (objective, budget, period, burn rates, budget remaining, info), and three
 * alerts: a paging fast burn, a ticketing slow burn, and a ticket when the SLI has no data (an SLI
 * that cannot be computed must not look healthy).
 *
 * Where each window comes from, and how often it is evaluated (alerts/cadence.ts):
 *  - 5m and 1h, the windows of the fastest page (14.4x), every minute (the `slo-recordings`
 *    group), from the raw series: a sharp burst must page within minutes. The 5m ratio divides
 *    the raw bad (or good) events by the recorded 5m total, and the bad-event rate is recorded
 *    next to it.
 *  - 30m, 2h and 6h, every 4 minutes (the `slo-budget` group, with the metadata), from the
 *    recorded 5m rates: `sum_over_time(bad[w]) / sum_over_time(total[w])`. A 1-minute sample of a
 *    5m rate counts every event of its 5 minutes once, so summing the samples over a window counts
 *    every event of the window five times, bad and total alike: the ratio is weighted by events,
 *    exactly as over the raw counters (an average of 5m ratios would weight a quiet night's minute
 *    like a busy hour's). It reads 2 recorded series at one sample a minute, however many raw
 *    series (instances, status codes) the SLI sums. Events of the last 5 minutes are not all
 *    counted yet (about 2.5 minutes of lag): fine for tickets and for the 6x page (6h and 30m),
 *    which answers burns that take hours to show; up to 4 minutes stale plus that lag moves it by
 *    minutes. On the 14.4x page's 1h window the same lag would delay a page on a sharp burst by
 *    about 2 minutes, so that window stays raw.
 *  - 1d, 3d and the period (30 days), every 4 minutes, the same sums over hourly tiles (the
 *    `slo-hourly` group: the 5m rates averaged over each hour, 2 per SLO): 24, 72 and 720 tiles
 *    per series instead of 1,440, 4,320 and 43,200 one-minute samples, the costliest reads of the
 *    SLO rules otherwise (the period alone was a third of the 5% budget on 100 services). They
 *    leave out up to the last hour: the slow-burn ticket's long windows say whether a burn has
 *    lasted a day or three, and its short windows (2h, 6h) are current; the budget panels move
 *    by 0.14% of the period. No value in the first hour after a deployment.
 */
import { sloDashboard, sloPanelKey } from "../service/links";
import type { ServiceModel, SloModel } from "../service/model";
import { makeAlert, type RuleContext } from "./alertMeta";
import { budgetForecastAlert, budgetTrendRecordings } from "./earlyWarning";
import { BURN_WINDOWS, burnFactor, RATE_WINDOW, sliWindows, type BurnWindow } from "./burnRateWindows";
import { PAGE_INTERVAL, TICKET_INTERVAL, TILE_INTERVAL } from "./cadence";
import { LABEL, SLO_RULE } from "./conventions";
import { constant, durationSeconds, num, quote } from "./promql";
import type { AlertRule, RecordingRule, RuleGroup } from "./ruleModel";
import { errorRatioExpr, errorRatioOverExpr, sliTotalSeries, totalRateExpr } from "./sli";
import { templateLiteral } from "./templateText";

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

/** The fastest page's window pair (14.4x over 1h and 5m): read every minute, its long window raw. */
const FASTEST_PAGE = BURN_WINDOWS.filter((w) => w.severity === "page").reduce((a, b) => (durationSeconds(b.long) < durationSeconds(a.long) ? b : a));
export { RATE_WINDOW };

/** Alert windows read from the raw series every minute (besides the rate window). */
export const rawWindows = () => [FASTEST_PAGE.long, FASTEST_PAGE.short].filter((w) => w !== RATE_WINDOW);
/** Windows of a day or longer are summed from the hourly tiles. */
const TILED_FROM = "1d";
const tiled = (w: string) => durationSeconds(w) >= durationSeconds(TILED_FROM);
/** Windows summed from the recorded 5m rates every 4 minutes, shortest first. */
export const summedWindows = () => sliWindows().filter((w) => w !== RATE_WINDOW && !rawWindows().includes(w) && !tiled(w));
/** Windows summed from the hourly tiles every 4 minutes, shortest first (the period is added separately). */
export const tiledWindows = () => sliWindows().filter((w) => tiled(w));

/** Labels of a rule computing a series for every SLO of the service (the `slo` label comes from the data). */
const serviceLabels = (model: ServiceModel): Record<string, string> => ({ [LABEL.service]: model.name });

/** `{service="x"}`: every SLO of the service; `{service="x",slo=~"a|b"}` when only some. */
function slosSelector(model: ServiceModel, slos: readonly SloModel[]): string {
  const service = `${LABEL.service}=${quote(model.name)}`;
  if (slos.length === model.slos.length) return `{${service}}`;
  if (slos.length === 1) return `{${service},${LABEL.slo}=${quote(slos[0].name)}}`;
  // SLO names are lower-case letters, digits and dashes: nothing to escape in a regex.
  return `{${service},${LABEL.slo}=~${quote(slos.map((s) => s.name).join("|"))}}`;
}

/**
 * What the fastest page reads, every minute, per SLO: the 5m total rate, the 5m error ratio over
 * it (with the SLI's threshold in the rule, where reviewers and the plan review read it), and the
 * raw 1h ratio.
 */
export function sliRateRules(model: ServiceModel, slo: SloModel): RecordingRule[] {
  const labels = sloLabels(model, slo);
  const total = `${SLO_RULE.totalRate(RATE_WINDOW)}${sloSelector(model, slo)}`;
  return [
    { record: SLO_RULE.totalRate(RATE_WINDOW), expr: totalRateExpr(model, slo, RATE_WINDOW), labels },
    { record: SLO_RULE.errorRatio(RATE_WINDOW), expr: errorRatioOverExpr(model, slo, RATE_WINDOW, total), labels },
    ...rawWindows().map((w) => ({ record: SLO_RULE.errorRatio(w), expr: errorRatioExpr(model, slo, w), labels })),
  ];
}

/*
 * Every rule below reads series the rules above recorded for every SLO of the service, so one
 * rule per service computes the same series for all of them at once (vector matching on the
 * `service` and `slo` labels): a third of the evaluations of one rule per SLO, with the same series.
 */

/**
 * Bad events per second over 5m, for every SLO of the service: the ratio times the total, 0 (not
 * NaN) without traffic, so sums over long windows stay finite through a quiet spell; nothing when
 * the ratio has no value.
 */
export function sliErrorRateRule(model: ServiceModel): RecordingRule {
  const sel = slosSelector(model, model.slos);
  const total = `${SLO_RULE.totalRate(RATE_WINDOW)}${sel}`;
  return {
    record: SLO_RULE.errorRate(RATE_WINDOW),
    expr: `${SLO_RULE.errorRatio(RATE_WINDOW)}${sel} * (${total} > 0)\nor\n(${total} == 0)`,
    labels: serviceLabels(model),
  };
}

/** The error ratio over a window, weighted by events, from recorded rates over `rateWindow`. */
function summedRatioExpr(sel: string, rateWindow: string, window: string): string {
  return `sum_over_time(${SLO_RULE.errorRate(rateWindow)}${sel}[${window}])\n/\nsum_over_time(${SLO_RULE.totalRate(rateWindow)}${sel}[${window}])`;
}

/** The hourly tiles the day-long windows and the period are summed from: the 5m rates averaged over the hour. */
export function sliTileRules(model: ServiceModel): RecordingRule[] {
  const sel = slosSelector(model, model.slos);
  const avg = (name: string) => `avg_over_time(${name}${sel}[${TILE_INTERVAL}])`;
  return [
    { record: SLO_RULE.errorRate(TILE_INTERVAL), expr: avg(SLO_RULE.errorRate(RATE_WINDOW)), labels: serviceLabels(model) },
    { record: SLO_RULE.totalRate(TILE_INTERVAL), expr: avg(SLO_RULE.totalRate(RATE_WINDOW)), labels: serviceLabels(model) },
  ];
}

/** SLOs of the service by period, in the order of their first SLO. */
function byPeriod(model: ServiceModel): [string, SloModel[]][] {
  const out = new Map<string, SloModel[]>();
  for (const s of model.slos) out.set(periodWindow(s), [...(out.get(periodWindow(s)) ?? []), s]);
  return [...out.entries()];
}

/**
 * The error ratios over the other alert windows (from the 5m rates or the hourly tiles) and over
 * each SLO's period (from the tiles), for every SLO of the service.
 */
export function sliLongWindowRules(model: ServiceModel): RecordingRule[] {
  const all = slosSelector(model, model.slos);
  const labels = serviceLabels(model);
  return [
    ...summedWindows().map((w) => ({ record: SLO_RULE.errorRatio(w), expr: summedRatioExpr(all, RATE_WINDOW, w), labels })),
    ...tiledWindows().map((w) => ({ record: SLO_RULE.errorRatio(w), expr: summedRatioExpr(all, TILE_INTERVAL, w), labels })),
    ...byPeriod(model).map(([w, slos]) => ({ record: SLO_RULE.errorRatio(w), expr: summedRatioExpr(slosSelector(model, slos), TILE_INTERVAL, w), labels })),
  ];
}

/** Per SLO: objective, budget, period and info; the constants dashboards and other tools select by `slo`. */
export function sloMetadataRules(model: ServiceModel, slo: SloModel): RecordingRule[] {
  const labels = sloLabels(model, slo);
  const sli = slo.sli;
  return [
    { record: SLO_RULE.objective, expr: constant(slo.objective), labels },
    { record: SLO_RULE.errorBudget, expr: constant(1 - slo.objective), labels },
    { record: SLO_RULE.periodDays, expr: constant(slo.periodDays), labels },
    {
      record: SLO_RULE.info,
      expr: "vector(1)",
      labels: { ...labels, [LABEL.team]: model.team, sli: sli.kind, objective: num(slo.objective), description: slo.description },
    },
  ];
}

/** Burn rates (now and over each SLO's period) and the budget left, for every SLO of the service. */
export function sloBurnRateRules(model: ServiceModel): RecordingRule[] {
  const sel = slosSelector(model, model.slos);
  const by = `on(${LABEL.service}, ${LABEL.slo}) group_left`;
  const labels = serviceLabels(model);
  const perBudget = (ratio: string, s: string) => `${ratio}${s}\n/ ${by}\n${SLO_RULE.errorBudget}${s}`;
  // SLOs of different periods read their own period's ratio, in one rule (two rules recording the
  // same name with the same labels are duplicates to promtool's lint, though their series differ).
  const periods = byPeriod(model);
  const periodBurn = periods.map(([w, slos]) => perBudget(SLO_RULE.errorRatio(w), periods.length === 1 ? sel : slosSelector(model, slos)));
  return [
    { record: SLO_RULE.currentBurnRate, expr: perBudget(SLO_RULE.errorRatio(RATE_WINDOW), sel), labels },
    { record: SLO_RULE.periodBurnRate, expr: periodBurn.length === 1 ? periodBurn[0] : periodBurn.map((e) => `(\n${e}\n)`).join("\nor\n"), labels },
    { record: SLO_RULE.budgetRemaining, expr: `1 - ${SLO_RULE.periodBurnRate}${sel}`, labels },
  ];
}

/**
 * `(long > f·budget) and (short > f·budget)` for each window of a severity, joined with `or`. A long
 * window summed from the hourly tiles must also hold at least its short window's span of them: for
 * the first hours after the rules are deployed (a new service, or an existing one onboarded) the
 * tiles hold only those hours, the "long" window would be shorter than the short one, and a single
 * hour with a blip would open a 1x-over-3d ticket.
 */
function burnExpr(model: ServiceModel, slo: SloModel, windows: readonly BurnWindow[]): string {
  const sel = sloSelector(model, slo);
  const budget = 1 - slo.objective;
  return windows
    .map((w) => {
      const threshold = `(${num(burnFactor(w, slo.periodDays))} * ${num(budget)})`;
      const history = tiled(w.long)
        ? `\n  and\n  count_over_time(${SLO_RULE.totalRate(TILE_INTERVAL)}${sel}[${w.long}]) >= ${num(Math.ceil(durationSeconds(w.short) / durationSeconds(TILE_INTERVAL)))}`
        : "";
      return `(\n  ${SLO_RULE.errorRatio(w.long)}${sel} > ${threshold}\n  and\n  ${SLO_RULE.errorRatio(w.short)}${sel} > ${threshold}${history}\n)`;
    })
    .join("\nor\n");
}

export function sloAlerts(model: ServiceModel, ctx: RuleContext, slo: SloModel): AlertRule[] {
  const page = BURN_WINDOWS.filter((w) => w.severity === "page");
  const ticket = BURN_WINDOWS.filter((w) => w.severity === "ticket");
  const factors = (ws: readonly BurnWindow[]) => ws.map((w) => `${num(burnFactor(w, slo.periodDays))}x over ${w.long}`).join(" or ");
  const panelKey = sloPanelKey(slo);
  const dashboard = sloDashboard(slo);
  return [
    makeAlert(model, ctx, {
      name: [slo.name, SLO_ALERT.burnFast],
      expr: burnExpr(model, slo, page),
      severity: "page",
      slo: slo.name,
      summary: `${model.name}: ${slo.name} SLO is burning its error budget fast`,
      description: `${templateLiteral(slo.description)}. The error budget is burning at ${factors(page)} (current error ratio {{ $value | humanizePercentage }}); at this pace the ${slo.periodDays}-day budget is gone within days.`,
      dashboard,
      panelKey,
    }),
    makeAlert(model, ctx, {
      name: [slo.name, SLO_ALERT.burnSlow],
      expr: burnExpr(model, slo, ticket),
      severity: "ticket",
      slo: slo.name,
      summary: `${model.name}: ${slo.name} SLO is burning its error budget steadily`,
      description: `${templateLiteral(slo.description)}. The error budget is burning at ${factors(ticket)} (current error ratio {{ $value | humanizePercentage }}); fix the cause before it pages.`,
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
  const alerts = model.slos.flatMap((s) => [...sloAlerts(model, ctx, s), budgetForecastAlert(model, ctx, s)]);
  return [
    {
      name: `${model.name}-slo-recordings`,
      interval: PAGE_INTERVAL,
      rules: [...model.slos.flatMap((s) => sliRateRules(model, s)), sliErrorRateRule(model)],
    },
    { name: `${model.name}-slo-hourly`, interval: TILE_INTERVAL, rules: sliTileRules(model) },
    {
      name: `${model.name}-slo-budget`,
      interval: TICKET_INTERVAL,
      rules: [...sliLongWindowRules(model), ...budgetTrendRecordings(model), ...model.slos.flatMap((s) => sloMetadataRules(model, s)), ...sloBurnRateRules(model)],
    },
    { name: `${model.name}-slo-alerts`, interval: PAGE_INTERVAL, rules: alerts.filter((a) => a.labels[LABEL.severity] === "page") },
    { name: `${model.name}-slo-tickets`, interval: TICKET_INTERVAL, rules: alerts.filter((a) => a.labels[LABEL.severity] !== "page") },
  ];
}
