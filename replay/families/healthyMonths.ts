/**
 * Healthy families: 30 days of traffic a healthy service really has, each on top of the daily cycle
 * and noise of replay/healthy.ts, and all of them together. No page may fire, and at most one
 * ticket per service per month, across every family.
 *  - weekly: weekends carry 60% of a weekday's traffic;
 *  - blips: three 5-minute error blips a day (20x the tightest availability SLO's allowed error
 *    ratio: a fifth of the month's budget in all) and one 10-minute latency blip (one stage, or
 *    every request, twice as slow);
 *  - peak-bumps: latency 25% higher in the afternoon peak;
 *  - deploys: a rolling restart every day at 10:00 (each replica down 2 minutes, its memory and
 *    cache warming up for the next hour);
 *  - growth: traffic triples over the month;
 *  - quiet-nights: from midnight to 06:00 traffic falls to 15% of the daily mean;
 *  - all: every one of the above at once.
 */
import type { ServiceModel } from "../../service/model";
import { createRandom, seedOf } from "../../toolkit/random";
import { MINUTES_PER_DAY, dailyFactor } from "../healthy";
import { mapReplicas, type Latency, type MinuteState } from "../traffic";
import { days, type FamilyScenario } from "./family";

type Trait = (state: MinuteState, minute: number, model: ServiceModel, seed: number) => MinuteState;
const DEPLOY_MINUTE = 10 * 60;

const scaleLoad = (s: MinuteState, f: number): MinuteState => ({ ...s, requestsPerMinute: s.requestsPerMinute * f });
const slower = (l: Latency, f: number): Latency => l.map((p) => ({ ...p, median: p.median * f }));

function allLatency(s: MinuteState, f: number): MinuteState {
  return {
    ...s,
    latency: slower(s.latency, f),
    stages: Object.fromEntries(Object.entries(s.stages).map(([k, v]) => [k, { ...v, latency: slower(v.latency, f) }])),
  };
}

const weekly: Trait = (s, minute) => (Math.floor(minute / MINUTES_PER_DAY) % 7 >= 5 ? scaleLoad(s, 0.6) : s);

/** 20x the allowed error ratio of the service's tightest availability SLO (2% without one). */
function blipErrorShare(model: ServiceModel): number {
  const allowed = model.slos.filter((s) => s.sli.kind === "availability").map((s) => 1 - s.objective);
  return allowed.length ? 20 * Math.min(...allowed) : 0.02;
}

const blips: Trait = (s, minute, model, seed) => {
  const day = Math.floor(minute / MINUTES_PER_DAY);
  const at = minute % MINUTES_PER_DAY;
  const rnd = createRandom(seedOf(seed, model.name, "blips", day));
  const errorStarts = [rnd.next(), rnd.next(), rnd.next()].map((x) => Math.floor(x * (MINUTES_PER_DAY - 5)));
  const latencyStart = Math.floor(rnd.next() * (MINUTES_PER_DAY - 10));
  let out = s;
  if (errorStarts.some((b) => at >= b && at < b + 5)) out = { ...out, errorShare: blipErrorShare(model), errorType: "upstream_unavailable" };
  if (at >= latencyStart && at < latencyStart + 10) {
    const stage = Object.keys(out.stages)[0];
    out = stage
      ? { ...out, stages: { ...out.stages, [stage]: { ...out.stages[stage], latency: slower(out.stages[stage].latency, 2) } } }
      : { ...out, latency: slower(out.latency, 2) };
  }
  return out;
};

const peakBumps: Trait = (s, minute) => allLatency(s, 1 + (0.25 * Math.max(0, dailyFactor(minute) - 1.3)) / 0.15);

const deploys: Trait = (s, minute) => {
  const at = minute % MINUTES_PER_DAY;
  const day = Math.floor(minute / MINUTES_PER_DAY);
  const deployed = (i: number) => day * MINUTES_PER_DAY + DEPLOY_MINUTE + 10 * i;
  let coldest = 0;
  const out = mapReplicas(s, (r, i) => {
    const start = at >= DEPLOY_MINUTE + 10 * i ? deployed(i) : deployed(i) - MINUTES_PER_DAY;
    const uptime = minute - start;
    if (start < 0) return r; // before the first deploy of the replay: up since before it started
    if (uptime < 2) return { ...r, up: 0 };
    coldest = Math.max(coldest, Math.exp(-uptime / 20));
    return { ...r, startedMinute: start, memoryBytes: r.memoryBytes * (1 - 0.4 * Math.exp(-uptime / 30)) };
  });
  return { ...out, cacheHitShare: out.cacheHitShare * (1 - 0.5 * coldest) };
};

const growth: Trait = (s, minute) => scaleLoad(s, Math.pow(3, minute / days(30)));

const quietNights: Trait = (s, minute) => ((minute % MINUTES_PER_DAY) < 6 * 60 ? scaleLoad(s, 0.15 / dailyFactor(minute)) : s);

const TRAITS: readonly (readonly [string, string, Trait])[] = [
  ["weekly", "weekends at 60% of weekday traffic", weekly],
  ["blips", "three 5-minute error blips (20x the allowed error ratio) and a 10-minute latency blip a day", blips],
  ["peak-bumps", "latency 25% higher in the afternoon peak", peakBumps],
  ["deploys", "a rolling restart every day at 10:00, memory and cache warming up after it", deploys],
  ["growth", "traffic triples over the month", growth],
  ["quiet-nights", "nights at 15% of the daily mean", quietNights],
];

function month(model: ServiceModel, id: string, what: string, traits: readonly Trait[], seed: number): FamilyScenario {
  return {
    id: `healthy-${id}-${model.name}`,
    title: `30 healthy days of ${model.name}: ${what}`,
    service: model,
    leadInMinutes: 0,
    incidentMinutes: days(30),
    incident: (state, t) => traits.reduce((s, trait) => trait(s, t, model, seed), state),
    evaluationInterval: "5m",
    fires: [],
    mayFire: [],
    family: "healthy",
    variant: what,
    impact: {},
    healthy: true,
  };
}

/** Every healthy family member of `model`: one per trait, and all traits together. */
export function healthyMonths(model: ServiceModel, seed: number): FamilyScenario[] {
  return [
    ...TRAITS.map(([id, what, trait]) => month(model, id, what, [trait], seed)),
    month(model, "all", "all of the above at once", TRAITS.map(([, , t]) => t), seed),
  ];
}
