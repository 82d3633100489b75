/** Field shapes several sections share, and the number helpers their normalizers use. */
import { arr, num, str } from "../schemaDsl";

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
export const name = (what: string) =>
  str(what, { pattern: NAME_PATTERN, patternHint: "use 2-40 lower-case letters, digits and dashes, starting with a letter" });
export const DURATION_PATTERN = /^[1-9][0-9]*(m|h|d|w)$/;
export const duration = (what: string) =>
  str(what, { pattern: DURATION_PATTERN, patternHint: 'use a Prometheus duration such as "30m", "1h", "7d" or "2w"' });
export const metricName = (what: string) =>
  str(what, { pattern: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, patternHint: "use a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)" });
export const labelName = (what: string) =>
  str(what, { pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "use a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)" });
export const percent = (what: string) => num(what, { exclusiveMinimum: 0, maximum: 100 });
export const buckets = (what: string) => arr(what, num("Bucket upper bound."), { minItems: 1, increasing: true });

/** Rounds away binary noise (99.5 / 100 = 0.9950000000000001) so output stays stable and readable. */
export function round(x: number): number {
  return Number(x.toPrecision(12));
}
/** A percent as a ratio: 99.5 -> 0.995. */
export const ratio = (percentValue: number): number => round(percentValue / 100);
