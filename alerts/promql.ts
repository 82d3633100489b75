/**
 * Small PromQL building blocks. Every query the generators write starts from the service's
 * selector and the contract's names; nothing here knows a metric name.
 */
import type { ServiceModel } from "../service/model";

const NEEDS_ESCAPE = /["\\]/;

/** Escapes a value for a double-quoted PromQL string. */
export function quote(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** `{job="svc",extra...}`: the service's matchers followed by `extra` (already-rendered matchers). */
export function selector(model: ServiceModel, ...extra: string[]): string {
  const own = model.selector.map(([k, v]) => `${k}=${quote(v)}`);
  return `{${[...own, ...extra].join(",")}}`;
}

/** Seconds in a Prometheus duration such as `5m`, `1h`, `3d`, `2w`. */
export function durationSeconds(d: string): number {
  const m = /^(\d+)(s|m|h|d|w)$/.exec(d);
  if (!m) throw new Error(`not a Prometheus duration: ${d}`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as "s" | "m" | "h" | "d" | "w"];
  return Number(m[1]) * unit;
}

/** The shortest exact Prometheus duration for a number of seconds (`3600` -> `1h`). */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [["w", 604800], ["d", 86400], ["h", 3600], ["m", 60], ["s", 1]];
  for (const [u, n] of units) if (seconds % n === 0 && seconds >= n) return `${seconds / n}${u}`;
  throw new Error(`cannot express ${seconds}s as a whole Prometheus duration`);
}

/** Formats a number for PromQL without float noise (0.1 + 0.2 -> 0.3). */
export function num(x: number): string {
  // Integers below 10^12 have at most 12 significant digits: nothing to round (and no toPrecision).
  if (Number.isInteger(x) && Math.abs(x) < 1e12) return String(x);
  return String(Number(x.toPrecision(12)));
}

/** A constant series: `vector(0.995)`. */
export const constant = (x: number): string => `vector(${num(x)})`;

/** The value of a `constant` expression (`vector(0.995)` -> 0.995); undefined for any other. */
export function constantValue(expr: string): number | undefined {
  const m = /^\s*vector\(\s*([0-9.eE+-]+)\s*\)\s*$/.exec(expr);
  return m ? Number(m[1]) : undefined;
}
