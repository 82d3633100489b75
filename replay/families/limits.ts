/**
 * What a member that misses its ticket lead holds when the ticket was due, against the same
 * statistic over the service's healthy months: whether any detector could have ticketed it in time
 * without ticketing healthy traffic, or whether the rules left evidence unused.
 *
 * The deadline is the last minute a ticket meets the target (the threshold crossing less the lead
 * asked). At it, each statistic compares the member's SLI (and, for a latency SLO, its mean latency)
 * with the same hours a day earlier, as the early-warning tickets do, but with everything a
 * detector may read: the raw counts over the whole window, no median, no hold, no floor. The same
 * statistic runs over every healthy month of the service; each time it rises to the member's value
 * is a ticket a detector that sensitive would have raised on healthy traffic.
 */
import { serviceRuleGroups } from "../../alerts";
import { SLO_RULE } from "../../alerts/conventions";
import { EARLY_WARNING, LATENCY_RULE } from "../../alerts/earlyWarning";
import { REPLAY_ENVIRONMENT } from "../promtoolScenario";
import { scenarioSeries, WARM_UP_MINUTES } from "../scenario";
import { recordingsFor } from "../simulate/components";
import { lastEvaluation, stepMinutes } from "../simulate/probes";
import { evaluateByRanges } from "../simulate/rangeEval";
import { MINUTES_PER_DAY } from "../healthy";
import { noCache, sha256, type SimulationCache } from "../simulate/cache";
import { familyTargets, type FamilyScenario } from "./family";
import { familyCacheKey } from "./measure";

/** One statistic at a member's deadline and over the healthy months. */
export interface DeadlineStatistic {
  readonly what: string;
  /** The member's value at the deadline. */
  readonly atDeadline: number;
  /** Highest value over the healthy months (after their first day), and the month it came from. */
  readonly healthyMax: number;
  readonly healthyMaxMonth: string;
  /** How many times, over all the healthy months, the statistic rose to the member's value. */
  readonly healthyReaches: number;
  /** The months where it did, and how many times each. */
  readonly monthsReaching: readonly { readonly month: string; readonly times: number }[];
  /** Values are z-scores (`z`) or ratios (`x`). */
  readonly unit: "z" | "x";
}

export interface DeadlineEvidence {
  readonly member: FamilyScenario;
  /** Minutes from the incident start. */
  readonly deadline: number;
  readonly months: number;
  readonly statistics: readonly DeadlineStatistic[];
}

/** Per 5-minute evaluation: the SLI's bad and total events, and the mean latency of the last hour (NaN where none). */
export interface RecordedSli {
  readonly stepMinutes: number;
  readonly bad: Float64Array;
  readonly total: Float64Array;
  readonly meanLatency: Float64Array;
}

const sum = (a: Float64Array, from: number, to: number) => {
  let x = 0;
  for (let i = Math.max(0, from); i < to; i++) if (!Number.isNaN(a[i])) x += a[i];
  return x;
};

/**
 * Poisson deviations over the day-earlier share at which a 5-minute bad count is capped: blips are
 * cut, a creep's counts are not. The forecast's day-over-day share caps as many deviations over
 * its 6 h median level instead (a rule cannot wait a day to know the day-earlier share).
 */
export const BLIP_CAP_DEVIATIONS = EARLY_WARNING.blipCapDeviations;

/**
 * The bad share of the `windowSteps` evaluations ending at `i` against the same evaluations a day
 * earlier, in standard errors of their difference (`(p1 - p0) / sqrt(p1/n1 + p0/n0)`): NaN before a
 * day and a window of history, or where either window saw no events. With `capDeviations`, each
 * 5-minute bad count of both windows is first capped at what the day-earlier window's share makes
 * likely (`np + k·sqrt(np) + 1`).
 */
function windowZ(d: RecordedSli, i: number, windowSteps: number, capDeviations?: number): number {
  const day = MINUTES_PER_DAY / d.stepMinutes;
  if (i - day - windowSteps + 1 < 0) return NaN;
  const [now, then] = [i - windowSteps + 1, i - day - windowSteps + 1];
  const n1 = sum(d.total, now, now + windowSteps);
  const n0 = sum(d.total, then, then + windowSteps);
  if (!(n1 > 0 && n0 > 0)) return NaN;
  const reference = sum(d.bad, then, then + windowSteps) / n0;
  const bad = (from: number) => {
    if (capDeviations === undefined) return sum(d.bad, from, from + windowSteps);
    let b = 0;
    for (let j = from; j < from + windowSteps; j++) {
      if (Number.isNaN(d.bad[j]) || Number.isNaN(d.total[j])) continue;
      const expected = d.total[j] * reference;
      b += Math.min(d.bad[j], expected + capDeviations * Math.sqrt(expected) + 1);
    }
    return b;
  };
  const p1 = bad(now) / n1;
  const p0 = bad(then) / n0;
  const se = Math.sqrt(p1 / n1 + p0 / n0);
  return se > 0 ? (p1 - p0) / se : 0;
}

/** The window's bad share against the same window a day earlier, from the raw counts. */
export const dayOverDayZ = (d: RecordedSli, i: number, windowSteps: number) => windowZ(d, i, windowSteps);

/**
 * `dayOverDayZ` with blips cut (each 5-minute count capped at `BLIP_CAP_DEVIATIONS`): a detector that
 * ignores short blips, as the early-warning tickets' medians do, but keeps the power of the whole window's counts.
 */
export const cappedDayOverDayZ = (d: RecordedSli, i: number, windowSteps: number) => windowZ(d, i, windowSteps, BLIP_CAP_DEVIATIONS);

/** The last hour's mean latency at `i` over the same hour a day earlier (NaN without both). */
export function dayOverDayLatency(d: RecordedSli, i: number): number {
  const j = i - MINUTES_PER_DAY / d.stepMinutes;
  return j >= 0 ? d.meanLatency[i] / d.meanLatency[j] : NaN;
}

/** Highest value of `at(i)` for i in [from, n), and how many times it rose from below `level` to at or above it. */
export function reaches(at: (i: number) => number, from: number, n: number, level: number): { max: number; count: number } {
  let max = -Infinity;
  let count = 0;
  let above = false;
  for (let i = from; i < n; i++) {
    const v = at(i);
    if (Number.isNaN(v)) continue;
    if (v > max) max = v;
    const now = v >= level;
    if (now && !above) count++;
    above = now;
  }
  return { max, count };
}

/** A replay's recordings: every SLO's 5-minute rates and the latency means (one evaluation serves every SLO). */
type Recordings = Awaited<ReturnType<typeof evaluateByRanges>>;

/** Replays already evaluated, by scenario id: a service's healthy months serve each of its missed members. */
export type RecordingMemo = Map<string, Promise<Recordings>>;

function record(s: FamilyScenario, seed: number, memo: RecordingMemo): Promise<Recordings> {
  let r = memo.get(s.id);
  if (!r) {
    const groups = recordingsFor(serviceRuleGroups(s.service, { environment: REPLAY_ENVIRONMENT }), [
      SLO_RULE.errorRate("5m"),
      SLO_RULE.totalRate("5m"),
      LATENCY_RULE.requests.hour.mean,
      ...(s.service.stages.length > 0 ? [LATENCY_RULE.stages.hour.mean] : []),
    ]);
    const step = stepMinutes(s);
    memo.set(s.id, (r = evaluateByRanges(groups, scenarioSeries(s, seed), lastEvaluation(s) / step + 1, step * 60)));
  }
  return r;
}

/** The SLI's 5-minute counts and the latency means the statistics read, over a whole replay. */
export async function recordSli(s: FamilyScenario, sloName: string, seed: number, memo: RecordingMemo = new Map()): Promise<RecordedSli> {
  const slo = s.service.slos.find((x) => x.name === sloName);
  if (!slo) throw new Error(`${s.service.name} has no SLO ${sloName}`);
  const stage = slo.sli.kind === "latency" ? slo.sli.stage : undefined;
  const r = await record(s, seed, memo);
  const step = stepMinutes(s);
  const steps = lastEvaluation(s) / step + 1;
  const values = (name: string, keep: (l: Readonly<Record<string, string>>) => boolean, scale: number) => {
    const out = new Float64Array(steps).fill(NaN);
    const series = (r.recorded.get(name) ?? []).find((x) => keep(x.labels));
    for (const [t, v] of series?.values ?? []) out[Math.round(t / 60 / step)] = v * scale;
    return out;
  };
  const ofSlo = (l: Readonly<Record<string, string>>) => l.slo === sloName;
  const stageLabel = s.service.metrics.labels.stage;
  return {
    stepMinutes: step,
    // Rates per second over 5 minutes, evaluated every 5 minutes: each evaluation's events.
    bad: values(SLO_RULE.errorRate("5m"), ofSlo, 300),
    total: values(SLO_RULE.totalRate("5m"), ofSlo, 300),
    meanLatency: stage ? values(LATENCY_RULE.stages.hour.mean, (l) => l[stageLabel] === stage, 1) : values(LATENCY_RULE.requests.hour.mean, () => true, 1),
  };
}

/** Windows of the bad-share comparison: a quarter of a day and a whole day. */
const Z_WINDOWS_HOURS = [6, 24] as const;

/**
 * The evidence at a member's deadline against `months` (healthy months of the same service, same
 * seed); undefined for a member without a ticket lead before its crossing.
 */
export async function deadlineEvidence(member: FamilyScenario, months: readonly FamilyScenario[], seed: number, memo: RecordingMemo = new Map()): Promise<DeadlineEvidence | undefined> {
  const lead = familyTargets(member).ticketBeforeCrossing;
  const crossing = member.impact.crossing;
  const slo = member.slo;
  if (lead === undefined || crossing === undefined || !slo) return undefined;
  const deadline = crossing - lead;
  const m = await recordSli(member, slo.name, seed, memo);
  const at = Math.round((member.leadInMinutes + deadline) / m.stepMinutes);
  const healthy: RecordedSli[] = [];
  for (const h of months) healthy.push(await recordSli(h, slo.name, seed, memo));
  const statistic = (what: string, unit: "z" | "x", f: (d: RecordedSli, i: number) => number): DeadlineStatistic => {
    const atDeadline = f(m, at);
    let healthyMax = -Infinity;
    let healthyMaxMonth = "";
    let healthyReaches = 0;
    const monthsReaching: { month: string; times: number }[] = [];
    healthy.forEach((d, k) => {
      // After the first day (nothing to compare with) and the replays' warm-up.
      const from = Math.ceil((MINUTES_PER_DAY + WARM_UP_MINUTES) / d.stepMinutes);
      const r = reaches((i) => f(d, i), from, d.total.length, atDeadline);
      healthyReaches += r.count;
      if (r.count > 0) monthsReaching.push({ month: months[k].variant, times: r.count });
      if (r.max > healthyMax) [healthyMax, healthyMaxMonth] = [r.max, months[k].variant];
    });
    return { what, unit, atDeadline, healthyMax, healthyMaxMonth, healthyReaches, monthsReaching };
  };
  const statistics = Z_WINDOWS_HOURS.flatMap((h) => [
    statistic(`${slo.name} bad share, last ${h} h against the same ${h} h a day earlier`, "z", (d, i) => dayOverDayZ(d, i, (h * 60) / d.stepMinutes)),
    statistic(
      `the same, each 5 minutes' bad events capped at ${BLIP_CAP_DEVIATIONS} Poisson deviations over the day-earlier share (blips cut)`,
      "z",
      (d, i) => cappedDayOverDayZ(d, i, (h * 60) / d.stepMinutes),
    ),
  ]);
  if (slo.sli.kind === "latency")
    statistics.push(statistic(`mean latency${slo.sli.stage ? ` of the ${slo.sli.stage} stage` : ""}, last hour against the same hour a day earlier`, "x", dayOverDayLatency));
  return { member, deadline, months: months.length, statistics };
}

/** Bump when the statistics or their meaning change. */
const LIMITS_FORMAT = 3;

/** `deadlineEvidence`, kept in `cache` under the member's and the months' keys (their rules, code, seed and engines). */
export async function cachedDeadlineEvidence(
  member: FamilyScenario,
  months: readonly FamilyScenario[],
  seed: number,
  cache: SimulationCache,
  memo: RecordingMemo = new Map(),
): Promise<DeadlineEvidence | undefined> {
  const key = cache === noCache ? "" : sha256(JSON.stringify({ limits: LIMITS_FORMAT, member: familyCacheKey(member, seed), months: months.map((h) => familyCacheKey(h, seed)) }));
  const stored = key ? cache.get<Omit<DeadlineEvidence, "member">>(key) : undefined;
  if (stored) return { ...stored, member };
  const measured = await deadlineEvidence(member, months, seed, memo);
  if (key && measured) {
    const { member: _member, ...toStore } = measured;
    cache.set(key, toStore);
  }
  return measured;
}
