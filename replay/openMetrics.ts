/**
 * Series as OpenMetrics text with timestamps, the input of `promtool tsdb create-blocks-from
 * openmetrics`. promtool cuts blocks of 2 hours and re-reads the whole input for every block it
 * writes, so the text comes one file per 2-hour block: each file is read once.
 */
import type { Series } from "./seriesBook";
import { seriesSelector } from "./promtoolInput";

/** TSDB block length promtool uses when backfilling, aligned to the Unix epoch. */
export const BLOCK_SECONDS = 2 * 3600;

export interface MinuteRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The minutes that get a sample: every `coarseEvery` minutes, and every minute inside `dense`.
 * Long replays keep old data coarse (a scrape every 15 minutes is plenty for 1h windows a week
 * back) and sample every minute where queries read short windows.
 */
export function sampleMinutes(totalMinutes: number, coarseEvery: number, dense: readonly MinuteRange[]): number[] {
  const out: number[] = [];
  for (let m = 0; m <= totalMinutes; m++) if (m % coarseEvery === 0 || dense.some((r) => m >= r.from && m <= r.to)) out.push(m);
  return out;
}

const fmt = (x: number) => String(Number(x.toPrecision(15)));

export interface OpenMetricsBlock {
  /** Unix seconds of the block's start (a multiple of BLOCK_SECONDS). */
  readonly blockStart: number;
  readonly text: string;
}

/**
 * One OpenMetrics text per 2-hour block holding samples, series after series (each series' samples
 * in time order), ending with `# EOF`. `startSeconds` is the Unix time of minute 0.
 */
export function* openMetricsBlocks(series: readonly Series[], startSeconds: number, minutes: readonly number[]): Generator<OpenMetricsBlock> {
  const byBlock = new Map<number, number[]>();
  for (const m of minutes) {
    const block = Math.floor((startSeconds + m * 60) / BLOCK_SECONDS) * BLOCK_SECONDS;
    const list = byBlock.get(block) ?? [];
    list.push(m);
    byBlock.set(block, list);
  }
  const selectors = series.map((s) => seriesSelector(s.name, s.labels));
  for (const [blockStart, blockMinutes] of [...byBlock.entries()].sort(([a], [b]) => a - b)) {
    const lines: string[] = [];
    series.forEach((s, i) => {
      for (const m of blockMinutes) {
        const v = s.values[m];
        if (!Number.isNaN(v)) lines.push(`${selectors[i]} ${fmt(v)} ${startSeconds + m * 60}`);
      }
    });
    if (lines.length > 0) yield { blockStart, text: `${lines.join("\n")}\n# EOF\n` };
  }
}
