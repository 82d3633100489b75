/**
 * Series as promtool `input_series`, in its compact expanding notation (`a+bxn` is n+1 samples
 * a, a+b, …, a+n·b; `axn` n+1 samples of a; `_` a missing sample, `_xn` n of them), and the filter
 * that keeps only the series a rule file can read, so promtool loads no more than it needs.
 */
import { seriesSelector } from "../toolkit/exposition";
import type { Series } from "./seriesBook";

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

const fmt = (x: number) => String(Number(x.toPrecision(12)));

/** Text that promtool parses back to exactly `x`: 12 significant digits when they suffice. */
const exact = (x: number) => (Number(fmt(x)) === x ? fmt(x) : String(x));

/** How far a decoded sample may sit from the generated one: a billionth of its size (at least of 1). */
const tolerance = (x: number) => 1e-9 * Math.max(1, Math.abs(x));

/**
 * Whether a decoded step keeps the direction of the generated one: a value that held or grew must
 * not read lower (rate() would take a counter's dip for a reset), and one that held or fell must
 * not read higher.
 */
const keepsOrder = (prevSample: number, sample: number, prevDecoded: number, decoded: number) =>
  (sample < prevSample || decoded >= prevDecoded) && (sample > prevSample || decoded <= prevDecoded);

/**
 * Samples (NaN = missing) in expanding notation: one segment per run of missing samples or of equal
 * steps. Each sample decodes (as promtool's parser does: see expandValues) to within a billionth of
 * the generated value, and each step between present samples keeps its direction, so a counter that
 * never decreases is never read as reset. Rounding to 12 digits, or a run's accumulated step, could
 * otherwise write a counter a hair below its previous sample.
 */
export function compactValues(samples: ArrayLike<number>): string {
  const out: string[] = [];
  const n = samples.length;
  // The last present sample, as generated and as promtool will decode it.
  let prevSample = Number.NaN;
  let prevDecoded = Number.NaN;
  const fits = (sample: number, decoded: number, before = prevSample, beforeDecoded = prevDecoded) =>
    Math.abs(decoded - sample) <= tolerance(sample) && (Number.isNaN(before) || keepsOrder(before, sample, beforeDecoded, decoded));
  let i = 0;
  while (i < n) {
    if (Number.isNaN(samples[i])) {
      let k = 1;
      while (i + k < n && Number.isNaN(samples[i + k])) k++;
      out.push(k === 1 ? "_" : `_x${k}`);
      i += k;
      continue;
    }
    // The segment's first value: the sample at 12 digits; where that would turn the step from the
    // previous sample around, the previous decoded value (equal reads as no change), else the sample exactly.
    let start = Number(fmt(samples[i]));
    if (!fits(samples[i], start)) start = fits(samples[i], prevDecoded) ? prevDecoded : samples[i];
    // The longest run of equal steps whose every sample decodes within tolerance and in order,
    // accumulated in float64 as the parser does.
    let k = 0;
    let step = 0;
    let last = start;
    if (i + 1 < n && !Number.isNaN(samples[i + 1])) {
      const d = samples[i + 1] - samples[i];
      step = d === 0 ? 0 : Math.sign(d) * Number(fmt(Math.abs(d)));
      while (i + k + 1 < n && fits(samples[i + k + 1], last + step, samples[i + k], last)) {
        last += step;
        k++;
      }
    }
    if (k <= 1) {
      // No run (a run of one step is no shorter than two values): the first alone, the next starts a new segment.
      out.push(exact(start));
      prevSample = samples[i];
      prevDecoded = start;
      i++;
      continue;
    }
    out.push(step === 0 ? `${exact(start)}x${k}` : `${exact(start)}${step < 0 ? "-" : "+"}${fmt(Math.abs(step))}x${k}`);
    prevSample = samples[i + k];
    prevDecoded = last;
    i += k + 1;
  }
  return out.join(" ");
}

/**
 * Expanding notation back to samples (NaN = missing), as promtool's series parser reads it: a run
 * `a+bxn` is a, then b added n times in float64 (not a + i·b), so this is what rules will see.
 */
export function expandValues(values: string): number[] {
  return values
    .split(" ")
    .filter((seg) => seg !== "")
    .flatMap((seg) => {
      const blank = /^_(?:x(\d+))?$/.exec(seg);
      if (blank) return Array<number>(blank[1] ? Number(blank[1]) : 1).fill(Number.NaN);
      const m = /^(-?[0-9.]+(?:e[+-]?[0-9]+)?)(?:([+-])([0-9.]+(?:e[+-]?[0-9]+)?))?x(\d+)$/.exec(seg);
      if (!m) return [Number(seg)];
      const step = m[2] ? (m[2] === "-" ? -1 : 1) * Number(m[3]) : 0;
      const run: number[] = [];
      for (let v = Number(m[1]), j = 0; j <= Number(m[4]); j++, v += step) run.push(v);
      return run;
    });
}

export function toInputSeries(series: readonly Series[]): InputSeries[] {
  return series.filter((s) => s.values.some((v) => !Number.isNaN(v))).map((s) => ({ series: seriesSelector(s.name, s.labels), values: compactValues(s.values) }));
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What a rule file reads: series whose name appears as a selector (`name{`), and of histogram
 * buckets only the `le` values its selectors match (every rule selects buckets with an `le`
 * matcher; a selector without one keeps all buckets). Leaving out what no rule reads changes no
 * result and keeps promtool's input small.
 */
export function readByRules(ruleText: string): { readonly name: (seriesName: string) => boolean; readonly series: (s: Series) => boolean } {
  const selectors = new Map<string, string[] | undefined>();
  const selectorsOf = (seriesName: string): string[] => {
    let found = selectors.get(seriesName);
    if (!found) {
      const re = new RegExp(`(?:^|[^a-zA-Z0-9_:])${escapeRegex(seriesName)}\\{([^}]*)\\}`, "g");
      found = [...ruleText.matchAll(re)].map((m) => m[1]);
      selectors.set(seriesName, found);
    }
    return found;
  };
  const leMatches = (selector: string, le: string): boolean => {
    const m = /(?:^|,)\s*le\s*(=~|!=|!~|=)\s*"((?:[^"\\]|\\.)*)"/.exec(selector);
    if (!m) return true;
    const value = m[2].replace(/\\(.)/g, "$1");
    if (m[1] === "=") return le === value;
    if (m[1] === "!=") return le !== value;
    const full = new RegExp(`^(?:${value})$`).test(le);
    return m[1] === "=~" ? full : !full;
  };
  return {
    name: (seriesName) => selectorsOf(seriesName).length > 0,
    series: (s) => {
      const found = selectorsOf(s.name);
      if (found.length === 0) return false;
      const le = s.labels.le;
      return le === undefined || found.some((sel) => leMatches(sel, le));
    },
  };
}
