/**
 * Playbooks of the serving tickets (alerts/signalNames.ts SERVING_ALERT): queue time, inter-token
 * latency and cancellations over the limits the `serving` section declares.
 */
import { num } from "../alerts/promql";
import { SERVING_ALERT, SERVING_PANEL } from "../alerts/servingAgentNames";
import { isLlmKind } from "../alerts/signals/requests";
import { PANEL } from "../service/links";
import type { ServiceModel } from "../service/model";
import { saved } from "./logQueries";
import type { PanelRef, Playbook } from "./playbook";

export type ServingAlertKind = keyof typeof SERVING_ALERT;

const op = (key: string): PanelRef => ({ dashboard: "operational", key });

function queueTime(model: ServiceModel): Playbook {
  return {
    impact: `Users wait before any work starts: more than 5 % of requests queued longer than ${num(model.serving?.maxQueueSeconds ?? 0)} s for a worker over the last hour.`,
    checks: [
      { look: "How long requests queue, and since when.", panels: [op(SERVING_PANEL.queueTime)] },
      { look: "Whether traffic grew or capacity shrank: requests against replicas up and queue depth per replica.", panels: [op(PANEL.requests), op(PANEL.replicas), op(PANEL.queue)] },
      { look: "Whether each request got slower (then queues follow): the work's own latency per release.", panels: [op(PANEL.endToEndLatency)], logs: saved("release-before-after") },
    ],
    likely: ["serving", "product integration", "model behaviour"],
    rollback: ["Scale out workers or raise concurrency per worker.", "Shed or rate-limit the caller whose traffic grew; roll back a release that made each request slower."],
    prevent: ["Add a capacity test to the release pipeline: peak traffic on the planned replicas keeps queue-time P95 under the limit."],
  };
}

function interToken(model: ServiceModel): Playbook {
  return {
    impact: `Answers stream slowly: more than 5 % of streamed answers took over ${num(model.serving?.maxInterTokenSeconds ?? 0)} s per output token, so users watch them crawl.`,
    checks: [
      { look: "How slow tokens come, and since when.", panels: [op(SERVING_PANEL.interToken)] },
      { look: "Whether the service generates fewer tokens per second overall (saturation) or only each answer is slower (batching, a larger model).", panels: [op(SERVING_PANEL.outputTokens)] },
      { look: "Whether one model or provider is slow: model call latency by model.", panels: [op(PANEL.modelCallLatency)] },
    ],
    likely: ["serving", "model behaviour", "product integration"],
    rollback: ["Lower the batch size or the concurrent sequences per GPU, or scale out.", "Route traffic to another declared model or provider while the slow one recovers."],
    prevent: ["Add an inter-token latency check to the load test of every serving change (batch size, model, quantisation)."],
  };
}

function cancellations(model: ServiceModel): Playbook {
  const work = isLlmKind(model) ? op(SERVING_PANEL.interToken) : op(PANEL.endToEndLatency);
  return {
    impact: `Users give up or are cut off: more than ${num((model.serving?.maxCancelledRatio ?? 0) * 100)} % of requests were cancelled by the client or the server over the last hour.`,
    checks: [
      { look: "How many requests are cancelled, and since when.", panels: [op(SERVING_PANEL.cancellations)] },
      { look: "Whether requests wait too long first (clients time out in the queue).", panels: [op(SERVING_PANEL.queueTime)] },
      { look: "Whether the answers themselves got slower (users give up on slow answers).", panels: [work] },
    ],
    likely: ["serving", "product integration", "model behaviour"],
    rollback: ["Fix the queue or the latency behind the cancellations (scale out, roll back the slow release).", "If a client release cancels early, ask its owner to roll it back."],
    prevent: ["Align client and server timeouts with the latency SLO, and load-test them together."],
  };
}

export function servingPlaybook(model: ServiceModel, alert: ServingAlertKind): Playbook {
  switch (alert) {
    case "queueTime":
      return queueTime(model);
    case "interToken":
      return interToken(model);
    case "cancellations":
      return cancellations(model);
  }
}
