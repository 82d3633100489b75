/**
 * Playbooks of the safety, retrieval and judge-calibration tickets (alerts/signalNames.ts
 * GENAI_SIGNAL_ALERT). They cite only panels that exist whenever the ticket does: the section's
 * own panels on the quality dashboard, and for the judge the score's panel.
 */
import { num } from "../alerts/promql";
import { SIGNAL_PANEL } from "../alerts/signalNames";
import { GENAI_SIGNAL_ALERT, GENAI_SIGNAL_PANEL, SAFETY_RULE } from "../alerts/genAiSignalNames";
import { code } from "../review/markdown";
import { GENAI_PANEL } from "../service/links";
import { LOG_FIELDS } from "../service/logContract";
import type { ServiceModel } from "../service/model";
import { saved } from "./logQueries";
import { judgedCounts, type PanelRef, type Playbook } from "./playbook";

export type GenAiSignalAlertKind = keyof typeof GENAI_SIGNAL_ALERT;

const quality = (key: string): PanelRef => ({ dashboard: "quality", key });
const pct = (ratio: number) => `${num(Number((ratio * 100).toPrecision(6)))}%`;
const P = GENAI_SIGNAL_PANEL;

function injectionsAccepted(model: ServiceModel): Playbook {
  return {
    impact: `Attackers' instructions reach the model: more than ${pct(model.quality.safety?.maxInjectionAcceptedRatio ?? 0)} of the prompt-injection attempts the guardrail detected for a model and prompt version were let through, so data leaks or unwanted tool actions may follow.`,
    checks: [
      { look: "Which model and prompt version lets injections through, and since when.", panels: [quality(P.injectionsAccepted)] },
      {
        look: "How many attempts there are and what the guardrail did with them, this hour and today (detected, then let through): a wave of attempts, or a guardrail switched to log-only. The ticket needs more let through than counting noise explains on one of the two.",
        panels: [quality(GENAI_PANEL.safetyEvents)],
        recorded: judgedCounts(model, SAFETY_RULE.injectionsAccepted, SAFETY_RULE.injectionsDetected),
      },
      { look: "Whether unsafe completions rose with it (injections that worked), per release.", panels: [quality(P.unsafeCompletions)], logs: saved("release-before-after") },
    ],
    likely: ["policy", "model behaviour", "product integration"],
    signs: { policy: `${code(LOG_FIELDS.policyVersion)} changed when it started: the guardrail's threshold or mode moved` },
    rollback: ["Put the guardrail back in blocking mode or to its previous policy version.", "Pin the previous prompt version if the new system prompt is easier to override."],
    prevent: ["Add the accepted attempts to the guardrail's injection test set and gate policy and prompt releases on blocking them."],
  };
}

function unsafeCompletions(model: ServiceModel): Playbook {
  return {
    impact: `Users get harmful or policy-breaking answers: more than ${pct(model.quality.safety?.maxUnsafeRatio ?? 0)} of the completions the safety classifier evaluated for a model and prompt version were flagged unsafe.`,
    checks: [
      { look: "Which model and prompt version produces them, and whether the one before it did.", panels: [quality(P.unsafeCompletions)] },
      { look: "Whether prompt injections got through at the same time (jailbreaks rather than a model change).", panels: [quality(P.injectionsAccepted)] },
      {
        look: "How many completions were evaluated and flagged, this hour and today (evaluated, then flagged): the ticket needs more flagged than counting noise explains on one of the two; a hot hour is a release or an attack, a day's small excess a steady drift.",
        panels: [quality(GENAI_PANEL.safetyEvents)],
        recorded: judgedCounts(model, SAFETY_RULE.unsafeCompletions, SAFETY_RULE.safetyEvaluated),
      },
    ],
    likely: ["model behaviour", "policy", "product integration"],
    rollback: ["Pin the previous model or prompt version.", "Tighten the output filter to block what the classifier flags until the release is fixed."],
    prevent: ["Add the flagged completions to the red-team eval set and gate model and prompt releases on it."],
  };
}

function unwarrantedRefusals(model: ServiceModel): Playbook {
  return {
    impact: `Users are turned away from answers they should get: more than ${pct(model.quality.safety?.maxBadRefusalRatio ?? 0)} of the refusals reviewed for a model and prompt version were judged unwarranted.`,
    checks: [
      { look: "Which model and prompt version over-refuses, against the one before it.", panels: [quality(P.unwarrantedRefusals)] },
      {
        look: "How many refusals were reviewed, this hour and today (reviewed, then unwarranted): the ticket needs more unwarranted ones than counting noise explains on one of the two, so check which.",
        panels: [quality(GENAI_PANEL.safetyEvents)],
        recorded: judgedCounts(model, SAFETY_RULE.unwarrantedRefusals, SAFETY_RULE.refusalsReviewed),
      },
      { look: "Whether a stricter policy followed a rise in unsafe completions (a fix that overshot).", panels: [quality(P.unsafeCompletions)], logs: saved("release-before-after") },
    ],
    likely: ["policy", "model behaviour"],
    rollback: ["Go back to the previous safety policy or system prompt version.", "Pin the previous model version if the refusals came with it."],
    prevent: ["Keep a set of benign requests that look risky and gate safety and prompt releases on answering them."],
  };
}

function retrievalMisses(model: ServiceModel): Playbook {
  return {
    impact: `Answers are built without the passage that holds the answer: more than ${pct(model.quality.retrieval?.maxMissRatio ?? 0)} of evaluated retrievals found no relevant source, so the model guesses or refuses.`,
    checks: [
      { look: "Which index version misses, and whether the previous one did.", panels: [quality(P.retrievalMisses)] },
      { look: "Whether the retrieved chunks' scores dropped with it (a weaker index or embedding model).", panels: [quality(GENAI_PANEL.retrievalScores), quality(P.retrievalScoreDrift)] },
      { look: "Whether answers stopped being supported by their citations as a consequence.", panels: [quality(P.citationSupport)], logs: saved("release-before-after") },
    ],
    likely: ["retrieval", "data", "model behaviour"],
    signs: { retrieval: `${code(LOG_FIELDS.retrievalIndexVersion)} changed when it started, or the corpus lost documents in a re-index` },
    rollback: ["Point the service back at the previous index version.", "If the embedding model changed, re-embed with the previous one or roll the query encoder back with it."],
    prevent: ["Keep a labelled query set with its relevant sources and gate re-indexes on recall over it."],
  };
}

function citationSupport(model: ServiceModel): Playbook {
  return {
    impact: `Users are shown sources that do not say what the answer claims: under ${pct(model.quality.retrieval?.minCitationSupportRatio ?? 0)} of citations of a release were supported by their passage.`,
    checks: [
      { look: "Which model and index version cites badly, against the previous release.", panels: [quality(P.citationSupport)] },
      { look: "Whether retrieval missed relevant sources at the same time (the model cites what it got).", panels: [quality(P.retrievalMisses)] },
      { look: "Whether the retrieved chunks changed (scores per index version).", panels: [quality(GENAI_PANEL.retrievalScores)], logs: saved("release-before-after") },
    ],
    likely: ["model behaviour", "retrieval"],
    rollback: ["Pin the previous model or prompt version if citations broke with it.", "Point back at the previous index version if they broke with a re-index."],
    prevent: ["Add the unsupported citations to a grounding eval and gate releases on citation support."],
  };
}

function retrievalScoreDrift(model: ServiceModel): Playbook {
  const r = model.quality.retrieval;
  return {
    impact: "What retrieval returns no longer looks like before: a new index, embedding model or chunking changes which passages answers are built from; misses and citations may follow.",
    checks: [
      { look: `How far the chunk scores shifted: PSI above ${num(r?.maxChunkScorePsi ?? model.drift.psiThreshold)} for half an hour opened this ticket.`, panels: [quality(P.retrievalScoreDrift)] },
      { look: "Which index version the shift came with, and in which direction (lower scores are weaker matches).", panels: [quality(GENAI_PANEL.retrievalScores)] },
      { look: "Whether retrieval misses rose with it: a shift that misses nothing more may be a harmless re-scaling.", panels: [quality(P.retrievalMisses)] },
    ],
    likely: ["retrieval", "data"],
    rollback: ["Point the service back at the previous index version or embedding model."],
    prevent: ["Compare chunk scores of a replayed query set before switching indexes, and move the baseline only after checking recall."],
  };
}

function judgeDisagrees(model: ServiceModel, score: string): Playbook {
  const judge = model.quality.scores.find((s) => s.name === score)?.judge;
  return {
    impact: `The ${code(score)} scores cannot be trusted: its LLM judge agreed with human labels on fewer than ${pct(judge?.minAgreementRatio ?? 0)} of the labelled samples of the last week, so panels, SLOs and tickets on ${code(score)} may be wrong either way.`,
    checks: [
      { look: "How far agreement fell and since when.", panels: [quality(P.judgeAgreement(score))] },
      { look: "How many samples were labelled: agreement on few labels moves in big steps.", panels: [quality(GENAI_PANEL.judgeLabels)] },
      { look: `Whether the ${code(score)} score itself moved at the same time (the judge changed, not the answers).`, panels: [quality(SIGNAL_PANEL.score(score))] },
    ],
    likely: ["model behaviour", "data"],
    signs: { "model behaviour": "the judge's model or rubric prompt changed when agreement fell, while answers stayed the same" },
    rollback: ["Pin the previous judge model or rubric prompt version."],
    prevent: ["Keep the labelled samples as the judge's regression set and gate judge changes on agreement over it."],
  };
}

/** The playbook of a safety, retrieval or judge ticket; `score` for the per-score judge ticket. */
export function genAiSignalPlaybook(model: ServiceModel, alert: GenAiSignalAlertKind, score?: string): Playbook {
  switch (alert) {
    case "injectionsAccepted":
      return injectionsAccepted(model);
    case "unsafeCompletions":
      return unsafeCompletions(model);
    case "unwarrantedRefusals":
      return unwarrantedRefusals(model);
    case "retrievalMisses":
      return retrievalMisses(model);
    case "citationSupport":
      return citationSupport(model);
    case "retrievalScoreDrift":
      return retrievalScoreDrift(model);
    case "judgeDisagrees":
      return judgeDisagrees(model, score ?? "");
  }
}
