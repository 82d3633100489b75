/**
 * When users notice, from the scenario's own state rather than from the alerts under test: the
 * share of an SLO's events that are bad at a minute, as the traffic generator draws them, and the
 * first minutes its trailing hour passes the SLO's allowed share (the threshold crossing) and the
 * fast page's 14.4x (the outage point: users see the service failing).
 */
import { BURN_WINDOWS, burnFactor } from "../../alerts/burnRateWindows";
import type { ServiceModel, SloModel } from "../../service/model";
import { logNormalMixture } from "../distributions";
import { endToEndLatency } from "../generate";
import type { MinuteState } from "../traffic";

/** Share of the SLO's events that are bad in this state; undefined for SLIs the state does not model (custom). */
export function badShare(slo: SloModel, state: MinuteState): number | undefined {
  const sli = slo.sli;
  switch (sli.kind) {
    case "availability":
      return sli.stage ? state.stages[sli.stage]?.errorShare : state.errorShare;
    case "latency": {
      const dist = sli.stage ? logNormalMixture(state.stages[sli.stage].latency) : endToEndLatency(state);
      return 1 - dist.cdf(sli.thresholdSeconds);
    }
    case "quality":
      return state.versions.reduce((bad, v) => bad + v.share * (1 - (v.goodShare[sli.score] ?? 1)), 0);
    case "custom":
      return undefined;
  }
}

export interface UserImpact {
  /** Minutes after the incident start when the trailing hour's bad share passes the SLO's allowed share. */
  readonly crossing?: number;
  /** Minutes after the incident start when it passes 14.4x the allowed share (the fastest page's line). */
  readonly outage?: number;
}

const STEP = 5;

/** The crossing and outage minutes of `slo` under `stateAt` (minutes since the incident start), scanned every 5 minutes up to `until`. */
export function userImpact(slo: SloModel, stateAt: (sinceStart: number) => MinuteState, until: number): UserImpact {
  const allowed = 1 - slo.objective;
  const fastest = Math.max(...BURN_WINDOWS.map((w) => burnFactor(w, slo.periodDays)));
  const window: number[] = [];
  let crossing: number | undefined;
  for (let t = 0; t <= until; t += STEP) {
    window.push(badShare(slo, stateAt(t)) ?? 0);
    if (window.length > 60 / STEP) window.shift();
    const hour = window.reduce((a, b) => a + b, 0) / window.length;
    if (crossing === undefined && hour > allowed) crossing = t;
    if (hour > fastest * allowed) return { crossing, outage: t };
  }
  return { crossing };
}

/** The SLO named `name` of `model`, or an error naming what the family needs. */
export function sloOf(model: ServiceModel, name: string): SloModel {
  const slo = model.slos.find((s) => s.name === name);
  if (!slo) throw new Error(`${model.name} has no SLO "${name}" for this scenario family`);
  return slo;
}
