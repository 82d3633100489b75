/**
 * PromQL shapes the signal generators share. Nothing here knows a metric name: callers pass
 * series already spelt from the contract.
 */
import type { ServiceModel } from "../../service/model";
import { LABEL } from "../conventions";
import { num, quote } from "../promql";

/** Labels every signal series of the service carries; rules add the rest. */
export function serviceLabels(model: ServiceModel, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { [LABEL.service]: model.name, ...extra };
}

/** `name{service="svc",...extra}`: selects the service's own recorded series. */
export function recorded(model: ServiceModel, name: string, extra: Readonly<Record<string, string>> = {}): string {
  const matchers = Object.entries({ [LABEL.service]: model.name, ...extra }).map(([k, v]) => `${k}=${quote(v)}`);
  return `${name}{${matchers.join(",")}}`;
}

/**
 * A pair of label names: the one a signal series carries (`model`) and the one the metric
 * contract says the raw series use (`gen_ai_request_model`).
 */
export type LabelPair = readonly [signal: string, contract: string];

/**
 * `sum by (<signal labels>) (inner)`. Where the contract's label has another name, it is first
 * copied into the signal's name with label_replace, so dashboards see the same label keys whatever
 * the service's contract overrides are.
 */
export function sumBy(pairs: readonly LabelPair[], inner: string): string {
  let e = inner;
  for (const [signal, contract] of pairs)
    if (signal !== contract) e = `label_replace(${e}, ${quote(signal)}, "$1", ${quote(contract)}, "(.*)")`;
  return `sum by (${pairs.map(([s]) => s).join(", ")}) (${e})`;
}

/**
 * `num / den`, recording 0 (not nothing) when the numerator's counter was never created (client
 * libraries create labelled counters on first increment), and nothing when the denominator is 0,
 * so an idle service does not record a misleading 0 or NaN. `num` and `den` must have the same
 * label sets.
 */
export function ratioZeroFilled(num: string, den: string): string {
  return `(\n  ${num}\nor\n  ${den} * 0\n)\n/\n(${den} > 0)`;
}

/**
 * How far a window's bad events must exceed what a ratio limit allows before a ticket reads them
 * as more than counting noise: `deviations` Poisson standard deviations of the allowed count, plus
 * `events`. With the limit's allowed count `L·n` (n judged events in the window), a ticket needs
 * `bad - L·n > 3·sqrt(L·n) + 1`:
 *  - one bad event never opens a ticket, however few events were judged (a quiet night's two
 *    sampled completions, one of them unsafe, is a 50% ratio and no evidence);
 *  - at 100 judged events and a 0.5% limit it takes 4 bad ones; at 3,600, 32 (0.9%), which a sustained smaller excess
 *    passes on a day's events instead (the safety tickets read both windows).
 * Poisson, not binomial, so it errs towards more evidence for limits near 1.
 */
export const COUNT_NOISE = { deviations: 3, events: 1 } as const;

/**
 * `(ratio - limit) * judged > 3 * sqrt(limit * judged) + 1`: the window's bad events exceed what
 * the limit allows by more than counting noise (COUNT_NOISE). `judged` is the window's judged
 * events as a count, with the ratio's labels. The value is the ratio's excess times the count.
 */
export function excessBeyondNoise(ratio: string, judged: string, limit: number): string {
  const l = num(limit);
  return `(${ratio} - ${l}) * ${judged} > ${num(COUNT_NOISE.deviations)} * sqrt(${l} * ${judged}) + ${num(COUNT_NOISE.events)}`;
}
