/**
 * A latency spike from cache misses on the RAG assistant, at 10:00 on a weekday: a deploy changes
 * the cache key, the semantic cache's hit ratio collapses from 55% to 5%, every miss goes to the
 * vector store, which slows under the load (retrieval of a miss: 130 ms to 900 ms), and about 8%
 * of answers take over 3 s.
 *
 * What the stack must do: ticket the cause (cache-hit collapse against yesterday) and page on the
 * symptoms (the query-latency SLO burning fast; good-answers, with a looser budget, may page later), the ticket first.
 */
import type { ServiceModel } from "../../service/model";
import { causeAlert, forecastAlert, latencyRegressionAlert, sloAlert } from "../alertNames";
import { MINUTES_PER_DAY } from "../healthy";
import type { AllowedAlert, Scenario } from "../scenario";
import type { MinuteState } from "../traffic";

const HIT_SHARE = 0.05;
const MISS_RETRIEVAL_SECONDS = 0.9;

export function cacheMissLatency(rag: ServiceModel): Scenario {
  const retrieve = rag.stages[1]?.name;
  if (!retrieve) throw new Error(`${rag.name} has no retrieval stage`);
  return {
    id: "cache-miss-latency",
    title: "The cache-hit ratio collapses from 55% to 5%, retrieval slows and about 8% of answers take over 3 s",
    service: rag,
    leadInMinutes: MINUTES_PER_DAY + 10 * 60,
    incidentMinutes: 180,
    incident: cacheCollapse(retrieve),
    evaluationInterval: "5m",
    fires: [
      {
        alert: causeAlert("cacheCollapse"),
        severity: "ticket",
        firingBy: 60,
        why: "the 30-minute hit ratio falls under half of yesterday's, for 15 minutes",
      },
      {
        alert: sloAlert(rag, "query-latency", "burnFast"),
        severity: "page",
        firingBy: 90,
        notBefore: 30,
        why: "8% slow answers is a 16x burn of a 0.5% budget: the 1h window passes 14.4x after about 50 minutes",
      },
    ],
    mayFire: [
      {
        alert: sloAlert(rag, "good-answers", "burnFast"),
        severity: "page",
        why: "slow answers are not good answers: the same 8% is an 8x burn of the custom SLO's 1% budget, which the 6x page's windows (6h, 30m) pass after hours",
      },
      longWindows(rag, "query-latency"),
      longWindows(rag, "good-answers"),
      { alert: forecastAlert(rag, "query-latency"), severity: "ticket", why: "a 16x burn spends the budget left within days: the forecast tickets it too" },
      { alert: forecastAlert(rag, "good-answers"), severity: "ticket", why: "the same burn on the custom SLO" },
      { alert: latencyRegressionAlert(rag), severity: "ticket", why: "retrieval and answers are slower than at the same hour yesterday: the latency regression is the same cause, seen on latency" },
    ],
    target: { ticketBeforePage: true, text: "the cause is ticketed before the symptoms page (no target in the issue)" },
  };
}

/** Hits keep their latency; every miss goes to the slowed vector store. */
function cacheCollapse(retrieve: string): Scenario["incident"] {
  return (state: MinuteState): MinuteState => {
    const [hit] = state.stages[retrieve].latency;
    return {
      ...state,
      cacheHitShare: HIT_SHARE,
      stages: {
        ...state.stages,
        [retrieve]: {
          ...state.stages[retrieve],
          latency: [
            { ...hit, weight: HIT_SHARE },
            { weight: 1 - HIT_SHARE, median: MISS_RETRIEVAL_SECONDS, sigma: 0.3 },
          ],
        },
      },
    };
  };
}

function longWindows(rag: ServiceModel, slo: string): AllowedAlert {
  return {
    alert: sloAlert(rag, slo, "burnSlow"),
    severity: "ticket",
    why:
      "the 6h and 2h windows pass their factor within the hour; the 3d window holds only the replay's 37 hours, " +
      "so it passes 1x after about two hours instead of four",
  };
}
