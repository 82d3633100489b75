/**
 * What a runbook page says about one alert, as plain data (render.ts turns it into Markdown). The
 * page follows the incident runbook: what fired and what it means for users, the first three
 * things to check, how to classify the cause, the narrowest rollback, what regression eval or
 * guardrail to add, and who owns it. Each alert family has a playbook builder (slo.ts,
 * causes.ts, signals.ts); catalogue.ts finds the builder of every alert the rule groups hold.
 */
import { QUALITY_WINDOWS } from "../alerts/signalNames";
import { recorded } from "../alerts/signals/expr";
import type { DashboardKind } from "../service/links";
import type { ServiceModel } from "../service/model";
import type { Layer } from "./layers";
import type { LogsQuery } from "./logQueries";

/** A panel of one of the service's dashboards, by the key the dashboards build it under. */
export interface PanelRef {
  readonly dashboard: DashboardKind;
  readonly key: string;
}

/**
 * One of the first things to check: the panels to open and the query to run. Without `logs`, the
 * query is the PromQL of the panels themselves (Grafana's variables filled in), so the page and
 * the dashboard cannot show different numbers.
 */
export interface Check {
  /** What to look at and what the answer tells, one or two sentences. */
  readonly look: string;
  /** At least one. */
  readonly panels: readonly PanelRef[];
  /** A Logs Insights query to run instead of the panels' PromQL. */
  readonly logs?: LogsQuery;
  /** PromQL of recorded series no panel plots (the counts a ticket weighed), after the panels' own. */
  readonly recorded?: readonly string[];
}

export interface Playbook {
  /** What the alert means for users, in a sentence or two. */
  readonly impact: string;
  /** The first three things to check, in order. */
  readonly checks: readonly [Check, Check, Check];
  /** The layers the cause most likely sits in, most likely first (the page lists the others after them). */
  readonly likely: readonly Layer[];
  /** Signs specific to this alert that point at a layer, over the layer's generic sign. */
  readonly signs?: Readonly<Partial<Record<Layer, string>>>;
  /** Rollback options, narrowest first. */
  readonly rollback: readonly string[];
  /** The regression eval or guardrail to add once it is fixed. */
  readonly prevent: readonly string[];
}

/**
 * What a counting-noise-guarded ticket weighed (alerts/signals/expr.ts guardedRatioTicket), over
 * the hour and the day: the judged events and, from the bad share, the bad ones.
 */
export function judgedCounts(model: ServiceModel, badRatio: (w: string) => string, judged: (w: string) => string): string[] {
  return QUALITY_WINDOWS.flatMap((w) => [recorded(model, judged(w)), `${recorded(model, badRatio(w))} * ${recorded(model, judged(w))}`]);
}
