/**
 * Error bursts on the RAG assistant's availability SLO (99.9%, 30 days).
 *
 * - `budget-hour`: for one hour a failing upstream makes 14.4 times the budgeted share of requests
 *   fail (1.44%), which spends 2% of the 30-day error budget in that hour: exactly what the fast
 *   page (14.4x over 1h and 5m) is sized for. Its 1h window reaches 14.4x only as the hour
 *   completes, so the page comes at the end of the hour, not within 5 minutes.
 * - `sharp`: 30% of requests fail for 10 minutes. The 1h window passes 14.4x after about 3
 *   minutes: this is the kind of burst that pages within 5 minutes.
 *
 * Paging within 5 minutes needs the 1h window above 14.4 × (1 − objective) after less than five
 * minutes: errors ≥ 12 × 14.4 × 0.1% ≈ 17% of requests for a 99.9% SLO (more, to leave room for a
 * scrape, an evaluation and Alertmanager's 30 s group wait: about 25%).
 */
import type { ServiceModel } from "../../service/model";
import { forecastAlert, sloAlert } from "../alertNames";
import type { Scenario } from "../scenario";
import type { MinuteState } from "../traffic";

const LEAD_IN = 3 * 60;

function availabilityObjective(rag: ServiceModel): number {
  const slo = rag.slos.find((s) => s.name === "availability");
  if (!slo) throw new Error(`${rag.name} has no availability SLO`);
  return slo.objective;
}

/** `share` of requests fail, and the last stage's spans with them (shared with replay/simulate's burst families). */
export function failing(state: MinuteState, share: number): MinuteState {
  const generate = Object.keys(state.stages).pop();
  return {
    ...state,
    errorShare: share,
    errorType: "upstream_unavailable",
    stages: generate ? { ...state.stages, [generate]: { ...state.stages[generate], errorShare: share } } : state.stages,
  };
}

/** Slow-burn tickets in a replay of a few hours: allowed, with the reason. */
const shortHistory = (rag: ServiceModel, slo: string) => [{
  alert: sloAlert(rag, slo, "burnSlow"),
  severity: "ticket" as const,
  why:
    "the replay holds a few hours, so the ticket's 1d and 3d windows average those hours instead of a day or three; " +
    "with a full history this burst leaves them under their factor",
}, {
  alert: forecastAlert(rag, slo),
  severity: "ticket" as const,
  why:
    "the budget left is measured over the replay's few hours, which the burst has used up; with 30 days of history " +
    "one such hour leaves 98% of the budget and the forecast quiet",
}];

export function budgetHourBurst(rag: ServiceModel): Scenario {
  const burn = 14.4 * (1 - availabilityObjective(rag));
  return {
    id: "error-burst-budget-hour",
    title: `For one hour ${(burn * 100).toFixed(2)}% of requests fail: 2% of the 30-day error budget spent in that hour`,
    service: rag,
    leadInMinutes: LEAD_IN,
    incidentMinutes: 120,
    incident: (state, t) => (t < 60 ? failing(state, burn) : state),
    evaluationInterval: "1m",
    fires: [],
    mayFire: [
      {
        alert: sloAlert(rag, "availability", "burnFast"),
        severity: "page",
        notBefore: 45,
        why: "the 1h window reaches 14.4x only as the hour completes: a page near minute 60, or none if the hour's noise keeps it just under",
      },
      ...shortHistory(rag, "availability"),
      ...shortHistory(rag, "good-answers"),
    ],
    target: { pageWithinMinutes: 5, text: "pages within 5 minutes (not what a 14.4x burn can do: see the sharp burst)" },
  };
}

export function sharpBurst(rag: ServiceModel): Scenario {
  return {
    id: "error-burst-sharp",
    title: "For ten minutes 30% of requests fail",
    service: rag,
    leadInMinutes: LEAD_IN,
    incidentMinutes: 60,
    incident: (state, t) => (t < 10 ? failing(state, 0.3) : state),
    evaluationInterval: "1m",
    fires: [
      {
        alert: sloAlert(rag, "availability", "burnFast"),
        severity: "page",
        firingBy: 5,
        why: "30% failures pass 14.4x over both 1h and 5m within about three minutes",
      },
    ],
    mayFire: [...shortHistory(rag, "availability"), ...shortHistory(rag, "good-answers")],
    target: { pageWithinMinutes: 5, text: "pages within 5 minutes" },
  };
}
