/**
 * What the rules would read on a mature TSDB that the benchmark's does not hold. The backfill
 * covers the last hour (plus an hour around each offset the rules read), and recorded series exist
 * only since the rules were loaded, so a rule summing a week of recorded 5m rates reads a few
 * samples here and thousands in production. For every range selector of every rule, as generated:
 *
 *   samples a mature TSDB holds for it  = series it selects × window × samples per minute
 *   samples missing here                = series × (window − minutes of it the benchmark holds) × samples per minute
 *
 * Samples per minute: a raw series has one per backfill step (what the measured windows read,
 * too); a recorded series one per evaluation of the group that records it, at its declared
 * interval. Instant selectors (`x offset 1d`) read one sample per series and are left out.
 */
import { durationSeconds } from "../../alerts/promql";

/** A range selector of a rule: `name{matchers}[window] offset o`. */
export interface RangeSelector {
  /** `name{matchers}` as written in the rule. */
  readonly selector: string;
  readonly name: string;
  readonly windowSeconds: number;
  readonly offsetSeconds: number;
}

const RANGE = /([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^{}]*\})?\[(\d+[smhdw])\](?:\s+offset\s+(\d+[smhdw]))?/g;

/** Every range selector in a PromQL expression (the generators write no subqueries). */
export function rangeSelectors(expr: string): RangeSelector[] {
  return [...expr.matchAll(RANGE)].map((m) => ({
    selector: `${m[1]}${m[2] ?? ""}`,
    name: m[1],
    windowSeconds: durationSeconds(m[3]),
    offsetSeconds: m[4] ? durationSeconds(m[4]) : 0,
  }));
}

/** A span of time the benchmark's TSDB holds samples for, unix seconds. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

const overlap = (a: Span, b: Span) => Math.max(0, Math.min(a.to, b.to) - Math.max(a.from, b.from));

/** Seconds of `[at − offset − window, at − offset]` that none of `held` covers (held spans must not overlap). */
export function missingSeconds(s: RangeSelector, at: number, held: readonly Span[]): number {
  const need = { from: at - s.offsetSeconds - s.windowSeconds, to: at - s.offsetSeconds };
  return Math.max(0, s.windowSeconds - held.reduce((a, h) => a + overlap(need, h), 0));
}

export interface EstimateRule {
  readonly family: string;
  readonly name: string;
  /** Declared evaluation interval of the rule's group, seconds. */
  readonly intervalSeconds: number;
  readonly expr: string;
}

export interface HistorySource {
  /** Spans the benchmark holds for a raw series (backfill windows and live scrapes; they must not overlap). */
  readonly rawHeld: readonly Span[];
  /** Spans the benchmark holds for recorded series. */
  readonly recordedHeld: readonly Span[];
  /** Seconds between samples of a raw series in a mature TSDB. */
  readonly rawStepSeconds: number;
  /** Declared interval of the group recording a recorded series, seconds; undefined for a raw series. */
  readonly recordedEvery: (s: RangeSelector) => number | undefined;
  /** Series each selector matches now. */
  readonly seriesOf: (selectors: readonly string[]) => Promise<ReadonlyMap<string, number>>;
}

export interface MissingByRule {
  readonly family: string;
  readonly name: string;
  readonly rules: number;
  /** Samples per minute a mature TSDB would add, summed over the rule's instances at their declared intervals. */
  readonly samplesPerMinute: number;
}

/** Samples per minute the rules would read on a mature TSDB beyond what they read here, per rule name and family. */
export async function missingSamples(rules: readonly EstimateRule[], at: number, src: HistorySource): Promise<MissingByRule[]> {
  // Per rule, the selectors with history missing and how many samples of each series are missing.
  const gaps = rules.map((r) => ({
    r,
    gaps: rangeSelectors(r.expr).flatMap((s) => {
      const every = src.recordedEvery(s);
      const missing = missingSeconds(s, at, every === undefined ? src.rawHeld : src.recordedHeld);
      return missing > 0 ? [{ selector: s.selector, perSeries: missing / (every ?? src.rawStepSeconds) }] : [];
    }),
  }));
  const series = await src.seriesOf([...new Set(gaps.flatMap((g) => g.gaps.map((x) => x.selector)))]);
  const out = new Map<string, { family: string; name: string; rules: number; samplesPerMinute: number }>();
  for (const { r, gaps: gs } of gaps) {
    if (gs.length === 0) continue;
    const perEvaluation = gs.reduce((a, g) => a + (series.get(g.selector) ?? 0) * g.perSeries, 0);
    const key = `${r.family} ${r.name}`;
    const e = out.get(key) ?? { family: r.family, name: r.name, rules: 0, samplesPerMinute: 0 };
    e.rules++;
    e.samplesPerMinute += (perEvaluation * 60) / r.intervalSeconds;
    out.set(key, e);
  }
  return [...out.values()].filter((e) => e.samplesPerMinute > 0).sort((a, b) => b.samplesPerMinute - a.samplesPerMinute);
}
