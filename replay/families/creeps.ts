/**
 * Degrading families: the same incident in many shapes, speeds and baselines, so no detector is
 * tuned to one scenario.
 *  - latency-creep: a stage's (or the whole request's) latency grows 60x (the seed: 200 ms to 12 s)
 *    over 1, 3 or 7 days, linearly, exponentially or in twelve steps; on the RAG pipeline's embed
 *    stage (P95 about 210 ms, narrow spread) and on the fraud model's requests (P95 about 60 ms,
 *    wide spread).
 *  - memory-leak: a replica leaks until it reaches its limit in 3 days, linearly or exponentially,
 *    from a 1.2 GB or an 8 GB base, with or without restarts every 2 days; latency follows memory
 *    pressure, and at the limit the replicas crash in a loop.
 *  - error-creep: failures grow linearly or exponentially until they pass the SLO's allowed share
 *    after 2 or 5 days.
 *  - quality-slide: the share of bad answers (or wrong predictions) slides until it passes the
 *    quality SLO's allowed share after 2 or 5 days.
 * Latency creeps have 8 days of healthy history first (the latency ticket compares with last
 * week); the others 2 days.
 */
import type { ServiceModel } from "../../service/model";
import { MEMORY_LIMIT_OF_BASE, healthyLevels } from "../healthy";
import { mapReplicas, type Latency, type MinuteState } from "../traffic";
import { badShare, sloOf } from "./groundTruth";
import { days, degradation, type FamilyScenario } from "./family";

export type Shape = "linear" | "exponential" | "stepped";
/** Latency creeps: 8 days of history, as the latency ticket compares with the same hour last week. */
const LEAD_IN = days(8);
/** Other families: 2 days, enough for every day-over-day comparison and a replica up for over a day. */
const SHORT_LEAD_IN = days(2);
const LATENCY_GROWTH = 60;
const STEPS = 12;

/** Growth factor at `t` of a creep reaching `end` at `over` minutes (and going on past it). */
export function growth(shape: Shape, end: number, t: number, over: number): number {
  const x = Math.max(0, t) / over;
  if (shape === "linear") return 1 + (end - 1) * x;
  if (shape === "exponential") return Math.pow(end, x);
  return Math.pow(end, Math.floor(x * STEPS) / STEPS);
}

const scale = (l: Latency, f: number): Latency => l.map((p) => ({ ...p, median: p.median * f }));

function slowDown(state: MinuteState, stage: string | undefined, f: number): MinuteState {
  if (!stage) return { ...state, latency: scale(state.latency, f) };
  return { ...state, stages: { ...state.stages, [stage]: { ...state.stages[stage], latency: scale(state.stages[stage].latency, f) } } };
}

type Built = FamilyScenario & { readonly creepMinutes: number };

function latencyCreep(model: ServiceModel, sloName: string, shape: Shape, overDays: number, seed: number): Built {
  const slo = sloOf(model, sloName);
  const stage = slo.sli.kind === "latency" ? slo.sli.stage : undefined;
  const over = days(overDays);
  return degradation({
    family: "latency-creep",
    variant: `${shape}, 60x over ${overDays} d, ${stage ? `${stage} stage` : "requests"} of ${model.name}`,
    id: `latency-creep-${shape}-${overDays}d-${model.name}`,
    title: `${stage ? `The ${stage} stage` : "Every request"} slows ${LATENCY_GROWTH}x over ${overDays} days (${shape})`,
    service: model,
    slo,
    leadInMinutes: LEAD_IN,
    creepMinutes: over,
    incident: (state, t) => slowDown(state, stage, growth(shape, LATENCY_GROWTH, t, over)),
    // A stepped creep holds the healthy latency until its first step.
    onsetMinutes: shape === "stepped" ? over / STEPS : 0,
    seed,
    // Users see the seed's 12 s when the creep ends.
    outageMinute: over,
  });
}

function memoryLeak(model: ServiceModel, shape: Exclude<Shape, "stepped">, baseBytes: number, restarts: boolean, seed: number): Built {
  const slo = sloOf(model, "embed-latency");
  const stage = slo.sli.kind === "latency" ? slo.sli.stage : undefined;
  const healthyBase = healthyLevels(model).memoryBytes;
  const toOom = days(3);
  const cycle = days(2);
  // Share of the way to the limit at `uptime` minutes of leaking.
  const leaked = (uptime: number) => (shape === "linear" ? uptime / toOom : (Math.pow(2, (4 * uptime) / toOom) - 1) / 15);
  const incident = (state: MinuteState, t: number): MinuteState => {
    const uptime = restarts ? t % cycle : t;
    const started = restarts ? SHORT_LEAD_IN + t - uptime : undefined;
    const u = leaked(uptime);
    if (u >= 1) {
      // Out of memory: each replica is killed 6 minutes in 10 and comes back empty.
      const down = slowDown({ ...state, errorShare: 0.6, errorStatus: "503", errorType: "unavailable" }, stage, 3);
      return mapReplicas(down, (r, i) => ((t + 3 * i) % 10 < 6 ? { ...r, up: 0 } : { ...r, memoryBytes: baseBytes, startedMinute: SHORT_LEAD_IN + t - ((t + 3 * i) % 10) + 6 }));
    }
    // Latency follows memory pressure: GC pauses grow as the heap nears its limit.
    const slowed = slowDown(state, stage, Math.pow(3, u / 0.8));
    return mapReplicas(slowed, (r) => ({
      ...r,
      memoryBytes: (r.memoryBytes / healthyBase) * baseBytes + u * (MEMORY_LIMIT_OF_BASE - 1) * baseBytes,
      memoryLimitBytes: MEMORY_LIMIT_OF_BASE * baseBytes,
      startedMinute: started ?? r.startedMinute,
    }));
  };
  const gb = (baseBytes / 1e9).toFixed(1);
  return degradation({
    family: "memory-leak",
    variant: `${shape} from ${gb} GB${restarts ? ", restarts every 2 d" : ""}`,
    id: `memory-leak-${shape}-${gb.replace(".", "_")}gb${restarts ? "-restarts" : ""}`,
    title: `A replica leaks memory ${shape === "linear" ? "steadily" : "ever faster"} from ${gb} GB toward its limit in 3 days${restarts ? ", restarted every 2 days" : ""}`,
    service: model,
    slo,
    leadInMinutes: SHORT_LEAD_IN,
    creepMinutes: days(4),
    incident,
    seed,
    outageMinute: restarts ? undefined : toOom,
  });
}

/** Bad share growing from its healthy level to the SLO's allowed share at `over` minutes. */
function creepingShare(healthy: number, allowed: number, shape: Exclude<Shape, "stepped">, t: number, over: number): number {
  if (shape === "linear") return healthy + ((allowed - healthy) * Math.max(0, t)) / over;
  return Math.min(1, healthy * Math.pow(allowed / healthy, Math.max(0, t) / over));
}

function errorCreep(model: ServiceModel, shape: Exclude<Shape, "stepped">, overDays: number, seed: number): Built {
  const slo = sloOf(model, "availability");
  const over = days(overDays);
  const allowed = 1 - slo.objective;
  return degradation({
    family: "error-creep",
    variant: `${shape}, passes the SLO after ${overDays} d, ${model.name}`,
    id: `error-creep-${shape}-${overDays}d-${model.name}`,
    title: `Failures grow ${shape === "linear" ? "steadily" : "exponentially"} until they pass the ${slo.name} SLO after ${overDays} days`,
    service: model,
    slo,
    leadInMinutes: SHORT_LEAD_IN,
    creepMinutes: over,
    incident: (state, t) => ({ ...state, errorShare: creepingShare(state.errorShare, allowed, shape, t, over), errorType: "upstream_timeout" }),
    seed,
  });
}

function qualitySlide(model: ServiceModel, sloName: string, overDays: number, seed: number): Built {
  const slo = sloOf(model, sloName);
  if (slo.sli.kind !== "quality") throw new Error(`${model.name}'s SLO ${sloName} is not a quality SLO`);
  const score = slo.sli.score;
  const over = days(overDays);
  const allowed = 1 - slo.objective;
  return degradation({
    family: "quality-slide",
    variant: `linear, passes the SLO after ${overDays} d, ${score} of ${model.name}`,
    id: `quality-slide-${overDays}d-${model.name}`,
    title: `The share of answers scoring under the ${score} threshold slides until it passes the ${slo.name} SLO after ${overDays} days`,
    service: model,
    slo,
    leadInMinutes: SHORT_LEAD_IN,
    creepMinutes: over,
    incident: (state, t) => {
      const healthy = badShare(slo, state) ?? 0;
      const bad = creepingShare(healthy, allowed, "linear", t, over);
      return { ...state, versions: state.versions.map((v) => ({ ...v, goodShare: { ...v.goodShare, [score]: 1 - bad } })) };
    },
    seed,
  });
}

export interface FamilyServices {
  readonly rag: ServiceModel;
  readonly fraud: ServiceModel;
}

/** Every degrading family member, in family order. */
export function degradingFamilies({ rag, fraud }: FamilyServices, seed: number): Built[] {
  const shapes: Shape[] = ["linear", "exponential", "stepped"];
  const out: Built[] = [];
  for (const [model, slo] of [[rag, "embed-latency"], [fraud, "scoring-latency"]] as const)
    for (const shape of shapes) for (const d of [1, 3, 7]) out.push(latencyCreep(model, slo, shape, d, seed));
  for (const shape of ["linear", "exponential"] as const)
    for (const base of [healthyLevels(rag).memoryBytes, 8e9]) for (const restarts of [false, true]) out.push(memoryLeak(rag, shape, base, restarts, seed));
  for (const model of [rag, fraud]) for (const shape of ["linear", "exponential"] as const) for (const d of [2, 5]) out.push(errorCreep(model, shape, d, seed));
  for (const [model, slo] of [[rag, "answer-relevance"], [fraud, "accuracy"]] as const) for (const d of [2, 5]) out.push(qualitySlide(model, slo, d, seed));
  return out;
}

