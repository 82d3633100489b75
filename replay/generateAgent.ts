/**
 * The serving and agent series of a minute (replay/generate.ts runs these after its own steps):
 * queue time, time per output token and cancellations for services with a `serving` section;
 * tool calls by tool and outcome, retries, approvals, rollbacks, steps per task and step-cap stops
 * for agents. Names, labels and buckets come from the model's metric contract.
 */
import { isLlmKind } from "../alerts/signals/requests";
import { logNormalMixture } from "./distributions";
import type { Emitter } from "./generate";
import type { MinuteState } from "./traffic";

export function servingSignals({ model, m, book, base, rnd, wanted, histogramWanted, observe }: Emitter, minute: number, state: MinuteState, requests: number): void {
  const s = state.serving;
  if (!s) return;
  if (histogramWanted(m.queueTime.name)) observe(minute, m.queueTime.name, base, m.queueTime.buckets, requests, logNormalMixture(s.queueTime), rnd.serving);
  const h = m.timePerOutputToken;
  // One observation per streamed answer (OTel records the answer's mean time per output token).
  if (isLlmKind(model) && histogramWanted(h.name)) observe(minute, h.name, base, h.buckets, requests, logNormalMixture(s.timePerOutputToken), rnd.serving);
  if (wanted(m.cancelledRequests.name)) book.count(minute, m.cancelledRequests.name, base, rnd.serving.binomial(requests, s.cancelledShare));
}

export function agentTasks({ m, book, base, rnd, wanted, histogramWanted, observe }: Emitter, minute: number, state: MinuteState, tasks: number): void {
  const a = state.agent;
  if (!a) return;
  const L = m.labels;
  const V = m.values;
  const tools = Object.keys(a.toolCallsPerTask);
  const first = { ...base, [L.toolName]: tools[0] };
  const last = { ...base, [L.toolName]: tools[tools.length - 1] };
  if (histogramWanted(m.stepsPerTask.name)) observe(minute, m.stepsPerTask.name, base, m.stepsPerTask.buckets, tasks, logNormalMixture(a.steps), rnd.agent);
  if (wanted(m.stepCapReached.name)) book.count(minute, m.stepCapReached.name, base, rnd.agent.binomial(tasks, a.stepCapShare));
  if (wanted(m.toolCalls.name))
    for (const tool of tools) {
      const calls = minute === 0 ? 0 : rnd.agent.poisson(tasks * a.toolCallsPerTask[tool]);
      const errors = rnd.agent.binomial(calls, a.toolErrorShare);
      const denied = rnd.agent.binomial(calls - errors, a.toolDeniedShare);
      const tl = { ...base, [L.toolName]: tool };
      book.count(minute, m.toolCalls.name, { ...tl, [L.toolOutcome]: "success" }, calls - errors - denied);
      book.count(minute, m.toolCalls.name, { ...tl, [L.toolOutcome]: V.toolError }, errors);
      book.count(minute, m.toolCalls.name, { ...tl, [L.toolOutcome]: "denied" }, denied);
    }
  const events = (perTask: number) => (minute === 0 ? 0 : rnd.agent.poisson(tasks * perTask));
  if (wanted(m.toolRetries.name)) book.count(minute, m.toolRetries.name, first, events(a.retriesPerTask));
  const asked = events(a.approvalsPerTask);
  if (wanted(m.approvalsRequested.name)) book.count(minute, m.approvalsRequested.name, base, asked);
  if (wanted(m.approvalsDenied.name)) book.count(minute, m.approvalsDenied.name, base, rnd.agent.binomial(asked, a.approvalDeniedShare));
  if (wanted(m.rollbacks.name)) book.count(minute, m.rollbacks.name, last, events(a.rollbacksPerTask));
}
