/**
 * Calibration of LLM-as-judge scores: for each declared score with a `judge` section, the share
 * of samples a human also labelled on which the judge agreed. A judge that drifts from people
 * (a new judge model, a changed rubric, new kinds of answers) makes every score panel, SLO and
 * ticket built on it wrong without any of them moving, so it gets a ticket of its own.
 *
 * Human labels are sparse (a few an hour), so agreement is summed over a week (JUDGE_WINDOW) of
 * hourly tiles, and the ticket waits for a minimum number of labelled samples in that window: a
 * handful of labels, two of them disagreeing, is not a broken judge.
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL, TILE_INTERVAL } from "../cadence";
import { durationSeconds, num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { SIGNAL_CAUSE, SIGNAL_LABEL } from "../signalNames";
import { GENAI_SIGNAL_ALERT, GENAI_SIGNAL_PANEL, JUDGE_RULE, JUDGE_TILE, JUDGE_WINDOW } from "../genAiSignalNames";
import { ratioZeroFilled, recorded, serviceLabels } from "./expr";
import { isLlmKind } from "./requests";
import { TICKET_FOR, signalTicket } from "./tickets";

type Score = ServiceModel["quality"]["scores"][number];
type JudgedScore = Score & { readonly judge: NonNullable<Score["judge"]> };

/** Declared scores with a judge section (LLM kinds only; validation refuses the others). */
export function judgedScores(model: ServiceModel): JudgedScore[] {
  if (!isLlmKind(model)) return [];
  return model.quality.scores.filter((s): s is JudgedScore => s.judge !== undefined);
}

const which = (s: Score) => ({ [SIGNAL_LABEL.evaluation]: s.name });

/** Hourly tiles of labelled and agreed samples per judged score (in the quality tile group). */
export function judgeTileRules(model: ServiceModel): RecordingRule[] {
  const m = model.metrics;
  const w = TILE_INTERVAL;
  return judgedScores(model).flatMap((s) => {
    const score = `${m.labels.evaluation}=${quote(s.name)}`;
    const rate = (...matchers: string[]) => `sum(rate(${m.judgeLabels.name}${selector(model, score, ...matchers)}[${w}]))`;
    const labels = serviceLabels(model, which(s));
    return [
      { record: JUDGE_TILE.labelled(w), expr: rate(), labels },
      { record: JUDGE_TILE.agreed(w), expr: rate(`${m.labels.judgeAgreement}=${quote(m.values.judgeAgree)}`), labels },
    ];
  });
}

function judgeRules(model: ServiceModel, s: JudgedScore): RecordingRule[] {
  const labels = serviceLabels(model, which(s));
  const sum = (tile: (w: string) => string) => `sum(sum_over_time(${recorded(model, tile(TILE_INTERVAL), which(s))}[${JUDGE_WINDOW}]))`;
  return [
    { record: JUDGE_RULE.agreement(JUDGE_WINDOW), expr: ratioZeroFilled(sum(JUDGE_TILE.agreed), sum(JUDGE_TILE.labelled)), labels },
    // Each tile is a per-second rate over one hour: times the hour's seconds, the hour's samples.
    { record: JUDGE_RULE.labelled(JUDGE_WINDOW), expr: `${sum(JUDGE_TILE.labelled)} * ${durationSeconds(TILE_INTERVAL)}`, labels },
  ];
}

function judgeTicket(model: ServiceModel, ctx: RuleContext, s: JudgedScore): AlertRule {
  const j = s.judge;
  return signalTicket(model, ctx, {
    name: GENAI_SIGNAL_ALERT.judgeDisagrees(s.name),
    expr:
      `${recorded(model, JUDGE_RULE.agreement(JUDGE_WINDOW), which(s))} < ${num(j.minAgreementRatio)}\n` +
      `and\n${recorded(model, JUDGE_RULE.labelled(JUDGE_WINDOW), which(s))} >= ${num(j.minLabelledSamples)}`,
    for: TICKET_FOR.judge,
    summary: `${model.name}: the ${s.name} judge disagrees with human labels`,
    description:
      `The LLM judge of ${s.name} agreed with the human label on only {{ $value | humanizePercentage }} of the samples labelled over the last ${JUDGE_WINDOW} ` +
      `(minimum ${num(j.minAgreementRatio * 100)}%, judged once ${num(j.minLabelledSamples)} samples are labelled). ` +
      `Every ${s.name} panel, SLO and ticket reads this judge: review the disagreements and recalibrate its prompt or model before trusting them.`,
    dashboard: "quality",
    panelKey: GENAI_SIGNAL_PANEL.judgeAgreement(s.name),
    cause: SIGNAL_CAUSE.quality,
  });
}

/** Judge agreement and its tickets (none unless a score declares `judge`). */
export function judgeGroup(model: ServiceModel, ctx: RuleContext): RuleGroup | undefined {
  const scores = judgedScores(model);
  if (scores.length === 0) return undefined;
  return {
    name: `${model.name}-signals-judge`,
    interval: TICKET_INTERVAL,
    rules: [...scores.flatMap((s) => judgeRules(model, s)), ...scores.map((s) => judgeTicket(model, ctx, s))],
  };
}
