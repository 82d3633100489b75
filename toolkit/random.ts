/**
 * The seeded random source of the synthetic-series generator (replay/generate.ts) and the bench's
 * generated services: mulberry32 (32-bit state, period 2^32, good enough for traffic noise) plus
 * the draws the generator needs. Never Math.random: the same seed must give the same series, byte
 * for byte, on every machine.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box–Muller). */
  gaussian(): number;
  /** Events in a minute when `mean` are expected (Poisson; normal approximation above 30). */
  poisson(mean: number): number;
  /** Successes among `n` trials of probability `p`. */
  binomial(n: number, p: number): number;
}

/** mulberry32: Tommy Ettinger's 32-bit generator, as commonly published. Numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a string (FNV-1a), so each series or scenario part can have its own stream. */
export function seedOf(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("\u0000")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  let spare: number | undefined;
  const gaussian = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const poisson = (mean: number) => {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
    // Knuth: multiply uniforms until the product drops under e^-mean.
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  const binomial = (n: number, p: number) => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const mean = n * p;
    if (mean < 30 && p < 0.1) return Math.min(n, poisson(mean));
    const sd = Math.sqrt(mean * (1 - p));
    return Math.min(n, Math.max(0, Math.round(mean + sd * gaussian())));
  };
  return { next, gaussian, poisson, binomial };
}
