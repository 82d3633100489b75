/**
 * One row per SLO, read from the SLO recording rules (alerts/conventions.ts SLO_RULE): the SLI over
 * the whole period against the objective, the error budget left, and the burn rate over each
 * alert window against the factors that page and ticket. The burn-rate panel carries the key the
 * SLO's alerts link to (`slo:<name>`). Availability, latency and custom SLOs sit on the
 * operational dashboard, quality SLOs on the quality dashboard, as the alerts' links expect.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { BURN_WINDOWS, burnFactor } from "../alerts/burnRateWindows";
import { LABEL, SLO_RULE } from "../alerts/conventions";
import { num } from "../alerts/promql";
import { periodWindow, sloSelector } from "../alerts/sloRules";
import { sloDashboard, sloPanelKey, type DashboardKind } from "../service/links";
import type { ServiceModel, SloModel } from "../service/model";
import { COLOR, higherIsBetter, stat, steps, timeseries, type PanelSpec, type Section } from "./presets";
import { oneOf, recorded } from "./promql";

export const slosOf = (model: ServiceModel, kind: DashboardKind) => model.slos.filter((s) => sloDashboard(s) === kind);

/** Columns of an SLO row: two stats, then the burn rate. */
const ROW = { stat: 4, burnRate: 16 } as const;

/** Budget left under which an SLO turns yellow: a quarter of the period's budget. */
export const BUDGET_WATCH = 0.25;

const pct = (ratio: number) => `${num(ratio * 100)}%`;

/** `min` of the budget left over some SLOs, named by the SLO that has least. */
export function lowestBudgetExpr(model: ServiceModel, slos: readonly SloModel[]): string {
  return `bottomk(1, ${recorded(model, SLO_RULE.budgetRemaining, oneOf(LABEL.slo, slos.map((s) => s.name)))})`;
}

function sliStat(model: ServiceModel, slo: SloModel): PanelSpec {
  return {
    key: `${sloPanelKey(slo)}:sli`,
    width: ROW.stat,
    panel: stat({
      title: `${slo.name}: SLI over ${periodWindow(slo)}`,
      description: `${slo.description}. Share of good events over the ${slo.periodDays}-day period; red under the ${pct(slo.objective)} objective.`,
      unit: units.PercentUnit,
      decimals: 3,
      thresholds: higherIsBetter(slo.objective, slo.objective),
      target: { expr: `1 - ${SLO_RULE.errorRatio(periodWindow(slo))}${sloSelector(model, slo)}` },
    }),
  };
}

function budgetStat(model: ServiceModel, slo: SloModel): PanelSpec {
  return {
    key: `${sloPanelKey(slo)}:budget`,
    width: ROW.stat,
    panel: stat({
      title: `${slo.name}: error budget left`,
      description: `Share of the ${slo.periodDays}-day error budget (${pct(1 - slo.objective)} of events) not yet spent; yellow under ${pct(BUDGET_WATCH)}, red when spent.`,
      unit: units.PercentUnit,
      decimals: 1,
      thresholds: steps(COLOR.act, [0, COLOR.watch], [BUDGET_WATCH, COLOR.ok]),
      target: { expr: `${SLO_RULE.budgetRemaining}${sloSelector(model, slo)}` },
    }),
  };
}

function burnRate(model: ServiceModel, slo: SloModel): PanelSpec {
  const windows = [...new Set(BURN_WINDOWS.map((w) => w.long))];
  const budget = num(1 - slo.objective);
  const lines = BURN_WINDOWS.map((w) => [burnFactor(w, slo.periodDays), w.severity === "page" ? COLOR.act : COLOR.watch] as const)
    .sort(([a], [b]) => a - b);
  const factors = BURN_WINDOWS.map((w) => `${num(burnFactor(w, slo.periodDays))}x over ${w.long} (${w.severity})`).join(", ");
  return {
    key: sloPanelKey(slo),
    width: ROW.burnRate,
    panel: timeseries({
      title: `${slo.name}: error budget burn rate`,
      description: `How fast ${slo.name} spends its error budget (1 = exactly the budget over ${slo.periodDays} days). Alerts fire when a long window and its short window both exceed: ${factors}.`,
      unit: units.Short,
      min: 0,
      thresholds: steps(COLOR.ok, ...lines),
      targets: windows.map((w) => ({
        expr: `${SLO_RULE.errorRatio(w)}${sloSelector(model, slo)} / ${budget}`,
        legend: `burn rate over ${w}`,
      })),
    }),
  };
}

export function sloSections(model: ServiceModel, kind: DashboardKind): Section[] {
  return slosOf(model, kind).map((slo) => ({
    key: sloPanelKey(slo),
    title: `SLO ${slo.name}: ${slo.description}`,
    panels: [sliStat(model, slo), budgetStat(model, slo), burnRate(model, slo)],
  }));
}

/** The SLO measuring the whole service (no stage) for an SLI kind, if the service declares one. */
export function serviceSlo(model: ServiceModel, kind: "availability" | "latency"): SloModel | undefined {
  return model.slos.find((s) => s.sli.kind === kind && !s.sli.stage);
}

/** The fastest burn factor that pages for an SLO: the error ratio at which a headline turns red. */
export function pagingFactor(slo: SloModel): number {
  return Math.max(...BURN_WINDOWS.filter((w) => w.severity === "page").map((w) => burnFactor(w, slo.periodDays)));
}
