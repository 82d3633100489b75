/**
 * Synthetic promtool `input_series`, one sample per minute, built from traffic described in
 * phases: counters from events per minute, gauges from levels, and cumulative histogram buckets
 * from a per-bin distribution and a rate. Series are written compactly in promtool's expanding
 * notation (`a+bxn` is n+1 samples a, a+b, ..., a+n·b; `_xn` is n missing samples).
 */
import { seriesSelector } from "../../toolkit/exposition";

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** A stretch of minutes with constant traffic. */
export interface Phase {
  readonly minutes: number;
  /** Events per minute (counter increments); 0 keeps the counter flat. */
  readonly perMinute: number;
}

/** A stretch of minutes in which a histogram observes `perMinute` values spread over bins by `shares`. */
export interface HistogramPhase extends Phase {
  /** Share of observations per bin: one per finite bucket plus one for `+Inf`, summing to 1. */
  readonly shares: readonly number[];
  /** Mean observed value, for the `_sum` series. @default 0 */
  readonly mean?: number;
}

export interface SeriesOptions {
  /** Minutes before the series' first sample (a release, a replica started later). @default 0 */
  readonly absentMinutes?: number;
}

const fmt = (x: number) => String(Number(x.toPrecision(15)));
const absent = (n: number) => (n > 0 ? `_x${n} ` : "");

/**
 * A counter: 0 at its first sample, then each minute adds the phase's `perMinute`, so the rate
 * during a phase is exactly `perMinute` per minute. The series has 1 + Σ minutes samples.
 */
export function counterValues(phases: readonly Phase[], opts: SeriesOptions = {}): string {
  const parts: string[] = [];
  let value = 0;
  let first = true;
  for (const p of phases) {
    if (p.minutes <= 0) continue;
    if (first) {
      // `0+axn`: the start sample plus n increments.
      parts.push(`0+${fmt(p.perMinute)}x${p.minutes}`);
      first = false;
    } else {
      const start = value + p.perMinute;
      parts.push(p.minutes === 1 ? fmt(start) : `${fmt(start)}+${fmt(p.perMinute)}x${p.minutes - 1}`);
    }
    value += p.perMinute * p.minutes;
  }
  return absent(opts.absentMinutes ?? 0) + parts.join(" ");
}

/** A gauge holding each phase's `level` for its minutes (plus one final sample at the last level). */
export function gaugeValues(phases: readonly { readonly minutes: number; readonly level: number }[], opts: SeriesOptions = {}): string {
  const parts = phases.filter((p) => p.minutes > 0).map((p) => `${fmt(p.level)}x${p.minutes - 1}`);
  const last = phases[phases.length - 1];
  return absent(opts.absentMinutes ?? 0) + [...parts, fmt(last.level)].join(" ");
}

export interface HistogramOptions extends SeriesOptions {
  /**
   * How the client spells a whole-number bound in `le`: Go and OTel write `16`, Python `16.0`.
   * @default "go"
   */
  readonly leStyle?: "go" | "python";
}

/**
 * Cumulative `_bucket` series (one per finite bound plus `+Inf`), `_count` and `_sum` of a
 * histogram observing, phase by phase, `perMinute` values distributed over the bins by `shares`.
 */
export function histogramSeries(
  name: string,
  labels: Readonly<Record<string, string>>,
  buckets: readonly number[],
  phases: readonly HistogramPhase[],
  opts: HistogramOptions = {},
): InputSeries[] {
  for (const p of phases) {
    if (p.shares.length !== buckets.length + 1)
      throw new Error(`histogramSeries(${name}): ${p.shares.length} shares for ${buckets.length} buckets; give one per bucket plus +Inf`);
  }
  const le = (i: number) => {
    if (i === buckets.length) return "+Inf";
    const b = buckets[i];
    return opts.leStyle === "python" && Number.isInteger(b) ? `${b}.0` : String(b);
  };
  const cumulative = (shares: readonly number[], i: number) => shares.slice(0, i + 1).reduce((a, b) => a + b, 0);
  const out: InputSeries[] = [];
  for (let i = 0; i <= buckets.length; i++)
    out.push({
      series: seriesSelector(`${name}_bucket`, { ...labels, le: le(i) }),
      // +Inf holds every observation: exactly perMinute, not a float sum of shares.
      values: counterValues(
        phases.map((p) => ({ minutes: p.minutes, perMinute: i === buckets.length ? p.perMinute : p.perMinute * cumulative(p.shares, i) })),
        opts,
      ),
    });
  out.push({ series: seriesSelector(`${name}_count`, labels), values: counterValues(phases, opts) });
  out.push({
    series: seriesSelector(`${name}_sum`, labels),
    values: counterValues(phases.map((p) => ({ minutes: p.minutes, perMinute: p.perMinute * (p.mean ?? 0) })), opts),
  });
  return out;
}

/** Shares over `buckets` (+Inf last) with `placed[bound]` in the bin whose upper bound is `bound` ("+Inf" allowed), 0 elsewhere. */
export function sharesAt(buckets: readonly number[], placed: Readonly<Record<string, number>>): number[] {
  const shares = [...buckets.map((b) => placed[String(b)] ?? 0), placed["+Inf"] ?? 0];
  const sum = shares.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`sharesAt: shares sum to ${sum}, not 1`);
  return shares;
}
