/**
 * What a scenario run means to a reader: each alert's firing windows, the first ticket and the
 * first page after the incident starts, when users notice (the scenario's declared outage, or the
 * first time an SLO's 1-hour error ratio passes its error budget), and, for healthy traffic, the
 * pages and tickets per 30 days. Pure.
 */
import type { ServiceModel } from "../../service/model";
import { MINUTES_PER_DAY } from "../healthy";
import { WARM_UP_MINUTES, totalMinutes } from "../scenario";
import type { SliSeries } from "./probes";
import { stepMinutes } from "./probes";
import type { ScenarioRun } from "./run";

export interface AlertWindows {
  readonly alert: string;
  readonly severity: string;
  /** [start, end) in minutes since the replay started. */
  readonly windows: readonly (readonly [number, number])[];
}

export interface FirstAlert {
  readonly alert: string;
  /** Minutes since the incident started. */
  readonly minute: number;
}

export interface UserImpact {
  /** Minutes since the incident started. */
  readonly minute: number;
  readonly what: string;
}

export interface ScenarioOutcome {
  readonly id: string;
  readonly title: string;
  readonly healthy: boolean;
  readonly leadInMinutes: number;
  readonly totalMinutes: number;
  readonly stepMinutes: number;
  readonly alerts: readonly AlertWindows[];
  readonly firstTicket?: FirstAlert;
  readonly firstPage?: FirstAlert;
  readonly impact?: UserImpact;
  /** Healthy traffic: firing episodes per 30 days, by severity (after the warm-up). */
  readonly perMonth?: { readonly pages: number; readonly tickets: number };
  readonly sli: readonly SliSeries[];
  readonly evaluationSeconds: number;
  readonly cached: boolean;
}

function windowsOf(firing: readonly boolean[], step: number): [number, number][] {
  const out: [number, number][] = [];
  firing.forEach((on, i) => {
    if (!on) return;
    const last = out[out.length - 1];
    if (last && last[1] === i * step) last[1] = (i + 1) * step;
    else out.push([i * step, (i + 1) * step]);
  });
  return out;
}

/** First firing at or after `from` (minutes since the replay started), by severity, in minutes since `incident`. */
function first(alerts: readonly AlertWindows[], severity: string, from: number, incident: number): FirstAlert | undefined {
  const starts = alerts
    .filter((a) => a.severity === severity)
    .flatMap((a) => a.windows.filter(([, end]) => end > from).map(([start]) => ({ alert: a.alert, minute: Math.max(start, from) - incident })));
  return starts.sort((a, b) => a.minute - b.minute || (a.alert < b.alert ? -1 : 1))[0];
}

/** First minute after the incident start an SLO's 1h error ratio is over its error budget. */
function sloBreach(model: ServiceModel, sli: readonly SliSeries[], from: number): UserImpact | undefined {
  const breaches = sli.flatMap((s) => {
    const slo = model.slos.find((x) => x.name === s.slo);
    const at = slo ? s.points.find(([m, v]) => m >= from && v > 1 - slo.objective) : undefined;
    return at ? [{ minute: at[0] - from, what: `${s.slo} SLO breached (1h error ratio over its ${+((1 - slo!.objective) * 100).toFixed(3)}% budget)` }] : [];
  });
  return breaches.sort((a, b) => a.minute - b.minute)[0];
}

export function outcomeOf(model: ServiceModel, run: ScenarioRun): ScenarioOutcome {
  const sc = run.scenario.scenario;
  const step = stepMinutes(sc);
  const alerts = run.firing.map((f) => ({ alert: f.alert, severity: f.severity, windows: windowsOf(f.firing, step) })).filter((a) => a.windows.length > 0);
  const start = Math.max(sc.leadInMinutes, WARM_UP_MINUTES);
  const declared = run.scenario.impact;
  const breach = run.scenario.healthy ? undefined : sloBreach(model, run.sli, sc.leadInMinutes);
  const impact = [declared, breach].filter((x): x is UserImpact => x !== undefined).sort((a, b) => a.minute - b.minute)[0];
  const episodes = (severity: string) => alerts.filter((a) => a.severity === severity).reduce((n, a) => n + a.windows.filter(([s]) => s >= start).length, 0);
  const days = (totalMinutes(sc) - start) / MINUTES_PER_DAY;
  const perDays = (n: number) => Math.round((n * 30 * 10) / days) / 10;
  return {
    id: sc.id,
    title: sc.title,
    healthy: run.scenario.healthy,
    leadInMinutes: sc.leadInMinutes,
    totalMinutes: totalMinutes(sc),
    stepMinutes: step,
    alerts,
    firstTicket: run.scenario.healthy ? undefined : first(alerts, "ticket", start, sc.leadInMinutes),
    firstPage: run.scenario.healthy ? undefined : first(alerts, "page", start, sc.leadInMinutes),
    impact,
    ...(run.scenario.healthy ? { perMonth: { pages: perDays(episodes("page")), tickets: perDays(episodes("ticket")) } } : {}),
    sli: run.sli,
    evaluationSeconds: run.evaluationSeconds,
    cached: run.cachedParts === run.parts,
  };
}
