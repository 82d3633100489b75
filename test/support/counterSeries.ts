/**
 * promtool `input_series` notation for a counter whose rate changes over time: from the increase
 * per step, compact `start+incrementxN` segments (one per run of equal increments), written by
 * the replay harness's own encoder.
 */
import { compactValues } from "../../replay/promtoolInput";

export function counterValues(increments: readonly number[]): string {
  const samples = [0];
  for (const inc of increments) samples.push(samples[samples.length - 1] + inc);
  return compactValues(samples);
}
