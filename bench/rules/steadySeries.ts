/**
 * The series of one service for the rule-evaluation benchmark: every series the replay's seeded
 * generator (replay/generate.ts) emits for a quarter hour of the service's healthy traffic,
 * continued at those minutes' average rates as a function of the clock. The backfill and the live
 * scrape target then agree at any instant, however far back the rules read, without generating
 * days of minutes.
 */
import { generateSeries } from "../../replay/generate";
import { healthyState } from "../../replay/healthy";
import { DEFAULT_SEED } from "../../replay/scenario";
import type { ServiceModel } from "../../service/model";

export interface SeriesSpec {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Counters grow by `perMinute` each minute; gauges hold `level`. */
  readonly perMinute?: number;
  readonly level?: number;
  /**
   * Offsets the rules read this series at (drift baselines a week back, the cache hit ratio a day
   * back): the backfill adds an hour around each.
   */
  readonly offsets: readonly string[];
}

/** Minutes generated to measure each series' rate. */
const SAMPLE_MINUTES = 15;
/** Where the sampled minutes start: the afternoon peak of the healthy daily cycle. */
const FIRST_MINUTE = 14 * 60;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Offsets the generated rules read each series name at. */
function offsetsByName(model: ServiceModel): Map<string, readonly string[]> {
  const m = model.metrics;
  const out = new Map<string, readonly string[]>();
  for (const h of [m.genAiTokenUsage, m.embeddingDrift, m.predictionScore, m.featureValue])
    for (const suffix of ["_bucket", "_count", "_sum"]) out.set(`${h.name}${suffix}`, [model.drift.baselineOffset]);
  out.set(m.cacheRequests.name, ["1d"]);
  return out;
}

/** Every series the service exports. */
export function serviceSeries(model: ServiceModel, seed = DEFAULT_SEED): SeriesSpec[] {
  const offsets = offsetsByName(model);
  const sampled = generateSeries(model, { seed, minutes: SAMPLE_MINUTES, stateAt: (minute) => healthyState(model, FIRST_MINUTE + minute, seed) });
  return sampled.flatMap((s): SeriesSpec[] => {
    const present = [...s.values].map((v, minute) => ({ v, minute })).filter((x) => !Number.isNaN(x.v));
    if (present.length === 0) return [];
    const first = present[0];
    const last = present[present.length - 1];
    const base = { name: s.name, labels: s.labels, offsets: offsets.get(s.name) ?? [] };
    if (s.kind === "gauge") return [{ ...base, level: last.v }];
    return [{ ...base, perMinute: last.minute > first.minute ? round2((last.v - first.v) / (last.minute - first.minute)) : 0 }];
  });
}

/** Value of a series at unix time `t` (seconds); counters count from `origin`. */
export function seriesValue(s: SeriesSpec, t: number, origin: number): number {
  return s.perMinute !== undefined ? Math.round(((s.perMinute * (t - origin)) / 60) * 100) / 100 : s.level ?? 0;
}
