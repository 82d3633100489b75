/**
 * Which replay minutes get a sample when a replay is backfilled into a real Prometheus, and how
 * they split into TSDB blocks. promtool cuts blocks of 2 hours and re-reads the whole input for
 * every block it writes, so the input comes one file per 2-hour block: each file is read once.
 */

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

export interface MinuteBlock {
  /** Unix seconds of the block's start (a multiple of BLOCK_SECONDS). */
  readonly blockStart: number;
  /** The sampled minutes inside the block, in order. */
  readonly minutes: readonly number[];
}

/** The sampled minutes by 2-hour block, in time order; `startSeconds` is the Unix time of minute 0. */
export function minuteBlocks(startSeconds: number, minutes: readonly number[]): MinuteBlock[] {
  const byBlock = new Map<number, number[]>();
  for (const m of minutes) {
    const block = Math.floor((startSeconds + m * 60) / BLOCK_SECONDS) * BLOCK_SECONDS;
    const list = byBlock.get(block) ?? [];
    list.push(m);
    byBlock.set(block, list);
  }
  return [...byBlock.entries()].sort(([a], [b]) => a - b).map(([blockStart, blockMinutes]) => ({ blockStart, minutes: blockMinutes }));
}
