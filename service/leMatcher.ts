/**
 * How a histogram bucket's upper bound (`le`) is written in PromQL and read back: the one place
 * the rules that select a bucket (SLO thresholds, drift bins) and the readers of those rules (the
 * review, lint) share, so neither parses the other's text by its own regex. Also the "nearest
 * buckets" hint for thresholds that miss every bound.
 */
import { nearestValues } from "./schema/text";

/** Optional `.0` a whole-number bound may carry (`3` or `3.0`). */
const WHOLE_SUFFIX = "([.]0)?";

/**
 * A PromQL matcher selecting the bucket with upper bound `bound`. Client libraries disagree on how a
 * whole number is written (Go and OTel write `le="3"`, Python writes `le="3.0"`), so whole numbers
 * match both spellings.
 */
export function leMatcher(bound: number): string {
  return Number.isInteger(bound) ? `le=~"${lePattern(bound)}"` : `le="${bound}"`;
}

/** A regex (PromQL `=~`) for every spelling of one bound's `le`: `3([.]0)?`, `0[.]64`. */
export function lePattern(bound: number): string {
  return Number.isInteger(bound) ? `${bound}${WHOLE_SUFFIX}` : String(bound).replace(/\./g, "[.]");
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const WHOLE_MATCHER = new RegExp(`\\ble=~"(\\d+)${escapeRegex(WHOLE_SUFFIX)}"`);
const EXACT_MATCHER = /\ble="([0-9.eE+-]+)"/;

/** The bound of the `leMatcher` in a PromQL expression (the inverse of `leMatcher`), if any. */
export function leMatcherBound(expr: string): number | undefined {
  const m = WHOLE_MATCHER.exec(expr) ?? EXACT_MATCHER.exec(expr);
  return m ? Number(m[1]) : undefined;
}

/** The two neighbours of `value` among `buckets`, for "nearest are a and b" error hints. */
export function nearestBuckets(value: number, buckets: readonly number[]): string {
  return nearestValues(value, buckets);
}
