/**
 * Playbooks of the three alerts every SLO has (alerts/sloRules.ts SLO_ALERT): the fast burn that
 * pages, the slow burn that tickets, and the ticket when the SLI has no data. The first check of a
 * burn is always the SLO's burn-rate panel (the one the alert links); the others depend on what
 * the SLI measures.
 */
import { EARLY_WARNING } from "../alerts/earlyWarning";
import { num } from "../alerts/promql";
import { sliTotalSeries } from "../alerts/sli";
import { SIGNAL_PANEL } from "../alerts/signalNames";
import type { SLO_ALERT } from "../alerts/sloRules";
import { code } from "../review/markdown";
import { PANEL, sloDashboard, sloPanelKey } from "../service/links";
import type { ServiceModel, SloModel } from "../service/model";
import { saved, recordsArriving, scoreByRelease } from "./logQueries";
import type { Check, PanelRef, Playbook } from "./playbook";

export type SloAlertKind = keyof typeof SLO_ALERT;

const op = (key: string): PanelRef => ({ dashboard: "operational", key });
const pct = (ratio: number) => `${num(Number((ratio * 100).toPrecision(6)))}%`;

/** What the SLI counts, in words: `requests`, or `` `embed` calls ``. */
const subject = (stage: string | undefined) => (stage ? `${code(stage)} calls` : "requests");

function burnCheck(slo: SloModel): Check {
  return {
    look: "The burn rate over each alert window against the lines that page and ticket: every window above its line means it still burns; a short window back under it means it has stopped and the long one is catching up.",
    panels: [{ dashboard: sloDashboard(slo), key: sloPanelKey(slo) }],
  };
}

/** The part of a burn playbook that depends on the SLI. */
type SliPart = Omit<Playbook, "checks"> & { readonly checks: readonly [Check, Check] };

function availability(model: ServiceModel, slo: SloModel, stage: string | undefined): SliPart {
  const where = stage || model.stages.length > 0 ? op(PANEL.stageErrors) : op(PANEL.errorsByType);
  return {
    impact: `Users get errors: more than ${pct(1 - slo.objective)} of ${subject(stage)} fail.`,
    checks: [
      { look: "Where the errors come from: the stage and the error type that rose with the burn.", panels: [where] },
      { look: "Whether one model or prompt version holds the errors: a version that errs is the first thing to roll back.", panels: [op(PANEL.errorsByType)], logs: saved("errors-by-release") },
    ],
    likely: ["serving", "model behaviour", "product integration"],
    rollback: [
      "Pin the previous model or prompt version if the errors-by-release query names one; the rest of the service stays as it is.",
      "If a dependency fails (the model provider, the vector store), switch to its fallback or shed load instead of rolling back code.",
      "Roll back the whole deploy only when the errors started with it and no single version explains them.",
    ],
    prevent: [
      `Add the failing requests (the saved query "Errors by request and trace" finds them) to the release smoke test, and gate releases on the ${subject(stage)} error ratio of a canary.`,
    ],
  };
}

function latency(model: ServiceModel, slo: SloModel, sli: { thresholdSeconds: number; stage?: string }): SliPart {
  const where = sli.stage ? op(PANEL.stageLatencyOf(sli.stage)) : model.stages.length > 0 ? op(PANEL.stageLatency) : op(PANEL.endToEndLatency);
  return {
    impact: `Users wait: more than ${pct(1 - slo.objective)} of ${subject(sli.stage)} take longer than ${num(sli.thresholdSeconds)} s.`,
    checks: [
      { look: "Which part got slower: P95 per stage against its target (or end to end when the service declares no stages).", panels: [where] },
      {
        look: "Whether it started with a release (P95 and output tokens per model and prompt version, hour by hour) or with load (queue depth and replicas).",
        panels: [op(PANEL.queue), op(PANEL.replicas)],
        logs: saved("release-before-after"),
      },
    ],
    likely: ["serving", "retrieval", "model behaviour", "tool action", "product integration"],
    rollback: [
      "If queues are deep or replicas at their limit, scale out or shed load first: the narrowest change, and it buys time.",
      "Pin the previous model or prompt version if the hourly comparison shows the slowdown starting with it (a longer prompt or a larger output limit slows every answer).",
      "For a slow dependency, switch the stage to its faster fallback (a smaller model, a lower retrieval top-k).",
    ],
    prevent: [
      `Add a latency regression test to the release pipeline: P95 of a replayed sample of ${subject(sli.stage)} under ${num(sli.thresholdSeconds)} s.`,
      "Cap output tokens and retries per request, so one release cannot multiply latency.",
    ],
  };
}

function quality(slo: SloModel, model: ServiceModel, sli: { score: string; threshold: number }): SliPart {
  return {
    impact: `Users get worse answers: more than ${pct(1 - slo.objective)} of evaluated answers score ${num(sli.threshold)} or less on ${code(sli.score)}.`,
    checks: [
      { look: "Which model version scores worse, and since when.", panels: [{ dashboard: "quality", key: SIGNAL_PANEL.score(sli.score) }] },
      {
        look: "The score per model and prompt version as the online evaluator logged it: a version whose average fell is the suspect.",
        panels: [{ dashboard: "quality", key: PANEL.scoreDistribution(sli.score) }],
        logs: scoreByRelease(model, sli.score),
      },
    ],
    likely: ["model behaviour", "retrieval", "data", "policy"],
    rollback: [
      "Send the canary share back to 0, or pin the previous model or prompt version (the one whose score held) for all traffic.",
      "If only the retrieval index or the input schema changed, point the service back at the previous version of it.",
    ],
    prevent: [
      `Add the low-scoring answers to the offline regression eval set for ${code(sli.score)}, and block a release that scores ${num(sli.threshold)} or less on more than ${pct(1 - slo.objective)} of it.`,
    ],
  };
}

function custom(slo: SloModel, sli: { goodMetric: string; totalMetric: string }): SliPart {
  return {
    impact: `Users get fewer of the outcomes this SLO counts: ${code(sli.goodMetric)} fell under ${pct(slo.objective)} of ${code(sli.totalMetric)}.`,
    checks: [
      { look: "Whether the traffic itself changed (volume, status codes): rule out a shift in load before reading the ratio.", panels: [op(PANEL.requests)] },
      { look: "Whether latency or output size per release moved with it (both counters usually depend on them).", panels: [op(PANEL.endToEndLatency)], logs: saved("release-before-after") },
    ],
    likely: ["model behaviour", "serving", "product integration"],
    rollback: [
      "Pin the previous model or prompt version if the hourly comparison shows the drop starting with it.",
      "Roll back the whole deploy when the drop started with it and no single version explains it.",
    ],
    prevent: [`Add a release check on ${code(sli.goodMetric)} over ${code(sli.totalMetric)} in a canary, with the objective as its floor.`],
  };
}

function sliPart(model: ServiceModel, slo: SloModel): SliPart {
  const sli = slo.sli;
  switch (sli.kind) {
    case "availability":
      return availability(model, slo, sli.stage);
    case "latency":
      return latency(model, slo, sli);
    case "quality":
      return quality(slo, model, sli);
    case "custom":
      return custom(slo, sli);
  }
}

/** The fast or slow burn of an SLO. */
function burnPlaybook(model: ServiceModel, slo: SloModel, fast: boolean): Playbook {
  const part = sliPart(model, slo);
  const pace = fast
    ? `At this pace the ${slo.periodDays}-day error budget is gone within days: users feel it now.`
    : `The budget drains steadily: not yet urgent, but it runs out before the ${slo.periodDays}-day period ends and then it pages.`;
  return { ...part, impact: `${part.impact} ${pace}`, checks: [burnCheck(slo), ...part.checks] };
}

/** The panel that shows whether the SLI's events still arrive. */
function trafficPanel(slo: SloModel): PanelRef {
  const sli = slo.sli;
  if (sli.kind === "quality") return { dashboard: "quality", key: SIGNAL_PANEL.score(sli.score) };
  return op((sli.kind === "availability" || sli.kind === "latency") && sli.stage ? PANEL.stageCalls : PANEL.requests);
}

function absentPlaybook(model: ServiceModel, slo: SloModel): Playbook {
  return {
    impact: `Nothing measures the ${code(slo.name)} SLO: the series behind it has had no samples for 15 minutes. Users may be fine or not, and its burn alerts cannot fire until data returns.`,
    checks: [
      { look: "Whether the service still serves: no traffic at all means it is down or unreachable; traffic means only the SLI's series is missing.", panels: [trafficPanel(slo)] },
      { look: "Whether the service's targets are up and scraped: no replicas up means the scrape or the remote write is broken, not necessarily the service.", panels: [op(PANEL.replicas)] },
      { look: "Whether the service still logs: records arriving while metrics are gone point at the collector's metrics pipeline or at a renamed metric.", panels: [op(PANEL.requests)], logs: recordsArriving() },
    ],
    likely: ["serving", "product integration"],
    signs: {
      serving: "the service or its collector is down: no traffic, no replicas up, no records",
      "product integration": "a release renamed or dropped the metric, or a label the SLI selects by: traffic and records arrive, the series does not",
    },
    rollback: [
      "If a release renamed or dropped the metric or one of its labels, roll that release back, or declare the new names under `metrics:` in the service description and redeploy.",
      "If the collector stopped sending, restore its previous configuration and restart it.",
    ],
    prevent: [`Add a contract test to the service's CI: its metrics endpoint exposes ${code(sliTotalSeries(model, slo))}, the series this SLI reads.`],
  };
}

/** The playbook of one of an SLO's alerts. */
export function sloPlaybook(model: ServiceModel, slo: SloModel, alert: SloAlertKind): Playbook {
  return alert === "absent" ? absentPlaybook(model, slo) : burnPlaybook(model, slo, alert === "burnFast");
}

/** The budget forecast (alerts/earlyWarning.ts): the SLO still holds, but not for long at this pace or trend. */
export function forecastPlaybook(model: ServiceModel, slo: SloModel): Playbook {
  const part = sliPart(model, slo);
  return {
    ...part,
    impact:
      `No page yet: the ${code(slo.name)} SLO still holds, but at the burn of the last day its budget runs out within ${EARLY_WARNING.forecastDays} days, or on its trend against the same half-hours one or two days earlier its error ratio passes the objective within ${EARLY_WARNING.trendHorizonDays} days, ` +
      `or its last day's errors (blips cut) are well over the day before's and, growing as fast, pass the objective within ${EARLY_WARNING.trendHorizonDays} days. ` +
      `When it does: ${part.impact}`,
    checks: [burnCheck(slo), ...part.checks],
  };
}
