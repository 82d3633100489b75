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

/** Samples (NaN = missing) in expanding notation: one segment per run of missing samples or of equal steps. */
export function compactValues(samples: ArrayLike<number>): string {
  const out: string[] = [];
  const n = samples.length;
  let i = 0;
  while (i < n) {
    if (Number.isNaN(samples[i])) {
      let k = 1;
      while (i + k < n && Number.isNaN(samples[i + k])) k++;
      out.push(k === 1 ? "_" : `_x${k}`);
      i += k;
      continue;
    }
    if (i + 1 >= n || Number.isNaN(samples[i + 1])) {
      out.push(fmt(samples[i]));
      i++;
      continue;
    }
    const d = samples[i + 1] - samples[i];
    const tolerance = 1e-9 * Math.max(1, Math.abs(samples[i]));
    let k = 1;
    while (i + k + 1 < n && !Number.isNaN(samples[i + k + 1]) && Math.abs(samples[i + k + 1] - samples[i + k] - d) <= tolerance) k++;
    if (k === 1) {
      // Two samples with no run: write the first alone, the next starts a new segment.
      out.push(fmt(samples[i]));
      i++;
      continue;
    }
    out.push(d === 0 ? `${fmt(samples[i])}x${k}` : `${fmt(samples[i])}${d < 0 ? "-" : "+"}${fmt(Math.abs(d))}x${k}`);
    i += k + 1;
  }
  return out.join(" ");
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
