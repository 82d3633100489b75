/**
 * The benchmark's synthetic history: the last `historyMinutes`, plus an hour around each offset the
 * rules compare against (drift baselines, cache hit ratio a day ago) for the series they read
 * there, written as one OpenMetrics file and turned into TSDB blocks by promtool.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { durationSeconds } from "../../alerts/promql";
import { runBounded } from "../../toolkit/childProcess";
import { writeOpenMetrics, type OpenMetricsStats, type Sample } from "../../toolkit/openMetrics";
import { PROMTOOL_BIN } from "../../toolkit/prometheusServer";
import { seriesValue, type SeriesSpec } from "./steadySeries";

export interface BackfillWindow {
  /** Unix seconds, inclusive. */
  readonly from: number;
  /** Unix seconds, inclusive. */
  readonly to: number;
  /** Which series get samples in this window. */
  readonly only?: (s: SeriesSpec) => boolean;
  /** What the window is for, in reports. */
  readonly label?: string;
}

export interface Backfill {
  readonly stats: OpenMetricsStats;
  readonly seconds: number;
  readonly windows: readonly BackfillWindow[];
  /** Unix seconds of the last backfilled step. */
  readonly now: number;
}

/** A Prometheus duration in minutes, e.g. 7d -> 10080. */
const minutesOf = (d: string) => durationSeconds(d) / 60;

/** The windows to backfill, oldest last; samples at `step` seconds. */
export function backfillWindows(series: readonly SeriesSpec[], historyMinutes: number, step: number): { now: number; windows: BackfillWindow[] } {
  const now = Math.floor(Date.now() / 1000 / step) * step - step;
  const offsets = [...new Set(series.flatMap((s) => s.offsets))].filter((d) => minutesOf(d) > historyMinutes);
  const windows: BackfillWindow[] = [
    { from: now - historyMinutes * 60, to: now },
    ...offsets.map((d) => ({ from: now - (minutesOf(d) + 65) * 60, to: now - (minutesOf(d) - 5) * 60, only: (s: SeriesSpec) => s.offsets.includes(d), label: d })),
  ];
  return { now, windows };
}

/** Each series' samples over the windows, in time order; counters count from `origin` (unix seconds). */
function* windowSamples(s: SeriesSpec, windows: readonly BackfillWindow[], step: number, origin: number): Generator<Sample> {
  for (const w of [...windows].sort((a, b) => a.from - b.from)) {
    if (w.only && !w.only(s)) continue;
    for (let t = w.from; t <= w.to; t += step) yield [t, seriesValue(s, t, origin)];
  }
}

/** Writes the history into `dataDir` as TSDB blocks. */
export async function backfillHistory(
  dir: string,
  dataDir: string,
  o: { readonly series: readonly SeriesSpec[]; readonly historyMinutes: number; readonly step: number; readonly origin: number; readonly log: (l: string) => void },
): Promise<Backfill> {
  const { now, windows } = backfillWindows(o.series, o.historyMinutes, o.step);
  const input = join(dir, "series.om");
  const t0 = Date.now();
  const stats = await writeOpenMetrics(input, o.series, (s) => windowSamples(s, windows, o.step, o.origin));
  const writeSeconds = (Date.now() - t0) / 1000;
  // One pass over the input per block range: make the range cover every window.
  const args = ["tsdb", "create-blocks-from", "openmetrics", "--quiet", "--max-block-duration=500h", input, dataDir];
  await runBounded(PROMTOOL_BIN, args, { timeoutMs: 300_000, keepChars: 4000 });
  rmSync(input);
  const seconds = (Date.now() - t0) / 1000;
  o.log(`backfill: ${stats.series} series, ${(stats.samples / 1e6).toFixed(2)} M samples, ${(stats.bytes / 1e6).toFixed(0)} MB OpenMetrics written in ${writeSeconds.toFixed(1)} s, blocks in ${(seconds - writeSeconds).toFixed(1)} s`);
  return { stats, seconds, windows, now };
}
