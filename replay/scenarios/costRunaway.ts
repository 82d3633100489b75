/**
 * Cost runaway on the RAG assistant, at 10:00 on a weekday. A release turns the self-hosted
 * reranker's batch size down to 1: each GPU now works on one request at a time, queues grow, and
 * the autoscaler doubles the replicas, which then sit at 25% GPU utilisation. The same release
 * enables a second, parallel generation call per request ("best of two"): LLM spend per hour
 * doubles, past the hourly budget. Latency, errors and quality do not change.
 *
 * What the stack must do: ticket the spend and the idle GPUs (causes that cost money, not
 * symptoms), and page nobody. Both tickets compare with yesterday or the last hour, so the replay
 * starts with a day and ten hours of healthy traffic.
 */
import type { ServiceModel } from "../../service/model";
import { SIGNAL_ALERT } from "../../alerts/signalNames";
import { signalAlert } from "../alertNames";
import { MINUTES_PER_DAY } from "../healthy";
import type { Scenario } from "../scenario";
import type { MinuteState } from "../traffic";

/** 10:00 on the second day. */
export const RUNAWAY_LEAD_IN = MINUTES_PER_DAY + 10 * 60;

/** Replicas double with GPUs 25% busy, and every request calls `generation` twice (shared with replay/simulate's spend family). */
export function runawayIncident(generation: string): (state: MinuteState, t: number) => MinuteState {
  return (state, t) => {
    const noise = (i: number) => Math.sin(t * 0.37 + i) * 2;
    const doubled = [...state.replicas, ...state.replicas.map((r, i) => ({ ...r, instance: `replica-${state.replicas.length + i}` }))];
    return {
      ...state,
      models: { ...state.models, [generation]: { ...state.models[generation], callsPerRequest: 2 } },
      replicas: doubled.map((r, i) => ({ ...r, gpuUtilPercent: 25 + noise(i), queueDepth: t < 10 ? 6 : 1 })),
    };
  };
}

export function costRunaway(rag: ServiceModel): Scenario {
  const generation = rag.models.find((x) => x.outputPricePer1kTokens > 0);
  if (!generation) throw new Error(`${rag.name} declares no priced generation model`);
  const incident = runawayIncident(generation.name);
  return {
    id: "cost-runaway",
    title: "Replicas double to GPUs 25% busy at batch size 1, and a second generation call per request doubles spend per hour",
    service: rag,
    leadInMinutes: RUNAWAY_LEAD_IN,
    incidentMinutes: 180,
    incident,
    evaluationInterval: "5m",
    fires: [
      {
        alert: signalAlert(rag, SIGNAL_ALERT.spendOverBudget),
        severity: "ticket",
        firingBy: 120,
        why: `spend averaged over the last hour passes the ${rag.cost.hourlyBudgetUsd} USD budget, then holds for 15 minutes`,
      },
      {
        alert: signalAlert(rag, SIGNAL_ALERT.gpuWaste),
        severity: "ticket",
        firingBy: 120,
        why: "mean GPU utilisation is under 30% while there are more replicas than yesterday, for an hour",
      },
    ],
    mayFire: [],
    target: { ticketWithinMinutes: 180, text: "opens a ticket (within the 3 h replayed)" },
  };
}
