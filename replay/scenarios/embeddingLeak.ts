/**
 * A slow memory leak in the RAG assistant's embedding stage. Over three days resident memory
 * climbs from 1.2 GB to about 7 GB per replica (a fixed number of bytes leaked per request) and
 * the garbage collector thrashes: the stage's P95 grows geometrically from 200 ms to 12 s. Then
 * the replicas are OOM-killed in a loop: for an hour most requests fail with 503.
 *
 * What the stack must do: open a ticket on the cause (memory) and on the slow burn of the
 * embed-latency SLO while there are still days to fix it in office hours (the target:
 * at least 48 hours before the stage reaches 12 s), page when the latency SLOs burn fast,
 * long before the outage, and page on the outage itself.
 */
import type { ServiceModel } from "../../service/model";
import { causeAlert, forecastAlert, latencyRegressionAlert, sloAlert } from "../alertNames";
import { MINUTES_PER_DAY, healthyLevels } from "../healthy";
import type { ExpectedAlert, Scenario } from "../scenario";
import { mapReplicas, type MinuteState } from "../traffic";

export const LEAK_MINUTES = 3 * MINUTES_PER_DAY;
const OUTAGE_MINUTES = 60;
/** P95 of the stage multiplies by this over the leak: 200 ms to 12 s. */
const LATENCY_GROWTH = 60;
/** Bytes leaked per hour at average load (about 80 MB). */
const LEAK_BYTES_PER_HOUR = 80e6;

const hours = (h: number) => h * 60;

export function embeddingLeak(rag: ServiceModel): Scenario {
  const stage = rag.stages.find((s) => s.name === "embed");
  if (!stage) throw new Error(`${rag.name} has no "embed" stage`);
  return {
    id: "embedding-leak",
    title: "A memory leak in the embedding stage slows it from 200 ms to 12 s over three days, then the replicas crash in a loop",
    service: rag,
    // A day of history before the leak: the early-warning tickets compare with the same hour yesterday.
    leadInMinutes: hours(26),
    incidentMinutes: LEAK_MINUTES + OUTAGE_MINUTES,
    incident: leakThenCrashLoop(stage.name, healthyLevels(rag).memoryBytes),
    evaluationInterval: "5m",
    fires: leakAlerts(rag),
    mayFire: [
      {
        alert: sloAlert(rag, "availability", "burnSlow"),
        severity: "ticket",
        notBefore: LEAK_MINUTES,
        why: "the outage burns the budget over the long windows too; whether the 2h window passes 3x within the hour is not the point",
      },
      {
        alert: forecastAlert(rag, "query-latency"),
        severity: "ticket",
        why: "answers slow down with the stage: the query-latency budget forecast may ticket before its pages",
      },
      { alert: forecastAlert(rag, "good-answers"), severity: "ticket", why: "slow answers are not good answers: the same forecast on the custom SLO" },
    ],
    target: {
      ticketWithinMinutes: LEAK_MINUTES - 2 * MINUTES_PER_DAY,
      pageWithinMinutes: LEAK_MINUTES,
      text: "a ticket at least 48 h before the stage reaches 12 s; a page before the outage",
    },
  };
}

/** The leak for `LEAK_MINUTES`, then the OOM-kill loop; `healthyMemoryBytes` is what a restarted replica holds. */
function leakThenCrashLoop(stage: string, healthyMemoryBytes: number): Scenario["incident"] {
  const slowEmbed = (state: MinuteState, factor: number): MinuteState => ({
    ...state,
    stages: {
      ...state.stages,
      [stage]: { ...state.stages[stage], latency: state.stages[stage].latency.map((p) => ({ ...p, median: p.median * factor })) },
    },
  });
  return (state, t) => {
    if (t < LEAK_MINUTES) {
      const leaking = mapReplicas(slowEmbed(state, Math.pow(LATENCY_GROWTH, t / LEAK_MINUTES)), (r, i) => ({
        ...r,
        memoryBytes: r.memoryBytes + LEAK_BYTES_PER_HOUR * (1 + 0.1 * i) * (t / 60),
      }));
      return leaking;
    }
    // OOM kills in a loop: each replica is down 6 minutes in 10, and comes back with fresh memory.
    const outage = slowEmbed(state, LATENCY_GROWTH);
    return mapReplicas(
      {
        ...outage,
        errorShare: 0.6,
        errorStatus: "503",
        errorType: "unavailable",
        stages: { ...outage.stages, [stage]: { ...outage.stages[stage], errorShare: 0.6 } },
      },
      (r, i) => ((t + 3 * i) % 10 < 6 ? { ...r, up: 0 } : { ...r, memoryBytes: healthyMemoryBytes }),
    );
  };
}

function leakAlerts(rag: ServiceModel): ExpectedAlert[] {
  return [
    {
      alert: causeAlert("memoryGrowth"),
      severity: "ticket",
      firingBy: hours(12),
      notBefore: 60,
      why: "each replica holds over 1.1x what it held at the same time yesterday about 2 hours into the leak (the cause, ticketed in office hours)",
    },
    {
      alert: latencyRegressionAlert(rag),
      severity: "ticket",
      firingBy: hours(12),
      notBefore: hours(2),
      why: "the embed stage's P95 passes 1.5x the same hour yesterday about 7 hours in, and holds for the ticket's hour",
    },
    {
      alert: forecastAlert(rag, "embed-latency"),
      severity: "ticket",
      firingBy: hours(22),
      notBefore: hours(6),
      why: "the share of slow embeddings grows day over day: at its trend it passes the SLO's 1% within 5 days, hours before any page",
    },
    {
      alert: sloAlert(rag, "embed-latency", "burnSlow"),
      severity: "ticket",
      firingBy: hours(30),
      notBefore: hours(12),
      why:
        "the embed-latency SLO's long windows pass their factor about a day into the leak, once most embeddings take over 640 ms; " +
        "the latency grows geometrically, so they lag the fast page instead of preceding it",
    },
    {
      alert: sloAlert(rag, "embed-latency", "burnFast"),
      severity: "page",
      firingBy: hours(30),
      notBefore: hours(12),
      why: "once most embeddings take over 640 ms (about 20 hours in) the embed-latency SLO burns fast: a page, two days before the outage",
    },
    {
      alert: sloAlert(rag, "query-latency", "burnFast"),
      severity: "page",
      firingBy: LEAK_MINUTES - 1,
      why: "the slow stage pushes answers past 3 s",
    },
    { alert: sloAlert(rag, "query-latency", "burnSlow"), severity: "ticket", firingBy: LEAK_MINUTES - 1, why: "the same burn, seen over the long windows" },
    { alert: sloAlert(rag, "good-answers", "burnFast"), severity: "page", firingBy: LEAK_MINUTES - 1, why: "slow answers are not good answers" },
    { alert: sloAlert(rag, "good-answers", "burnSlow"), severity: "ticket", firingBy: LEAK_MINUTES - 1, why: "the same burn, seen over the long windows" },
    {
      alert: sloAlert(rag, "availability", "burnFast"),
      severity: "page",
      firingBy: LEAK_MINUTES + 10,
      notBefore: LEAK_MINUTES,
      why: "the crash loop fails most requests: the availability SLO pages within minutes",
    },
  ];
}
