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
 *
 * Each denominator is also recorded as a count over both windows: a ticket needs its hour's ratio
 * past the limit by more than counting noise on the hour's or the day's events (expr.ts
 * guardedRatioTicket), so a quiet night's few evaluated answers do not open one.
 */
import { leMatcher } from "../../service/leMatcher";
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL, TILE_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { QUALITY_RULE, QUALITY_TILE, QUALITY_WINDOWS, SIGNAL_ALERT, SIGNAL_CAUSE, SIGNAL_LABEL, SIGNAL_PANEL } from "../signalNames";
import { guardedRatioTicket, judgedCountRules, ratioZeroFilled, serviceLabels, sumBy } from "./expr";
import { releaseLabels, tileSum } from "./release";
import { judgeTileRules } from "./judge";
import { isLlmKind } from "./requests";
import { retrievalTileRules } from "./retrieval";
import { safetyTileRules } from "./safety";
import { TICKET_FOR, signalTicket } from "./tickets";

/** The window tickets read, from the raw series at every evaluation. */
const TICKET_WINDOW = QUALITY_WINDOWS[0];
/**
 * The window releases are compared over on the dashboard, summed from hourly tiles: a day of raw
 * series read every 4 minutes was most of the quality groups' cost, for a ratio that moves by the
 * hour. It leaves out up to the last hour, and a new model version gets it after its first tile.
 */
const DAY_WINDOW = QUALITY_WINDOWS[1];

/** Events per second over `w` per model version, from the raw series: what ratios and tiles are made of. */
function counts(model: ServiceModel) {
  const m = model.metrics;
  const h = m.evaluationScore.name;
  const rate = (counter: string, w: string, ...matchers: string[]) => sumBy(releaseLabels(model), `rate(${counter}${selector(model, ...matchers)}[${w}])`);
  const which = (score: string) => `${m.labels.evaluation}=${quote(score)}`;
  const negative = `${m.labels.feedback}=${quote(m.values.feedbackNegative)}`;
  return {
    evaluated: (s: QualityScore, w: string) => rate(`${h}_count`, w, which(s.name)),
    scoreBad: (s: QualityScore, w: string) => rate(`${h}_bucket`, w, which(s.name), leMatcher(s.threshold)),
    hallucinations: (w: string) => rate(m.hallucinations.name, w),
    refusals: (w: string) => rate(m.refusals.name, w),
    feedback: (w: string) => rate(m.feedback.name, w),
    negativeFeedback: (w: string) => rate(m.feedback.name, w, negative),
  };
}
type QualityScore = ServiceModel["quality"]["scores"][number];

/** A day's sum of a tile per release. */
const daySum = (model: ServiceModel, tile: string, extra: Readonly<Record<string, string>> = {}) => tileSum(model, tile, releaseLabels(model), DAY_WINDOW, extra);

export function scoreRules(model: ServiceModel): RecordingRule[] {
  const c = counts(model);
  return model.quality.scores.flatMap((s) => {
    const labels = serviceLabels(model, { [SIGNAL_LABEL.evaluation]: s.name });
    const score = { [SIGNAL_LABEL.evaluation]: s.name };
    return [
      {
        record: QUALITY_RULE.scoreGood(TICKET_WINDOW),
        expr: `1 - (\n    ${c.scoreBad(s, TICKET_WINDOW)}\n  /\n    (${c.evaluated(s, TICKET_WINDOW)} > 0)\n)`,
        labels,
      },
      {
        record: QUALITY_RULE.scoreGood(DAY_WINDOW),
        expr: `1 - (\n    ${daySum(model, QUALITY_TILE.scoreBad(TILE_INTERVAL), score)}\n  /\n    (${daySum(model, QUALITY_TILE.evaluated(TILE_INTERVAL), score)} > 0)\n)`,
        labels,
      },
      ...judgedCountRules(QUALITY_RULE.evaluated, c.evaluated(s, TICKET_WINDOW), daySum(model, QUALITY_TILE.evaluated(TILE_INTERVAL), score), labels, QUALITY_WINDOWS),
    ];
  });
}

/** Hallucination, refusal and negative-feedback rates (LLM kinds; the first two need a declared score). */
export function llmQualityRules(model: ServiceModel): RecordingRule[] {
  if (!isLlmKind(model)) return [];
  const c = counts(model);
  const primary = model.quality.scores[0];
  const labels = serviceLabels(model);
  const day = (tile: (w: string) => string, extra?: Readonly<Record<string, string>>) => daySum(model, tile(TILE_INTERVAL), extra);
  const rules: RecordingRule[] = [];
  if (primary) {
    const evaluated = day(QUALITY_TILE.evaluated, { [SIGNAL_LABEL.evaluation]: primary.name });
    rules.push(
      { record: QUALITY_RULE.hallucinations(TICKET_WINDOW), expr: ratioZeroFilled(c.hallucinations(TICKET_WINDOW), c.evaluated(primary, TICKET_WINDOW)), labels },
      { record: QUALITY_RULE.hallucinations(DAY_WINDOW), expr: ratioZeroFilled(day(QUALITY_TILE.hallucinations), evaluated), labels },
      { record: QUALITY_RULE.refusals(TICKET_WINDOW), expr: ratioZeroFilled(c.refusals(TICKET_WINDOW), c.evaluated(primary, TICKET_WINDOW)), labels },
      { record: QUALITY_RULE.refusals(DAY_WINDOW), expr: ratioZeroFilled(day(QUALITY_TILE.refusals), evaluated), labels },
      ...judgedCountRules(QUALITY_RULE.answersEvaluated, c.evaluated(primary, TICKET_WINDOW), evaluated, labels, QUALITY_WINDOWS),
    );
  }
  rules.push(
    { record: QUALITY_RULE.negativeFeedback(TICKET_WINDOW), expr: ratioZeroFilled(c.negativeFeedback(TICKET_WINDOW), c.feedback(TICKET_WINDOW)), labels },
    { record: QUALITY_RULE.negativeFeedback(DAY_WINDOW), expr: ratioZeroFilled(day(QUALITY_TILE.negativeFeedback), day(QUALITY_TILE.feedback)), labels },
    ...judgedCountRules(QUALITY_RULE.feedback, c.feedback(TICKET_WINDOW), day(QUALITY_TILE.feedback), labels, QUALITY_WINDOWS),
  );
  return rules;
}

/** The hourly tiles the day-long ratios sum (the same events as the ratios above, over each hour). */
export function qualityTileRules(model: ServiceModel): RecordingRule[] {
  const c = counts(model);
  const w = TILE_INTERVAL;
  const rules: RecordingRule[] = model.quality.scores.flatMap((s) => {
    const labels = serviceLabels(model, { [SIGNAL_LABEL.evaluation]: s.name });
    return [
      { record: QUALITY_TILE.evaluated(w), expr: c.evaluated(s, w), labels },
      { record: QUALITY_TILE.scoreBad(w), expr: c.scoreBad(s, w), labels },
    ];
  });
  if (!isLlmKind(model)) return rules;
  const labels = serviceLabels(model);
  if (model.quality.scores.length > 0)
    rules.push({ record: QUALITY_TILE.hallucinations(w), expr: c.hallucinations(w), labels }, { record: QUALITY_TILE.refusals(w), expr: c.refusals(w), labels });
  rules.push({ record: QUALITY_TILE.feedback(w), expr: c.feedback(w), labels }, { record: QUALITY_TILE.negativeFeedback(w), expr: c.negativeFeedback(w), labels });
  return rules;
}

export function qualityTickets(model: ServiceModel, ctx: RuleContext): AlertRule[] {
  const version = `{{ $labels.${SIGNAL_LABEL.modelVersion} }}`;
  const pct = (ratio: number) => `${num(ratio * 100)}%`;
  const judged = isLlmKind(model) ? "answers" : "predictions";
  const tickets = model.quality.scores.map((s) =>
    signalTicket(model, ctx, {
      name: SIGNAL_ALERT.scoreBelowTarget(s.name),
      expr: guardedRatioTicket(
        model,
        { ratio: QUALITY_RULE.scoreGood, judged: QUALITY_RULE.evaluated, side: "min", limit: s.target, extra: { [SIGNAL_LABEL.evaluation]: s.name } },
        TICKET_WINDOW,
        DAY_WINDOW,
      ),
      for: TICKET_FOR.quality,
      summary: `${model.name}: ${s.name} is below its target`,
      description:
        `Only {{ $value | humanizePercentage }} of evaluated ${judged} of model version ${version} scored above ${num(s.threshold)} on ${s.name} ` +
        `over the last ${TICKET_WINDOW} (target ${pct(s.target)}), more than counting noise on the hour's or the day's evaluated ${judged}. ` +
        `Compare with the previous version on the quality dashboard.`,
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
        expr: guardedRatioTicket(
          model,
          { ratio: QUALITY_RULE.hallucinations, judged: QUALITY_RULE.answersEvaluated, side: "max", limit: model.quality.maxHallucinationRatio },
          TICKET_WINDOW,
          DAY_WINDOW,
        ),
        for: TICKET_FOR.quality,
        summary: `${model.name}: too many hallucinated answers`,
        description:
          `{{ $value | humanizePercentage }} of evaluated answers of model version ${version} were judged hallucinated over the last ${TICKET_WINDOW} ` +
          `(limit ${pct(model.quality.maxHallucinationRatio)}), more than counting noise on the hour's or the day's evaluated answers. Check retrieval quality and the latest prompt or model change.`,
        dashboard: "quality",
        panelKey: SIGNAL_PANEL.hallucinations,
        cause: SIGNAL_CAUSE.quality,
      }),
    );
  tickets.push(
    signalTicket(model, ctx, {
      name: SIGNAL_ALERT.negativeFeedback,
      expr: guardedRatioTicket(
        model,
        { ratio: QUALITY_RULE.negativeFeedback, judged: QUALITY_RULE.feedback, side: "max", limit: model.quality.maxNegativeFeedbackRatio },
        TICKET_WINDOW,
        DAY_WINDOW,
      ),
      for: TICKET_FOR.negativeFeedback,
      summary: `${model.name}: users rate many answers negatively`,
      description:
        `{{ $value | humanizePercentage }} of user feedback on model version ${version} was negative over the last ${TICKET_WINDOW} ` +
        `(limit ${pct(model.quality.maxNegativeFeedbackRatio)}), more than counting noise on the hour's or the day's feedback. Read recent negative feedback and compare with the previous version.`,
      dashboard: "quality",
      panelKey: SIGNAL_PANEL.feedback,
      cause: SIGNAL_CAUSE.quality,
    }),
  );
  return tickets;
}

/** The hourly tiles of the day-long quality ratios, and of safety, retrieval and judge calibration (before the groups that read them). */
export function qualityTileGroup(model: ServiceModel): RuleGroup {
  const genAiTiles = [...safetyTileRules(model), ...retrievalTileRules(model), ...judgeTileRules(model)];
  return { name: `${model.name}-signals-quality-hourly`, interval: TILE_INTERVAL, rules: [...qualityTileRules(model), ...genAiTiles] };
}

export function qualityGroup(model: ServiceModel, ctx: RuleContext): RuleGroup {
  return {
    name: `${model.name}-signals-quality`,
    interval: TICKET_INTERVAL,
    rules: [...scoreRules(model), ...llmQualityRules(model), ...qualityTickets(model, ctx)],
  };
}
