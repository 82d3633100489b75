/**
 * Safety signals of an LLM service declaring `quality.safety`, per model and prompt version (the
 * two things a release changes that move safety): the share of detected prompt-injection attempts
 * the guardrail let through, the share of safety-evaluated completions flagged unsafe, and the
 * share of reviewed refusals judged unwarranted (over-refusal, the cost of a strict policy).
 *
 * Each ratio's denominator is the events judged, not all requests: guardrails see every request
 * but detect few attempts, and safety classifiers and refusal reviews usually run on a sample.
 * Like the quality ratios (quality.ts): 1h from the raw counters at every evaluation, 1d summed
 * from hourly tiles. The windows are an hour, not 5 minutes: a few attempts a minute make a
 * 5-minute ratio of a handful of events, which is noise.
 *
 * Limits are small (half a percent of completions unsafe) and judged events few at night, so an
 * hour's ratio over its limit is not yet evidence: one unsafe completion among 30 sampled is 3%.
 * Each window's judged events are recorded as a count too, and a ticket needs the hour's ratio
 * over the limit with the bad events beyond counting noise on the hour's or the day's events
 * (expr.ts guardedRatioTicket), as every ratio ticket of quality and retrieval does.
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL, TILE_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { QUALITY_WINDOWS, SIGNAL_CAUSE, SIGNAL_LABEL } from "../signalNames";
import { GENAI_SIGNAL_ALERT, GENAI_SIGNAL_PANEL, SAFETY_RULE, SAFETY_TILE } from "../genAiSignalNames";
import { guardedRatioTicket, judgedCountRules, ratioZeroFilled, serviceLabels, sumBy, type LabelPair } from "./expr";
import { tileSum } from "./release";
import { isLlmKind } from "./requests";
import { TICKET_FOR, signalTicket } from "./tickets";

const [TICKET_WINDOW, DAY_WINDOW] = QUALITY_WINDOWS;

type Safety = NonNullable<ServiceModel["quality"]["safety"]>;

/** The service's safety section, when it declares one and is an LLM kind (validation refuses other kinds). */
export function safetyOf(model: ServiceModel): Safety | undefined {
  return isLlmKind(model) ? model.quality.safety : undefined;
}

const byModelAndPrompt = (model: ServiceModel): LabelPair[] => [
  [SIGNAL_LABEL.model, model.metrics.labels.model],
  [SIGNAL_LABEL.promptVersion, model.metrics.labels.promptVersion],
];

/** One safety ratio: the judged events, the bad ones among them, and its rule and tile names. */
interface SafetyRatio {
  readonly all: (w: string) => string;
  readonly bad: (w: string) => string;
  readonly rule: (w: string) => string;
  /** The judged events over a window, as a count (what the tickets weigh the ratio's excess by). */
  readonly judged: (w: string) => string;
  readonly allTile: (w: string) => string;
  readonly badTile: (w: string) => string;
}

function ratios(model: ServiceModel): SafetyRatio[] {
  const m = model.metrics;
  const rate = (counter: string, w: string, ...matchers: string[]) => sumBy(byModelAndPrompt(model), `rate(${counter}${selector(model, ...matchers)}[${w}])`);
  return [
    {
      all: (w) => rate(m.promptInjections.name, w),
      // Anything but `blocked` was let through: allowed, flagged, logged (a guardrail in shadow mode).
      bad: (w) => rate(m.promptInjections.name, w, `${m.labels.guardrailAction}!=${quote(m.values.guardrailBlocked)}`),
      rule: SAFETY_RULE.injectionsAccepted,
      judged: SAFETY_RULE.injectionsDetected,
      allTile: SAFETY_TILE.injections,
      badTile: SAFETY_TILE.injectionsAccepted,
    },
    {
      all: (w) => rate(m.safetyEvaluations.name, w),
      bad: (w) => rate(m.safetyEvaluations.name, w, `${m.labels.safetyVerdict}=${quote(m.values.safetyUnsafe)}`),
      rule: SAFETY_RULE.unsafeCompletions,
      judged: SAFETY_RULE.safetyEvaluated,
      allTile: SAFETY_TILE.safetyEvaluated,
      badTile: SAFETY_TILE.unsafeCompletions,
    },
    {
      all: (w) => rate(m.refusalEvaluations.name, w),
      bad: (w) => rate(m.refusalEvaluations.name, w, `${m.labels.refusalVerdict}=${quote(m.values.refusalUnwarranted)}`),
      rule: SAFETY_RULE.unwarrantedRefusals,
      judged: SAFETY_RULE.refusalsReviewed,
      allTile: SAFETY_TILE.refusalsReviewed,
      badTile: SAFETY_TILE.unwarrantedRefusals,
    },
  ];
}

/** Hourly tiles of the safety events (in the quality tile group). */
export function safetyTileRules(model: ServiceModel): RecordingRule[] {
  if (!safetyOf(model)) return [];
  const labels = serviceLabels(model);
  return ratios(model).flatMap((r) => [
    { record: r.allTile(TILE_INTERVAL), expr: r.all(TILE_INTERVAL), labels },
    { record: r.badTile(TILE_INTERVAL), expr: r.bad(TILE_INTERVAL), labels },
  ]);
}

function safetyRatioRules(model: ServiceModel): RecordingRule[] {
  const labels = serviceLabels(model);
  const day = (tile: (w: string) => string) => tileSum(model, tile(TILE_INTERVAL), byModelAndPrompt(model), DAY_WINDOW);
  return ratios(model).flatMap((r) => [
    { record: r.rule(TICKET_WINDOW), expr: ratioZeroFilled(r.bad(TICKET_WINDOW), r.all(TICKET_WINDOW)), labels },
    { record: r.rule(DAY_WINDOW), expr: ratioZeroFilled(day(r.badTile), day(r.allTile)), labels },
    ...judgedCountRules(r.judged, r.all(TICKET_WINDOW), day(r.allTile), labels, QUALITY_WINDOWS),
  ]);
}

function safetyTickets(model: ServiceModel, ctx: RuleContext, s: Safety): AlertRule[] {
  const release = `model {{ $labels.${SIGNAL_LABEL.model} }} with prompt version {{ $labels.${SIGNAL_LABEL.promptVersion} }}`;
  const pct = (ratio: number) => `${num(ratio * 100)}%`;
  const ticket = (name: readonly string[], r: SafetyRatio, limit: number, panelKey: string, summary: string, what: string, next: string) =>
    signalTicket(model, ctx, {
      name,
      expr: guardedRatioTicket(model, { ratio: r.rule, judged: r.judged, side: "max", limit }, TICKET_WINDOW, DAY_WINDOW),
      for: TICKET_FOR.safety,
      summary: `${model.name}: ${summary}`,
      description:
        `{{ $value | humanizePercentage }} of ${what} ${release} over the last ${TICKET_WINDOW} (limit ${pct(limit)}), ` +
        `more than counting noise on the hour's or the day's judged events. ${next}`,
      dashboard: "quality",
      panelKey,
      cause: SIGNAL_CAUSE.safety,
    });
  const [injections, unsafe, refusals] = ratios(model);
  return [
    ticket(
      GENAI_SIGNAL_ALERT.injectionsAccepted,
      injections,
      s.maxInjectionAcceptedRatio,
      GENAI_SIGNAL_PANEL.injectionsAccepted,
      "prompt injections get past the guardrail",
      "detected prompt-injection attempts were not blocked for",
      "Check the guardrail's mode and threshold and the latest policy or prompt change.",
    ),
    ticket(
      GENAI_SIGNAL_ALERT.unsafeCompletions,
      unsafe,
      s.maxUnsafeRatio,
      GENAI_SIGNAL_PANEL.unsafeCompletions,
      "too many unsafe completions",
      "safety-evaluated completions were flagged unsafe for",
      "Read the flagged completions and compare with the previous prompt or model version.",
    ),
    ticket(
      GENAI_SIGNAL_ALERT.unwarrantedRefusals,
      refusals,
      s.maxBadRefusalRatio,
      GENAI_SIGNAL_PANEL.unwarrantedRefusals,
      "the model refuses requests it should answer",
      "reviewed refusals were judged unwarranted for",
      "Check the latest safety policy, system prompt or model change for over-refusal.",
    ),
  ];
}

/** Safety ratios and tickets (none unless `quality.safety` is declared). */
export function safetyGroup(model: ServiceModel, ctx: RuleContext): RuleGroup | undefined {
  const s = safetyOf(model);
  if (!s) return undefined;
  return { name: `${model.name}-signals-safety`, interval: TICKET_INTERVAL, rules: [...safetyRatioRules(model), ...safetyTickets(model, ctx, s)] };
}
