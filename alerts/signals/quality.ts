/**
 * Answer-quality signals per model version, so a release can be compared with the one before it
 * on the same panel: the share of evaluated answers above each declared score threshold, and for
 * LLM services the hallucination, refusal and negative-feedback rates.
 *
 * Denominators:
 *  - scores: answers evaluated on that score (its histogram's `_count`);
 *  - hallucinations and refusals: answers evaluated on the first declared score. Online
 *    evaluation usually judges a sample of answers, and the hallucination and refusal judges run
 *    in the same pipeline; dividing by all requests would understate both rates by the sampling
 *    factor, and request counters carry no model version to compare releases by;
 *  - negative feedback: all feedback events (the thumbs-down share), since users rate few answers.
 *
 * A score's good side: above its threshold. Histograms count `le` (at or below), so an answer
 * scoring exactly the threshold counts as bad, as in the quality SLO (alerts/sli.ts).
 */
import { leMatcher } from "../../service/metricContract";
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { QUALITY_RULE, QUALITY_WINDOWS, SIGNAL_ALERT, SIGNAL_CAUSE, SIGNAL_LABEL, SIGNAL_PANEL } from "../signalNames";
import { ratioZeroFilled, recorded, serviceLabels, sumBy, type LabelPair } from "./expr";
import { isLlmKind } from "./requests";
import { TICKET_FOR, signalTicket } from "./tickets";

/** The window tickets read; the 1d ratio is for comparing releases on the dashboard. */
const TICKET_WINDOW = QUALITY_WINDOWS[0];

const byVersion = (model: ServiceModel): LabelPair[] => [[SIGNAL_LABEL.modelVersion, model.metrics.labels.modelVersion]];

export function scoreRules(model: ServiceModel): RecordingRule[] {
  const m = model.metrics;
  const h = m.evaluationScore.name;
  return model.quality.scores.flatMap((s) => {
    const which = `${m.labels.evaluation}=${quote(s.name)}`;
    return QUALITY_WINDOWS.map((w) => ({
      record: QUALITY_RULE.scoreGood(w),
      expr:
        `1 - (\n` +
        `    ${sumBy(byVersion(model), `rate(${h}_bucket${selector(model, which, leMatcher(s.threshold))}[${w}])`)}\n` +
        `  /\n` +
        `    (${sumBy(byVersion(model), `rate(${h}_count${selector(model, which)}[${w}])`)} > 0)\n)`,
      labels: serviceLabels(model, { [SIGNAL_LABEL.evaluation]: s.name }),
    }));
  });
}

/** Hallucination, refusal and negative-feedback rates (LLM kinds; the first two need a declared score). */
export function llmQualityRules(model: ServiceModel): RecordingRule[] {
  if (!isLlmKind(model)) return [];
  const m = model.metrics;
  const rate = (counter: string, w: string, ...matchers: string[]) =>
    sumBy(byVersion(model), `rate(${counter}${selector(model, ...matchers)}[${w}])`);
  const primary = model.quality.scores[0];
  const evaluated = (w: string) => rate(`${m.evaluationScore.name}_count`, w, `${m.labels.evaluation}=${quote(primary.name)}`);
  const perWindow = (record: (w: string) => string, expr: (w: string) => string) =>
    QUALITY_WINDOWS.map((w) => ({ record: record(w), expr: expr(w), labels: serviceLabels(model) }));
  const rules: RecordingRule[] = [];
  if (primary)
    rules.push(
      ...perWindow(QUALITY_RULE.hallucinations, (w) => ratioZeroFilled(rate(m.hallucinations.name, w), evaluated(w))),
      ...perWindow(QUALITY_RULE.refusals, (w) => ratioZeroFilled(rate(m.refusals.name, w), evaluated(w))),
    );
  const negative = `${m.labels.feedback}=${quote(m.values.feedbackNegative)}`;
  rules.push(...perWindow(QUALITY_RULE.negativeFeedback, (w) => ratioZeroFilled(rate(m.feedback.name, w, negative), rate(m.feedback.name, w))));
  return rules;
}

export function qualityTickets(model: ServiceModel, ctx: RuleContext): AlertRule[] {
  const version = `{{ $labels.${SIGNAL_LABEL.modelVersion} }}`;
  const pct = (ratio: number) => `${num(ratio * 100)}%`;
  const judged = isLlmKind(model) ? "answers" : "predictions";
  const tickets = model.quality.scores.map((s) =>
    signalTicket(model, ctx, {
      name: SIGNAL_ALERT.scoreBelowTarget(s.name),
      expr: `${recorded(model, QUALITY_RULE.scoreGood(TICKET_WINDOW), { [SIGNAL_LABEL.evaluation]: s.name })} < ${num(s.target)}`,
      for: TICKET_FOR.quality,
      summary: `${model.name}: ${s.name} is below its target`,
      description:
        `Only {{ $value | humanizePercentage }} of evaluated ${judged} of model version ${version} scored above ${num(s.threshold)} on ${s.name} ` +
        `over the last ${TICKET_WINDOW} (target ${pct(s.target)}). Compare with the previous version on the quality dashboard.`,
      dashboard: "quality",
      panelKey: SIGNAL_PANEL.score(s.name),
      cause: SIGNAL_CAUSE.quality,
    }),
  );
  if (!isLlmKind(model)) return tickets;
  if (model.quality.scores.length > 0)
    tickets.push(
      signalTicket(model, ctx, {
        name: SIGNAL_ALERT.hallucinations,
        expr: `${recorded(model, QUALITY_RULE.hallucinations(TICKET_WINDOW))} > ${num(model.quality.maxHallucinationRatio)}`,
        for: TICKET_FOR.quality,
        summary: `${model.name}: too many hallucinated answers`,
        description:
          `{{ $value | humanizePercentage }} of evaluated answers of model version ${version} were judged hallucinated over the last ${TICKET_WINDOW} ` +
          `(limit ${pct(model.quality.maxHallucinationRatio)}). Check retrieval quality and the latest prompt or model change.`,
        dashboard: "quality",
        panelKey: SIGNAL_PANEL.hallucinations,
        cause: SIGNAL_CAUSE.quality,
      }),
    );
  tickets.push(
    signalTicket(model, ctx, {
      name: SIGNAL_ALERT.negativeFeedback,
      expr: `${recorded(model, QUALITY_RULE.negativeFeedback(TICKET_WINDOW))} > ${num(model.quality.maxNegativeFeedbackRatio)}`,
      for: TICKET_FOR.negativeFeedback,
      summary: `${model.name}: users rate many answers negatively`,
      description:
        `{{ $value | humanizePercentage }} of user feedback on model version ${version} was negative over the last ${TICKET_WINDOW} ` +
        `(limit ${pct(model.quality.maxNegativeFeedbackRatio)}). Read recent negative feedback and compare with the previous version.`,
      dashboard: "quality",
      panelKey: SIGNAL_PANEL.feedback,
      cause: SIGNAL_CAUSE.quality,
    }),
  );
  return tickets;
}

export function qualityGroup(model: ServiceModel, ctx: RuleContext): RuleGroup {
  return {
    name: `${model.name}-signals-quality`,
    interval: TICKET_INTERVAL,
    rules: [...scoreRules(model), ...llmQualityRules(model), ...qualityTickets(model, ctx)],
  };
}
