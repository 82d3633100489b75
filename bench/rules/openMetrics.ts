/**
 * Writes synthetic series as an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`:
 * one sample per step per series, series after series (each series' timestamps increase), then
 * `# EOF`. Streams to disk so memory stays flat whatever the size.
 */
import { createWriteStream } from "node:fs";
import { seriesValue, type SeriesSpec } from "./syntheticSeries";

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

export interface BackfillStats {
  readonly series: number;
  readonly samples: number;
  readonly bytes: number;
}

const labelText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");

/**
 * Writes every series over the windows at `stepSeconds`. Counters count from `origin` (unix
 * seconds), so the same series continues smoothly across windows.
 */
export async function writeOpenMetrics(file: string, series: readonly SeriesSpec[], windows: readonly BackfillWindow[], stepSeconds: number, origin: number): Promise<BackfillStats> {
  const out = createWriteStream(file);
  let failed: Error | undefined;
  out.on("error", (e) => (failed = e));
  let bytes = 0;
  let samples = 0;
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => {
      if (failed) return reject(failed);
      bytes += Buffer.byteLength(chunk);
      if (out.write(chunk)) resolve();
      else out.once("drain", resolve);
    });
  // Each series' samples must come in time order.
  const ordered = [...windows].sort((a, b) => a.from - b.from);
  let buf: string[] = [];
  for (const s of series) {
    const prefix = `${s.name}{${labelText(s.labels)}} `;
    for (const w of ordered) {
      if (w.only && !w.only(s)) continue;
      for (let t = w.from; t <= w.to; t += stepSeconds) {
        buf.push(`${prefix}${seriesValue(s, t, origin)} ${t}\n`);
        samples++;
      }
      if (buf.length > 20000) {
        await write(buf.join(""));
        buf = [];
      }
    }
  }
  buf.push("# EOF\n");
  await write(buf.join(""));
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { series: series.length, samples, bytes };
}
