/**
 * The quality headline: are answers good enough, is the quality budget holding, is spend in
 * budget, and is anything being evaluated at all? At most five, in that order of importance.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { COST_RULE, QUALITY_RULE, QUALITY_WINDOWS, SIGNAL_ALERT, SIGNAL_LABEL } from "../../alerts/signalNames";
import { pricedModels } from "../../alerts/signals/cost";
import { isLlmKind } from "../../alerts/signals/requests";
import type { ServiceModel } from "../../service/model";
import { spread, type Headline } from "../layout";
import { COLOR, higherIsBetter, lowerIsBetter, stat, steps, type PanelSpec } from "../presets";
import { eq, raw, recorded } from "../promql";
import { ifRed, signalRunbook, sloAbsentRunbook } from "../runbooks";
import { BUDGET_WATCH, lowestBudgetExpr, slosOf } from "../slo";
import { PANEL } from "../../service/links";

const MAX_HEADLINES = 5;
/** The window the quality tickets read (alerts/signals/quality.ts). */
export const TICKET_WINDOW = QUALITY_WINDOWS[0];
/** Evaluations per hour under which quality ratios are noise (yellow) or blind (red, none at all). */
export const EVALUATIONS_PER_HOUR = { act: 1, watch: 100 } as const;

const pct = (ratio: number) => `${num(ratio * 100)}%`;
type Score = ServiceModel["quality"]["scores"][number];

/** Yellow from halfway between the target and a perfect score. */
const scoreWatch = (s: Score) => s.target + (1 - s.target) / 2;

function score(model: ServiceModel, s: Score): Headline {
  return {
    key: `headline:score:${s.name}`,
    panel: stat({
      title: `${s.name} above ${s.threshold} (${TICKET_WINDOW}, worst version)`,
      description: `Share of evaluated answers scoring above ${s.threshold} on ${s.name} over the last ${TICKET_WINDOW}, for the model version doing worst; red under the ${pct(s.target)} target, yellow under ${pct(scoreWatch(s))}. ${ifRed(`compare versions in "${s.name} above ${s.threshold} by model version" below and roll back the newest release if it is the one under target`, signalRunbook(model, SIGNAL_ALERT.scoreBelowTarget(s.name)))}`,
      unit: units.PercentUnit,
      decimals: 1,
      thresholds: higherIsBetter(s.target, scoreWatch(s)),
      target: { expr: `min(${recorded(model, QUALITY_RULE.scoreGood(TICKET_WINDOW), eq(SIGNAL_LABEL.evaluation, s.name))})` },
    }),
  };
}

function qualityBudget(model: ServiceModel): Headline | undefined {
  const slos = slosOf(model, "quality");
  if (slos.length === 0) return undefined;
  return {
    key: "headline:quality-budget",
    panel: stat({
      title: "Lowest quality error budget left",
      description: `Error budget left of the quality SLO that has least (${slos.map((s) => s.name).join(", ")}); yellow under ${pct(BUDGET_WATCH)}, red when spent. ${ifRed("stop releasing prompt or model changes and work through that SLO's row below")}`,
      unit: units.PercentUnit,
      decimals: 1,
      showName: true,
      thresholds: steps(COLOR.act, [0, COLOR.watch], [BUDGET_WATCH, COLOR.ok]),
      target: { expr: lowestBudgetExpr(model, slos), legend: "{{slo}}" },
    }),
  };
}

function hallucinations(model: ServiceModel): Headline | undefined {
  if (!isLlmKind(model) || model.quality.scores.length === 0) return undefined;
  const max = model.quality.maxHallucinationRatio;
  return {
    key: "headline:hallucinations",
    panel: stat({
      title: `Hallucinated answers (${TICKET_WINDOW}, worst version)`,
      description: `Share of evaluated answers judged hallucinated over the last ${TICKET_WINDOW}, worst model version; yellow from ${pct(max / 2)}, red from the ${pct(max)} limit. ${ifRed("check retrieval quality (relevance, stage errors) and the latest prompt or model change", signalRunbook(model, SIGNAL_ALERT.hallucinations))}`,
      unit: units.PercentUnit,
      decimals: 1,
      thresholds: lowerIsBetter(max / 2, max),
      target: { expr: `max(${recorded(model, QUALITY_RULE.hallucinations(TICKET_WINDOW))})` },
    }),
  };
}

function negativeFeedback(model: ServiceModel): Headline | undefined {
  if (!isLlmKind(model)) return undefined;
  const max = model.quality.maxNegativeFeedbackRatio;
  return {
    key: "headline:negative-feedback",
    panel: stat({
      title: `Negative feedback (${TICKET_WINDOW}, worst version)`,
      description: `Share of user feedback that was negative over the last ${TICKET_WINDOW}, worst model version; yellow from ${pct(max / 2)}, red from the ${pct(max)} limit. ${ifRed("read recent negative feedback and compare the versions below", signalRunbook(model, SIGNAL_ALERT.negativeFeedback))}`,
      unit: units.PercentUnit,
      decimals: 1,
      thresholds: lowerIsBetter(max / 2, max),
      target: { expr: `max(${recorded(model, QUALITY_RULE.negativeFeedback(TICKET_WINDOW))})` },
    }),
  };
}

/** Yellow from this share of the hourly budget. */
const SPEND_WATCH = 0.8;

function spend(model: ServiceModel): Headline | undefined {
  const budget = model.cost.hourlyBudgetUsd;
  if (budget === undefined || pricedModels(model).length === 0) return undefined;
  return {
    key: "headline:spend",
    panel: stat({
      title: "Model spend per hour (1h average)",
      description: `Spend on priced models in USD per hour, averaged over the last hour; yellow from ${num(SPEND_WATCH * 100)}% of the ${num(budget)} USD budget, red above it. ${ifRed("check tokens per request and per model under Tokens and cost: a prompt, retry or agent-loop change is the usual cause", signalRunbook(model, SIGNAL_ALERT.spendOverBudget))}`,
      unit: units.Dollars,
      decimals: 2,
      thresholds: lowerIsBetter(budget * SPEND_WATCH, budget),
      target: { expr: recorded(model, COST_RULE.spendPerHourAvg1h) },
    }),
  };
}

function evaluations(model: ServiceModel): Headline | undefined {
  if (model.quality.scores.length === 0) return undefined;
  const slo = slosOf(model, "quality")[0];
  const m = model.metrics;
  return {
    key: PANEL.evaluations,
    panel: stat({
      title: "Evaluations (last 1h)",
      description: `Answers or predictions evaluated in the last hour, all scores; red when none (every quality panel is blind), yellow under ${EVALUATIONS_PER_HOUR.watch} (ratios are noisy). ${ifRed("check the evaluation job (online judge or delayed labels) and its metrics export", slo && sloAbsentRunbook(model, slo))}`,
      unit: units.Short,
      decimals: 0,
      thresholds: steps(COLOR.act, [EVALUATIONS_PER_HOUR.act, COLOR.watch], [EVALUATIONS_PER_HOUR.watch, COLOR.ok]),
      target: { expr: `sum(increase(${m.evaluationScore.name}_count${raw(model)}[1h]))` },
    }),
  };
}

export function qualityHeadline(model: ServiceModel): PanelSpec[] {
  const [primary, ...others] = model.quality.scores;
  const candidates = [
    primary && score(model, primary),
    qualityBudget(model),
    hallucinations(model),
    negativeFeedback(model),
    spend(model),
    evaluations(model),
    ...others.map((s) => score(model, s)),
  ].filter((h): h is Headline => h !== undefined);
  return spread(candidates.slice(0, MAX_HEADLINES));
}
