/**
 * Playbooks of the cause tickets (alerts/causeAlerts.ts CAUSE_ALERT): memory growth, GPU
 * saturation, GPU memory pressure, cache-hit collapse. Causes do not hurt users yet; the pages
 * say what they turn into if left alone.
 */
import { CAUSE_ALERT, CAUSE_LIMITS } from "../alerts/causeAlerts";
import { EARLY_WARNING } from "../alerts/earlyWarning";
import { num } from "../alerts/promql";
import { isLlmKind } from "../alerts/signals/requests";
import { CAUSE_PANEL, PANEL } from "../service/links";
import type { ServiceModel } from "../service/model";
import { saved } from "./logQueries";
import type { PanelRef, Playbook } from "./playbook";

export type CauseAlertKind = keyof typeof CAUSE_ALERT;

const op = (key: string): PanelRef => ({ dashboard: "operational", key });
const L = CAUSE_LIMITS;

function memoryGrowth(): Playbook {
  return {
    impact: `No user impact yet: a replica's memory keeps growing (over ${num(L.memoryGrowthRatio)}x what it held a day earlier, or by its own size per day, or on course for its limit). Left alone, it slows down and is killed out of memory, failing the requests in flight; restarts after deploys can hide the leak until a quiet week.`,
    checks: [
      { look: "Which replicas grow and how fast: one replica points at a leak in a code path only some traffic takes; all of them at a release.", panels: [op(PANEL.memory)] },
      { look: "Whether replicas restart: a saw-tooth of replicas up means they are already being killed.", panels: [op(PANEL.replicas)] },
      { look: "Whether the growth started with a release (model or prompt version by hour).", panels: [op(CAUSE_PANEL.saturation)], logs: saved("release-before-after") },
    ],
    likely: ["serving", "model behaviour"],
    signs: { serving: "memory grows on every replica at the same pace from a deploy on: a leak in the serving code or a cache without a bound" },
    rollback: [
      "Restart the growing replicas one at a time to buy days; it fixes nothing but stops the slide.",
      "Roll back the release after which the growth began.",
    ],
    prevent: ["Add a soak test to the release pipeline: memory after an hour of replayed traffic stays within 10 % of its level after warm-up."],
  };
}

function gpuSaturated(model: ServiceModel): Playbook {
  const work = isLlmKind(model) ? op(PANEL.modelCallLatency) : op(PANEL.endToEndLatency);
  return {
    impact: `No user impact yet: GPUs are busier than ${L.gpuSaturationPercent} % for 30 minutes. Requests start to queue, and latency SLOs burn next.`,
    checks: [
      { look: "Whether every GPU is busy or a few: a few means uneven load balancing, all means too little capacity.", panels: [op(PANEL.gpuUtilization)] },
      { look: "Whether requests queue already: queue depth rising with utilisation means users wait.", panels: [op(PANEL.queue)] },
      { look: "Whether compute per request grew with a release (longer outputs, a larger model).", panels: [work], logs: saved("release-before-after") },
    ],
    likely: ["serving", "model behaviour", "product integration"],
    rollback: [
      "Scale out GPU replicas: the narrowest fix when traffic grew.",
      "Roll back a release that raised compute per request (a larger model, a longer context or output limit).",
    ],
    prevent: ["Add a capacity test to the release pipeline: peak traffic on the planned replicas keeps GPU utilisation under 80 %."],
  };
}

function gpuMemory(): Playbook {
  return {
    impact: `No user impact yet: a GPU's memory is over ${num(L.gpuMemoryRatio * 100)} % full. The next large batch or long context fails with out-of-memory errors.`,
    checks: [
      { look: "Which GPUs are full and whether it creeps up (a leak) or jumps (a larger model or batch).", panels: [op(PANEL.gpuMemory)] },
      { look: "Whether out-of-memory errors already reach users.", panels: [op(PANEL.errorsByType)], logs: saved("errors-by-request") },
      { look: "Whether it started with a release (model, prompt or batch settings).", panels: [op(CAUSE_PANEL.saturation)], logs: saved("release-before-after") },
    ],
    likely: ["serving", "model behaviour"],
    rollback: [
      "Lower the maximum batch size or context length on the affected replicas.",
      "Roll back a release that loaded a larger model or raised the limits.",
    ],
    prevent: ["Add a load test at the maximum context length and batch size to the release pipeline; it must finish without out-of-memory errors."],
  };
}

function cacheCollapse(model: ServiceModel): Playbook {
  const stages = model.stages.length > 0 ? [op(PANEL.stageLatency)] : [op(PANEL.endToEndLatency)];
  return {
    impact: `No user impact yet, or slower answers: the cache-hit ratio fell under ${num(L.cacheCollapseRatio * 100)} % of its level ${L.cacheComparedWith} earlier, so every miss takes the slow path (retrieval, the model) and costs more.`,
    checks: [
      { look: "The hit ratio now against a day ago: a cliff at one moment is a deploy or a flush, a slope is changed traffic.", panels: [op(CAUSE_PANEL.cache)] },
      { look: "Whether lookups fell or misses rose: fewer lookups means the cache is bypassed, more misses that keys changed.", panels: [op(PANEL.cacheLookups)] },
      { look: "What the misses cost: latency of the stages behind the cache.", panels: stages },
    ],
    likely: ["serving", "model behaviour", "product integration"],
    signs: {
      "model behaviour": "a new model or prompt version is part of the cache key, so every entry missed from the deploy on",
      "product integration": "callers send requests that never repeat (a new client, a changed request format)",
    },
    rollback: ["Roll back the release that changed the cache keys, or warm the cache from the previous keys.", "Restore the cache's size or eviction settings if they changed."],
    prevent: ["Add a test that cache keys of a replayed sample stay the same across releases unless a change says so."],
  };
}

/** The latency regression ticket (alerts/earlyWarning.ts): P95 creeping up against yesterday or last week. */
export function latencyRegressionPlaybook(model: ServiceModel): Playbook {
  const E = EARLY_WARNING;
  const where = model.stages.length > 0 ? [op(PANEL.stageLatency), op(CAUSE_PANEL.latency)] : [op(CAUSE_PANEL.latency)];
  const calls = isLlmKind(model) ? op(PANEL.modelCallLatency) : op(PANEL.requests);
  return {
    impact: `No SLO burns yet, or barely: P95, P99 or mean latency of requests or of one stage (the ticket's \`stage\` label) is over ${num(E.latencyDayRatio)}x the same hour yesterday or ${num(E.latencyWeekRatio)}x the same hour last week, over the hour and over the last half-hour, for an hour. Latency that creeps for days ends in a page and then an outage; today it is a ticket.`,
    checks: [
      { look: "Which part got slower, and since when: P95 and P99 per stage (or end to end) against yesterday's and last week's curve. Only the P99 up: a few requests got much slower (one shard, one dependency, one kind of input).", panels: where },
      { look: "Whether memory or saturation grows with it: a leak slows requests for days before the replicas crash.", panels: [op(PANEL.memory), op(CAUSE_PANEL.saturation)] },
      { look: "Whether it started with a release (model, prompt or index version), a dependency or a change in traffic.", panels: [calls], logs: saved("release-before-after") },
    ],
    likely: ["serving", "retrieval", "model behaviour"],
    signs: {
      serving: "memory grows on the slow stage's replicas, or the slowdown started with a deploy of the serving code",
      retrieval: "the retrieval stage slowed as the index or corpus grew: compare index versions by hour",
    },
    rollback: [
      "Restart the slow stage's replicas if memory grows with the latency: it buys days.",
      "Roll back the release after which the slowdown began.",
      "Scale out the slow stage if traffic grew and nothing else changed.",
    ],
    prevent: ["Add a latency regression gate to the release pipeline: P95 per stage on replayed traffic within 10% of the previous release."],
  };
}

/** The playbook of a cause ticket. */
export function causePlaybook(model: ServiceModel, alert: CauseAlertKind): Playbook {
  switch (alert) {
    case "memoryGrowth":
      return memoryGrowth();
    case "gpuSaturated":
      return gpuSaturated(model);
    case "gpuMemory":
      return gpuMemory();
    case "cacheCollapse":
      return cacheCollapse(model);
  }
}
