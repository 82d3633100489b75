/**
 * What a histogram observes, as a cumulative distribution over its buckets: latency and token
 * counts as mixtures of log-normals, scores and features as shares per bin. The generator turns a
 * distribution and an observation count into cumulative `_bucket` increments and a `_sum`.
 */

/** A distribution a histogram observes: the share at or under each bound, and the mean value. */
export interface Distribution {
  /** Share of observations at or under `bound` (non-decreasing, 1 at +Inf). */
  cdf(bound: number): number;
  /** Mean observed value, for `_sum`. */
  readonly mean: number;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error under 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

export interface LogNormalPart {
  /** Share of observations in this part (parts' weights sum to 1). */
  readonly weight: number;
  /** Median value (seconds, tokens...). */
  readonly median: number;
  /** Standard deviation of ln(value). */
  readonly sigma: number;
}

/** A mixture of log-normals, e.g. cache hits (fast) and misses (slow) of one stage. */
export function logNormalMixture(parts: readonly LogNormalPart[]): Distribution {
  return {
    cdf: (bound) => parts.reduce((s, p) => s + p.weight * normalCdf((Math.log(bound) - Math.log(p.median)) / p.sigma), 0),
    mean: parts.reduce((s, p) => s + p.weight * p.median * Math.exp((p.sigma * p.sigma) / 2), 0),
  };
}

export const logNormal = (median: number, sigma: number): Distribution => logNormalMixture([{ weight: 1, median, sigma }]);

/**
 * Shares per bin of a histogram with `buckets` (one share per finite bucket plus one for +Inf),
 * as a distribution. Values inside a bin are taken at its midpoint for the mean.
 */
export function binShares(buckets: readonly number[], shares: readonly number[]): Distribution {
  if (shares.length !== buckets.length + 1) throw new Error(`binShares: ${shares.length} shares for ${buckets.length} buckets; give one per bucket plus +Inf`);
  const total = shares.reduce((a, b) => a + b, 0);
  const norm = shares.map((s) => s / total);
  const cumulative = norm.map((_, i) => norm.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const mid = (i: number) => (i === 0 ? buckets[0] / 2 : i < buckets.length ? (buckets[i - 1] + buckets[i]) / 2 : buckets[buckets.length - 1] * 1.5);
  return {
    cdf: (bound) => {
      if (bound === Number.POSITIVE_INFINITY) return 1;
      const i = buckets.indexOf(bound);
      if (i < 0) throw new Error(`binShares: ${bound} is not one of the buckets ${buckets.join(", ")}`);
      return Math.min(1, cumulative[i]);
    },
    mean: norm.reduce((s, x, i) => s + x * mid(i), 0),
  };
}

/**
 * `n` observations of `dist` spread over the bins of `buckets` (+Inf last) by a multinomial draw:
 * the sampling noise real traffic has (PSI between two healthy hours of N observations is about
 * (bins − 1) · 2/N, not 0).
 */
export function drawBins(n: number, dist: Distribution, buckets: readonly number[], draw: (n: number, p: number) => number): number[] {
  const counts: number[] = [];
  let left = n;
  let below = 0;
  let massLeft = 1;
  for (const b of buckets) {
    const cdf = Math.min(1, Math.max(below, dist.cdf(b)));
    const p = cdf - below;
    const k = left > 0 && massLeft > 0 ? draw(left, Math.min(1, p / massLeft)) : 0;
    counts.push(k);
    left -= k;
    massLeft -= p;
    below = cdf;
  }
  counts.push(left);
  return counts;
}

/** Mixes two share vectors: `(1 - w) * a + w * b`. */
export function mixShares(a: readonly number[], b: readonly number[], w: number): number[] {
  return a.map((x, i) => (1 - w) * x + w * b[i]);
}

/** Moves every bin's share `by` bins up (to larger values); what falls off the top stays in +Inf. */
export function shiftShares(shares: readonly number[], by: number): number[] {
  const out = shares.map(() => 0);
  shares.forEach((s, i) => (out[Math.min(shares.length - 1, i + by)] += s));
  return out;
}

/** A smooth single-peaked shape over `bins` bins (binomial weights), for features with no declared shape. */
export function bellShares(bins: number): number[] {
  const n = bins - 1;
  const weights = Array.from({ length: bins }, (_, k) => binomialCoefficient(n, k));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

function binomialCoefficient(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * Score shares over score buckets (0.1 … 1 and +Inf): `good` of the answers score above
 * `threshold`, spread over the bins above it (more near 1); the rest spread over the bins at or
 * under it (more near the threshold). `score_good` rules then read exactly `good`.
 */
export function scoreShares(buckets: readonly number[], threshold: number, good: number): number[] {
  const at = buckets.indexOf(threshold);
  if (at < 0) throw new Error(`scoreShares: threshold ${threshold} is not a bucket bound`);
  const shares = buckets.map(() => 0).concat([0]);
  const spread = (from: number, to: number, total: number, rising: boolean) => {
    const n = to - from + 1;
    const weights = Array.from({ length: n }, (_, i) => (rising ? i + 1 : n - i));
    const sum = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, i) => (shares[from + i] += (total * w) / sum));
  };
  spread(0, at, 1 - good, true);
  if (at + 1 <= buckets.length - 1) spread(at + 1, buckets.length - 1, good, true);
  else shares[buckets.length] += good;
  return shares;
}

/** Population stability index between two share vectors, clamped like the rules (1e-6). */
export function psi(now: readonly number[], base: readonly number[], epsilon = 1e-6): number {
  const c = (x: number) => Math.max(x, epsilon);
  return now.reduce((s, p, i) => s + (c(p) - c(base[i])) * Math.log(c(p) / c(base[i])), 0);
}
