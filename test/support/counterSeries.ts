/**
 * promtool `input_series` notation for a counter whose rate changes over time: from the increase
 * per step, emits compact `start+incrementxN` segments (one per run of equal increments).
 */
export function counterValues(increments: readonly number[]): string {
  const samples = [0];
  for (const inc of increments) samples.push(samples[samples.length - 1] + inc);
  return compressSamples(samples);
}

/** Compresses explicit samples into promtool's expanding notation. */
export function compressSamples(samples: readonly number[]): string {
  const segments: string[] = [];
  let i = 0;
  while (i < samples.length) {
    if (i === samples.length - 1) {
      segments.push(fmt(samples[i]));
      break;
    }
    const d = samples[i + 1] - samples[i];
    let k = 1;
    while (i + k + 1 < samples.length && Math.abs(samples[i + k + 1] - samples[i + k] - d) < 1e-9) k++;
    segments.push(`${fmt(samples[i])}${d < 0 ? "-" : "+"}${fmt(Math.abs(d))}x${k}`);
    i += k + 1;
  }
  return segments.join(" ");
}

const fmt = (x: number) => String(Number(x.toPrecision(12)));
