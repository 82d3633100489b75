/** Small statistics and formatting helpers for the benchmark report. */

export const min = (xs: readonly number[]) => Math.min(...xs);
export const max = (xs: readonly number[]) => Math.max(...xs);
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Ratio of each interleaved pair (a[i] / b[i]): how far single pairs scatter around the ratio of
 * the medians, so a reader can tell a margin from noise.
 */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`pairedRatios: ${a.length} runs against ${b.length}`);
  return a.map((x, i) => x / b[i]);
}

export const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const msf = (ms: number) => `${ms.toFixed(0)} ms`;
export const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
export function bytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}
export const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)} %`;
export const ratio = (x: number) => `${x.toFixed(2)}x`;
