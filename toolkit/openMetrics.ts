/**
 * Series as an OpenMetrics file with timestamps, the input of `promtool tsdb create-blocks-from
 * openmetrics`: one line per sample, series after series (promtool wants each series' samples in
 * time order), then `# EOF`. Streamed to disk, so memory stays flat whatever the size.
 */
import { createWriteStream } from "node:fs";
import { seriesSelector } from "./exposition";

export interface OpenMetricsStats {
  readonly series: number;
  readonly samples: number;
  readonly bytes: number;
}

/** A sample: Unix seconds and value; a NaN value is no sample. */
export type Sample = readonly [seconds: number, value: number];

const fmt = (x: number) => String(Number(x.toPrecision(15)));

/** Writes every sample `samplesOf` gives for each series, in the order given. */
export async function writeOpenMetrics<S extends { readonly name: string; readonly labels: Readonly<Record<string, string>> }>(
  file: string,
  series: readonly S[],
  samplesOf: (s: S) => Iterable<Sample>,
): Promise<OpenMetricsStats> {
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
  let buf: string[] = [];
  for (const s of series) {
    const prefix = `${seriesSelector(s.name, s.labels)} `;
    for (const [t, v] of samplesOf(s)) {
      if (Number.isNaN(v)) continue;
      buf.push(`${prefix}${fmt(v)} ${t}\n`);
      samples++;
    }
    if (buf.length > 20000) {
      await write(buf.join(""));
      buf = [];
    }
  }
  buf.push("# EOF\n");
  await write(buf.join(""));
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { series: series.length, samples, bytes };
}
