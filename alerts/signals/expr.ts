/**
 * PromQL shapes the signal generators share. Nothing here knows a metric name: callers pass
 * series already spelt from the contract.
 */
import type { ServiceModel } from "../../service/model";
import { LABEL } from "../conventions";
import { TILE_INTERVAL } from "../cadence";
import { durationSeconds, num, quote } from "../promql";
import type { RecordingRule } from "../ruleModel";

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
 * How far a window's bad events must exceed what a ratio's limit allows before a ticket reads them
 * as more than counting noise: `deviations` Poisson standard deviations of the allowed count, plus
 * `events`. With `a` the allowed bad share (the limit, or 1 − target for a good share) and n the
 * window's judged events, a ticket needs `bad − a·n > 2·sqrt(a·n) + 2`:
 *  - one or two bad events never open a ticket, however few events were judged (a quiet night's
 *    two sampled completions, one of them unsafe, is a 50% ratio and no evidence);
 *  - at a 0.5% limit it takes 4 bad of 100 judged in an hour, and 29 of 3,600 (0.8%); a smaller
 *    excess that lasts passes on the day's events instead, so every ratio ticket reads both;
 *  - a healthy ratio at half its limit passes it in under 2 hours in 10,000, whatever the traffic
 *    (the worst case is about one allowed bad event an hour); 3 deviations plus 1 event let through
 *    six times as many (about one in 1,000, at a tenth of an allowed event an hour) and need half
 *    as much again past the limit at high traffic.
 * Poisson, not binomial, so it errs towards more evidence for allowed shares near 1.
 */
export const COUNT_NOISE = { deviations: 2, events: 2 } as const;

/** A ratio a ticket holds to a limit, and the judged events each window's ratio is made of. */
export interface GuardedRatio {
  /** The name the ratio over a window (`1h`, `1d`) is recorded under. */
  readonly ratio: (w: string) => string;
  /** The name the window's judged events are recorded under as a count, with the ratio's labels. */
  readonly judged: (w: string) => string;
  /** `max`: a bad share that must stay at or under `limit`; `min`: a good share that must stay at or over it. */
  readonly side: "max" | "min";
  readonly limit: number;
  /** Label matchers besides the service's on both series (one score's, say). */
  readonly extra?: Readonly<Record<string, string>>;
}

/**
 * The ticket condition of a ratio with a limit: the hour's ratio is past the limit, and on the
 * hour's judged events or on the day's the excess is more than counting noise (COUNT_NOISE). The
 * hour's events catch a release that breaks things outright, the day's a smaller excess that lasts;
 * the hour's ratio closes the ticket once it is back within the limit (the day alone would hold it
 * for a day). Without `day` (a ratio with no day-long series) only the hour's events count. The
 * value is the hour's ratio.
 */
export function guardedRatioTicket(model: ServiceModel, r: GuardedRatio, hour: string, day?: string): string {
  const ratio = (w: string) => recorded(model, r.ratio(w), r.extra);
  const judged = (w: string) => recorded(model, r.judged(w), r.extra);
  const limit = num(r.limit);
  const allowed = num(r.side === "max" ? r.limit : 1 - r.limit);
  const excess = (w: string) => (r.side === "max" ? `(${ratio(w)} - ${limit})` : `(${limit} - ${ratio(w)})`);
  const beyondNoise = (w: string) =>
    `${excess(w)} * ${judged(w)} > ${num(COUNT_NOISE.deviations)} * sqrt(${allowed} * ${judged(w)}) + ${num(COUNT_NOISE.events)}`;
  const evidence = day ? `(\n  ${beyondNoise(hour)}\nor\n  ${beyondNoise(day)}\n)` : `(\n  ${beyondNoise(hour)}\n)`;
  return `${ratio(hour)} ${r.side === "max" ? ">" : "<"} ${limit}\nand\n${evidence}`;
}

/**
 * The judged events of a ratio as counts: over `hour` from the raw counters' rate (`hourRate`,
 * events per second), and over the day from the sum of its hourly tiles (`dayTileSum`, a sum of
 * per-second rates, one per tile).
 */
export function judgedCountRules(
  record: (w: string) => string,
  hourRate: string,
  dayTileSum: string,
  labels: Record<string, string>,
  [hour, day]: readonly [string, string],
): RecordingRule[] {
  return [
    { record: record(hour), expr: `${hourRate} * ${durationSeconds(hour)}`, labels },
    { record: record(day), expr: `${dayTileSum} * ${durationSeconds(TILE_INTERVAL)}`, labels },
  ];
}
