/**
 * What the evaluation would cost with full history: windows longer than the backfill, and every
 * window over a recorded series longer than the minutes since the rules were loaded, read samples
 * that do not exist in the benchmark's TSDB. Per rule as generated (./historyEstimate.ts), times
 * Prometheus's own marginal cost per sample.
 */
import type { PrometheusServer } from "../../toolkit/prometheusServer";
import type { Backfill } from "./backfill";
import { missingSamples, type RangeSelector } from "./historyEstimate";
import type { RuleEvalResult } from "./ruleEvalResult";
import type { RuleFiles } from "./ruleFiles";

/**
 * Marginal cost of a sample: the same series read over two window lengths, so per-series costs
 * (index, iterators) cancel out; interleaved, after a warm-up, best of five each. One query per
 * histogram name: across names, two bucket series can differ only by name, which
 * count_over_time drops, and Prometheus refuses a result with two equal label sets.
 */
async function nsPerSample(server: PrometheusServer, bucketNames: readonly string[], historyMinutes: number, log: (l: string) => void): Promise<number> {
  const windowsToCompare = ["5m", `${historyMinutes - 5}m`];
  const best = windowsToCompare.map(() => ({ samples: Number.NaN, seconds: Number.POSITIVE_INFINITY }));
  for (let i = 0; i < 6; i++)
    for (const [k, w] of windowsToCompare.entries()) {
      const st = { samples: 0, seconds: 0 };
      for (const name of bucketNames) {
        const one = await server.queryStats(`sum(count_over_time(${name}[${w}]))`);
        st.samples += one.samples;
        st.seconds += one.seconds;
      }
      if (i > 0 && st.seconds < best[k].seconds) best[k] = st;
    }
  const [short, long] = best;
  const ns = ((long.seconds - short.seconds) * 1e9) / (long.samples - short.samples);
  log(`sample cost: ${short.samples} samples in ${(short.seconds * 1000).toFixed(1)} ms, ${long.samples} in ${(long.seconds * 1000).toFixed(1)} ms: ${ns.toFixed(1)} ns per sample`);
  return ns;
}

/** Series each selector selects, a few instant counts at a time (each a few milliseconds). */
async function seriesCounts(server: PrometheusServer, selectors: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const queue = [...selectors];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let sel = queue.pop(); sel !== undefined; sel = queue.pop()) {
        const r = await server.vector(`count(${sel})`);
        counts.set(sel, r.length ? Number(r[0].value[1]) : 0);
      }
    }),
  );
  return counts;
}

export interface EstimateOptions {
  /** Names of the backfilled histogram bucket series. */
  readonly bucketNames: readonly string[];
  readonly historyMinutes: number;
  /** Seconds between backfilled samples. */
  readonly step: number;
  readonly intervalCapSeconds: number;
  /** Unix ms when the rules were loaded. */
  readonly rulesLoadedAt: number;
  readonly log: (l: string) => void;
}

export async function estimateFullHistory(server: PrometheusServer, files: RuleFiles, backfill: Backfill, o: EstimateOptions): Promise<RuleEvalResult["fullHistoryEstimate"]> {
  const ns = await nsPerSample(server, o.bucketNames, o.historyMinutes, o.log);
  if (!Number.isFinite(ns) || ns <= 0) return undefined;
  const at = Date.now() / 1000;
  const serviceOf = (sel: string) => /[{,]service="([^"]*)"/.exec(sel)?.[1];
  const every = (sel: RangeSelector) => (files.recordedNames.has(sel.name) ? files.recordedEvery.get(`${serviceOf(sel.selector)}|${sel.name}`) ?? o.intervalCapSeconds : undefined);
  const missing = await missingSamples(files.estimateRules, at, {
    rawHeld: backfill.windows.map((w, i) => ({ from: w.from, to: i === 0 ? at : w.to })),
    recordedHeld: [{ from: o.rulesLoadedAt / 1000, to: at }],
    rawStepSeconds: o.step,
    recordedEvery: every,
    seriesOf: (selectors) => seriesCounts(server, selectors),
  });
  const total = missing.reduce((a, e) => a + e.samplesPerMinute, 0);
  const byFamily: Record<string, number> = {};
  for (const e of missing) byFamily[e.family] = (byFamily[e.family] ?? 0) + (e.samplesPerMinute * ns) / 1e9;
  o.log(`full history: ${(total / 1e6).toFixed(2)} M more samples per minute, ${((total * ns) / 1e9).toFixed(2)} s per minute`);
  return { nsPerSample: ns, missingSamplesPerMinute: total, extraSecondsPerMinute: (total * ns) / 1e9, byFamily, rules: missing.slice(0, 10), rawStepSeconds: o.step };
}
