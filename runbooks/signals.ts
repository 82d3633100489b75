/**
 * Playbooks of the signal tickets (alerts/signalNames.ts SIGNAL_ALERT): drift, missing features,
 * answer quality, feedback and cost. They never page; the pages say what users lose if the
 * signal is real.
 */
import { num } from "../alerts/promql";
import { GPU_WASTE_COMPARED_WITH, GPU_WASTE_UTILIZATION, SPEND_JUMP } from "../alerts/signals/cost";
import { featureDistributions } from "../alerts/signals/featureDrift";
import { outputDistributions } from "../alerts/signals/outputDrift";
import { isLlmKind } from "../alerts/signals/requests";
import { QUALITY_RULE, SIGNAL_ALERT, SIGNAL_PANEL, type DistributionLevel } from "../alerts/signalNames";
import { code } from "../review/markdown";
import { PANEL } from "../service/links";
import { LOG_FIELDS } from "../service/logContract";
import type { ServiceModel } from "../service/model";
import { saved, scoreByRelease, tokensByRelease } from "./logQueries";
import { judgedCounts, type PanelRef, type Playbook } from "./playbook";

export type SignalAlertKind = keyof typeof SIGNAL_ALERT;

const drift = (key: string): PanelRef => ({ dashboard: "drift", key });
const quality = (key: string): PanelRef => ({ dashboard: "quality", key });
const op = (key: string): PanelRef => ({ dashboard: "operational", key });
const pct = (ratio: number) => `${num(Number((ratio * 100).toPrecision(6)))}%`;

function distributionDrift(model: ServiceModel, level: DistributionLevel): Playbook {
  // A distribution with its own ticket (the retrieved-chunk score) has its own playbook.
  const ds = (level === "feature" ? featureDistributions(model) : outputDistributions(model)).filter((d) => !d.ownTicket);
  const what = level === "feature" ? "input feature" : "model output";
  return {
    impact:
      level === "feature"
        ? "Inputs no longer look like the baseline: the model meets data it was not trained or tuned on, and its answers can get worse without any error."
        : "What the model returns (or is asked) no longer looks like before: new kinds of requests, a changed prompt or an upstream model update; quality may follow.",
    checks: [
      { look: `Which ${what} shifted and how far: PSI above ${num(model.drift.psiThreshold)} for half an hour opened this ticket.`, panels: [drift(level === "feature" ? SIGNAL_PANEL.featurePsi : SIGNAL_PANEL.outputPsi)] },
      { look: "Which bins moved: share per bin now against the baseline, one panel per distribution.", panels: ds.map((d) => drift(PANEL.distribution(d.level, d.name))) },
      level === "feature"
        ? { look: "Whether features also go missing or fall back to defaults: a broken producer looks like drift too.", panels: [drift(SIGNAL_PANEL.missingFeatures), drift(PANEL.defaultedFeatures)] }
        : { look: "Whether outputs changed with a release: output tokens and latency per model and prompt version, hour by hour.", panels: [drift(SIGNAL_PANEL.outputPsi)], logs: saved("release-before-after") },
    ],
    likely: level === "feature" ? ["data", "product integration", "model behaviour"] : ["model behaviour", "product integration", "data"],
    rollback: [
      "If the shift began with our release (a new input schema or feature code), roll that release back.",
      "If it began upstream (a producer, a caller), ask its owner to roll back; real-world shifts have no rollback: keep watching quality and plan retraining.",
    ],
    prevent: [`Add the shifted slice to the evaluation set and check the model on it before the next release; if the shift is here to stay, move the baseline${level === "feature" ? " (`baselineFractions`)" : ""} after retraining.`],
  };
}

function featureMissing(model: ServiceModel): Playbook {
  return {
    impact: `The model scores requests from defaults: a declared feature is missing in more than ${pct(model.drift.maxMissingFeatureRatio)} of requests. Answers go on, quietly worse.`,
    checks: [
      { look: "Which feature is missing, since when, and in what share of requests.", panels: [drift(SIGNAL_PANEL.missingFeatures)] },
      { look: "Whether features fall back to defaults or requests break the input schema at the same time: a changed producer usually does both.", panels: [drift(PANEL.defaultedFeatures), drift(PANEL.schemaViolations)] },
      { look: "Whether the feature's distribution shifted with it: defaults pile up in one bin, and requests still carrying the feature may be a biased slice.", panels: [drift(SIGNAL_PANEL.featurePsi)] },
    ],
    likely: ["data", "product integration"],
    rollback: ["Roll back the release of the service or of the feature's producer that stopped sending it.", "Until then, route the affected requests to a fallback (rules, the previous model) if the product allows it."],
    prevent: ["Add a contract test between the producer and the service: every declared feature present and in range on a replayed sample."],
  };
}

function scoreBelowTarget(model: ServiceModel, score: string): Playbook {
  const s = model.quality.scores.find((x) => x.name === score);
  const target = s ? ` (target ${pct(s.target)} above ${num(s.threshold)})` : "";
  return {
    impact: `Users get worse answers: fewer ${isLlmKind(model) ? "answers" : "predictions"} of a model version score well on ${code(score)}${target}.`,
    checks: [
      { look: "Which model version falls short, and whether the one before it held.", panels: [quality(SIGNAL_PANEL.score(score))] },
      { look: "Whether the whole distribution moved or only its low tail.", panels: [quality(PANEL.scoreDistribution(score))] },
      { look: "The score per model and prompt version as the online evaluator logged it.", panels: [quality(SIGNAL_PANEL.score(score))], logs: scoreByRelease(model, score) },
    ],
    likely: ["model behaviour", "retrieval", "data", "policy"],
    rollback: ["Send the canary share back to 0, or pin the version whose score held.", "If only the retrieval index, the policy or the input schema changed, go back to its previous version."],
    prevent: [`Add the low-scoring ${isLlmKind(model) ? "answers" : "predictions"} to the offline regression eval set for ${code(score)} and block a release that falls under the target on it.`],
  };
}

function hallucinations(model: ServiceModel): Playbook {
  return {
    impact: `Users get made-up answers: more than ${pct(model.quality.maxHallucinationRatio)} of evaluated answers of a model version were judged hallucinated.`,
    checks: [
      { look: "Which model version hallucinates, and whether the one before it did.", panels: [quality(SIGNAL_PANEL.hallucinations)] },
      { look: "Whether refusals moved the other way (a policy or prompt change trading refusals for guesses).", panels: [quality(PANEL.refusals)] },
      { look: "Whether answers got longer or prompts shorter with a release (less context, more invention).", panels: [quality(SIGNAL_PANEL.hallucinations)], logs: tokensByRelease() },
    ],
    likely: ["retrieval", "model behaviour", "policy"],
    signs: { retrieval: `answers stopped citing retrieved passages, or \`${LOG_FIELDS.retrievalIndexVersion}\` changed: the model fills gaps the index left` },
    rollback: ["Pin the previous prompt or model version.", "If the retrieval index changed, point back at the previous one."],
    prevent: ["Add the hallucinated answers to a grounding eval (answer supported by the retrieved passages) and gate releases on it; add a guardrail that refuses when retrieval returns nothing relevant."],
  };
}

function negativeFeedback(model: ServiceModel): Playbook {
  return {
    impact: `Users say the answers are bad: more than ${pct(model.quality.maxNegativeFeedbackRatio)} of feedback on a model version was negative over the last hour.`,
    checks: [
      { look: "Which model version gets the negative feedback, against the one before it.", panels: [quality(SIGNAL_PANEL.feedback)] },
      {
        look: "How much feedback there is, this hour and today (all feedback, then negative): the ticket needs more negative feedback than counting noise explains on one of the two, so a few angry users do not open it alone.",
        panels: [quality(PANEL.feedbackEvents)],
        recorded: judgedCounts(model, QUALITY_RULE.negativeFeedback, QUALITY_RULE.feedback),
      },
      { look: "Whether latency or answer length per release changed with it (users rate slow or rambling answers down).", panels: [op(PANEL.endToEndLatency)], logs: saved("release-before-after") },
    ],
    likely: ["model behaviour", "serving", "product integration"],
    rollback: ["Pin the previous model or prompt version if the feedback turned with it."],
    prevent: ["Read the negative feedback, turn the recurring failures into eval cases, and gate releases on them."],
  };
}

function spendOverBudget(model: ServiceModel): Playbook {
  const llm = isLlmKind(model);
  return {
    impact: `No user impact, a cost one: spend on priced models averaged more than ${num(model.cost.hourlyBudgetUsd ?? 0)} USD per hour over a day within the last week, or passed it within the last hour at ${num(SPEND_JUMP)}x the same hour yesterday and last week (a runaway).`,
    checks: [
      { look: "Which model spends, and since when.", panels: [quality(SIGNAL_PANEL.spend)] },
      { look: "Whether requests got more expensive (tokens per request) or more numerous.", panels: llm ? [quality(PANEL.tokensPerRequest)] : [op(PANEL.requests)] },
      { look: "Which model and prompt version brought the extra tokens: a prompt, retry or agent-loop change is the usual cause.", panels: [quality(SIGNAL_PANEL.spend)], logs: tokensByRelease() },
    ],
    likely: ["model behaviour", "tool action", "product integration"],
    rollback: ["Pin the previous prompt version, or cap output tokens and retries per request.", "Route the expensive traffic to the cheaper declared model if quality allows."],
    prevent: ["Add a cost check to the release pipeline: tokens per request on a replayed sample within 20 % of the previous release."],
  };
}

function gpuWaste(): Playbook {
  return {
    impact: `No user impact, a cost one: GPUs are under ${num(GPU_WASTE_UTILIZATION * 100)} % busy while the service runs more replicas than ${GPU_WASTE_COMPARED_WITH} ago.`,
    checks: [
      { look: "GPU utilisation against replicas: replicas up with utilisation down is autoscaling overshoot.", panels: [quality(SIGNAL_PANEL.gpu)] },
      { look: "When replicas grew and whether they came back down.", panels: [op(PANEL.replicas)] },
      { look: "Whether traffic grew with them (then the replicas are needed, and the GPUs are too large).", panels: [op(PANEL.requests)] },
    ],
    likely: ["serving"],
    rollback: ["Lower the autoscaler's minimum replicas or raise its target utilisation back to what it was."],
    prevent: ["Review autoscaler changes with a replay of a day of traffic: replicas and utilisation before and after."],
  };
}

/** The playbook of a signal ticket; `score` for the per-score ticket. */
export function signalPlaybook(model: ServiceModel, alert: SignalAlertKind, score?: string): Playbook {
  switch (alert) {
    case "featureDrift":
      return distributionDrift(model, "feature");
    case "outputDrift":
      return distributionDrift(model, "output");
    case "featureMissing":
      return featureMissing(model);
    case "scoreBelowTarget":
      return scoreBelowTarget(model, score ?? "");
    case "hallucinations":
      return hallucinations(model);
    case "negativeFeedback":
      return negativeFeedback(model);
    case "spendOverBudget":
      return spendOverBudget(model);
    case "gpuWaste":
      return gpuWaste();
  }
}

