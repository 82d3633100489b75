/**
 * Per SLO: SLI recording rules over every alert window plus the whole period (8 for a 30-day SLO,
 * as Sloth records them), 7 metadata rules (objective, budget, period, burn rates, budget
 * remaining, info), and three alerts: a paging fast burn, a ticketing slow burn, and a ticket
 * when the SLI has no data (an SLI that cannot be computed must not look healthy).
 */
import type { ServiceModel, SloModel } from "../service/model";
import { makeAlert, type RuleContext } from "./alertMeta";
import { BURN_WINDOWS, burnFactor, sliWindows, type BurnWindow } from "./burnRateWindows";
import { LABEL, SLO_RULE } from "./conventions";
import { num, quote } from "./promql";
import type { AlertRule, RecordingRule, RuleGroup } from "./ruleModel";
import { errorRatioExpr, sliTotalSeries } from "./sli";

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

export function sliRecordingRules(model: ServiceModel, slo: SloModel): RecordingRule[] {
  const labels = sloLabels(model, slo);
  const windows = sliWindows().map((w) => ({ record: SLO_RULE.errorRatio(w), expr: errorRatioExpr(model, slo, w), labels }));
  // The period ratio averages the 5m ratio (as Sloth does): cheap, and exact enough for budget panels.
  const shortest = sliWindows()[0];
  const period = {
    record: SLO_RULE.errorRatio(periodWindow(slo)),
    expr: `avg_over_time(${SLO_RULE.errorRatio(shortest)}${sloSelector(model, slo)}[${periodWindow(slo)}])`,
    labels,
  };
  return [...windows, period];
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

/** The SLO rule groups of a service: one recording group (SLIs then metadata) and one alert group. */
export function sloRuleGroups(model: ServiceModel, ctx: RuleContext): RuleGroup[] {
  if (model.slos.length === 0) return [];
  return [
    {
      name: `${model.name}-slo-recordings`,
      interval: "1m",
      rules: model.slos.flatMap((s) => [...sliRecordingRules(model, s), ...sloMetadataRules(model, s)]),
    },
    { name: `${model.name}-slo-alerts`, interval: "1m", rules: model.slos.flatMap((s) => sloAlerts(model, ctx, s)) },
  ];
}
