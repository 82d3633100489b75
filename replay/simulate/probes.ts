/**
 * What a simulation asks promtool, as probes (replay/promtoolRun.ts: tests whose expected sample
 * never matches, so promtool prints what it got), and how the answers are read back:
 *
 * - firing history: for each alert, whether it was firing at every evaluation. One probe covers
 *   `CHUNK` evaluations: a subquery sums `2^k` over the evaluations k it was firing at, which a
 *   float holds exactly (promtool prints the shortest exact form), so a 30-day replay at 5 minutes
 *   needs 173 probes, not 8,640;
 * - the SLI of each SLO (its 1-hour error ratio), sampled for the timeline.
 */
import { SLO_RULE } from "../../alerts/conventions";
import { durationSeconds } from "../../alerts/promql";
import { probe, probeResults, type PromqlExprTest } from "../promtoolRun";
import { totalMinutes, type Scenario } from "../scenario";

/** Evaluations one firing probe covers (bits 0..CHUNK: 2^51 is exact in a float64). */
const CHUNK = 50;
/** Points of the SLI timeline, at most. */
const SLI_POINTS = 120;
/** The SLI window the timeline and the impact time read. */
export const SLI_RECORD = SLO_RULE.errorRatio("1h");

export const stepMinutes = (s: Scenario) => durationSeconds(s.evaluationInterval) / 60;
/** The last evaluation of the replay, minutes. */
export const lastEvaluation = (s: Scenario) => Math.floor(totalMinutes(s) / stepMinutes(s)) * stepMinutes(s);

export interface FiringHistory {
  readonly alert: string;
  readonly severity: string;
  /** Firing at evaluation i (minute i × step). */
  readonly firing: readonly boolean[];
}

function firingExpr(chunkEnd: number, step: number): string {
  const start = (chunkEnd - CHUNK * step) * 60;
  const firing = `max by (alertname, severity) (ALERTS{alertstate="firing"})`;
  return `sum_over_time((${firing} * 2 ^ ((time() - ${start}) / ${step * 60}))[${CHUNK * step}m:${step}m])`;
}

/** Chunk ends covering evaluations 0 … last. */
function chunkEnds(s: Scenario): number[] {
  const step = stepMinutes(s);
  const ends: number[] = [];
  for (let end = CHUNK * step; ; end += CHUNK * step) {
    ends.push(end);
    if (end >= lastEvaluation(s)) return ends;
  }
}

export function firingProbes(s: Scenario): PromqlExprTest[] {
  return chunkEnds(s).map((end) => probe(firingExpr(end, stepMinutes(s)), `${end}m`));
}

/** Minutes the SLI is sampled at: evenly, on evaluations. */
export function sliMinutes(s: Scenario): number[] {
  const step = stepMinutes(s);
  const every = Math.max(step, Math.ceil(totalMinutes(s) / SLI_POINTS / step) * step);
  const out: number[] = [];
  for (let m = every; m <= lastEvaluation(s); m += every) out.push(m);
  return out;
}

export const sliProbes = (s: Scenario): PromqlExprTest[] => sliMinutes(s).map((m) => probe(`${SLI_RECORD}`, `${m}m`));

/** Firing histories in report order: by alert name, then severity. */
export const byAlertAndSeverity = (a: FiringHistory, b: FiringHistory) => (a.alert < b.alert ? -1 : a.alert > b.alert ? 1 : a.severity < b.severity ? -1 : 1);

/** The firing history of every alert that fired, read from promtool's report. */
export function readFiring(s: Scenario, output: string): FiringHistory[] {
  const step = stepMinutes(s);
  const evaluations = lastEvaluation(s) / step + 1;
  const results = probeResults(output);
  const byAlert = new Map<string, FiringHistory & { firing: boolean[] }>();
  for (const end of chunkEnds(s)) {
    const expr = firingExpr(end, step);
    const got = results.get(expr);
    if (!got) throw new Error(`promtool reported nothing for the firing probe at ${end}m of ${s.id}:\n${output.slice(0, 2000)}`);
    const first = end / step - CHUNK;
    for (const g of got) {
      const key = `${g.labels.alertname}\u0000${g.labels.severity}`;
      let h = byAlert.get(key);
      if (!h) byAlert.set(key, (h = { alert: g.labels.alertname, severity: g.labels.severity ?? "", firing: new Array<boolean>(evaluations).fill(false) }));
      let bits = BigInt(Math.round(g.value));
      for (let k = 0; bits > 0n; k++, bits >>= 1n) if (bits & 1n && first + k >= 0 && first + k < evaluations) h.firing[first + k] = true;
    }
  }
  return [...byAlert.values()].sort(byAlertAndSeverity);
}

/** Minutes of a duration as Prometheus prints it (`2d3h5m`, `0s`). */
function promDurationMinutes(d: string): number {
  const unit: Record<string, number> = { y: 525600, w: 10080, d: 1440, h: 60, m: 1, s: 1 / 60, ms: 1 / 60000 };
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

export interface SliSeries {
  readonly slo: string;
  /** [minute, 1h error ratio]. */
  readonly points: readonly (readonly [number, number])[];
}

/** SLI points ([slo, minute, value]) as one timeline per SLO, SLOs and points in order. */
function sliTimelines(points: Iterable<readonly [string, number, number]>): SliSeries[] {
  const bySlo = new Map<string, [number, number][]>();
  for (const [slo, minute, value] of points) {
    let list = bySlo.get(slo);
    if (!list) bySlo.set(slo, (list = []));
    list.push([minute, value]);
  }
  return [...bySlo.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([slo, list]) => ({ slo, points: list.sort((a, b) => a[0] - b[0]) }));
}

/** The SLI timeline from what the SLI recording recorded at each evaluation (its `slo` label, finite values at `sliMinutes`). */
export function sliOf(s: Scenario, recorded: readonly { readonly labels: Readonly<Record<string, string>>; readonly values: readonly (readonly [number, number])[] }[]): SliSeries[] {
  const wanted = new Set(sliMinutes(s));
  const points: [string, number, number][] = [];
  for (const r of recorded) {
    const slo = r.labels.slo;
    if (slo === undefined) continue;
    for (const [seconds, value] of r.values) if (wanted.has(seconds / 60) && Number.isFinite(value)) points.push([slo, seconds / 60, value]);
  }
  return sliTimelines(points);
}

export function readSli(s: Scenario, output: string): SliSeries[] {
  const points: [string, number, number][] = [];
  const wanted = new Set(sliMinutes(s));
  // Probes share one expression, so their reports are told apart by eval time.
  for (const block of output.matchAll(/expr: ("(?:[^"\\]|\\.)*"), time: ([^,\n]*),?[^\n]*\n\s*exp: [^\n]*\n\s*got: ([^\n]*)/g)) {
    if (JSON.parse(block[1]) !== SLI_RECORD) continue;
    const minute = promDurationMinutes(block[2].trim());
    if (!wanted.has(minute)) continue;
    for (const s2 of block[3].matchAll(/\{([^}]*)\} ([-+0-9.eE]+|NaN|[-+]Inf)/g)) {
      const slo = /(?:^|, *)slo="((?:[^"\\]|\\.)*)"/.exec(s2[1])?.[1];
      const value = Number(s2[2]);
      if (slo === undefined || !Number.isFinite(value)) continue;
      points.push([slo, minute, value]);
    }
  }
  return sliTimelines(points);
}
