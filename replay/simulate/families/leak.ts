/**
 * A slow memory leak (the field's "embedding leak", on any service): over three days resident
 * memory climbs by about 80 MB an hour per replica and the garbage collector thrashes, so the
 * first pipeline stage (or, without stages, the whole request) slows geometrically to 60 times
 * its healthy latency; then the replicas are OOM-killed in a loop and most requests fail for an
 * hour. Users notice at the latest when the crash loop starts.
 */
import { MINUTES_PER_DAY, healthyLevels } from "../../healthy";
import { mapReplicas, type Latency, type MinuteState } from "../../traffic";
import type { ServiceModel } from "../../../service/model";
import { measured, type ScenarioFamily } from "../family";

export const LEAK_MINUTES = 3 * MINUTES_PER_DAY;
const OUTAGE_MINUTES = 60;
/** Latency multiplies by this over the leak (200 ms to 12 s for the example's embed stage). */
const LATENCY_GROWTH = 60;
const LEAK_BYTES_PER_HOUR = 80e6;

const slower = (latency: Latency, factor: number): Latency => latency.map((p) => ({ ...p, median: p.median * factor }));

/** The state with the leaking part (a stage, or the whole request) `factor` times slower. */
function slowDown(state: MinuteState, stage: string | undefined, factor: number): MinuteState {
  if (stage === undefined) return { ...state, latency: slower(state.latency, factor) };
  const s = state.stages[stage];
  return { ...state, stages: { ...state.stages, [stage]: { ...s, latency: slower(s.latency, factor) } } };
}

function leakThenCrashLoop(stage: string | undefined, healthyMemoryBytes: number) {
  return (state: MinuteState, t: number): MinuteState => {
    if (t < LEAK_MINUTES)
      return mapReplicas(slowDown(state, stage, Math.pow(LATENCY_GROWTH, t / LEAK_MINUTES)), (r, i) => ({
        ...r,
        memoryBytes: r.memoryBytes + LEAK_BYTES_PER_HOUR * (1 + 0.1 * i) * (t / 60),
      }));
    // OOM kills in a loop: each replica is down 6 minutes in 10, and comes back with fresh memory.
    const outage = slowDown(state, stage, LATENCY_GROWTH);
    const failing = stage === undefined ? outage.stages : { ...outage.stages, [stage]: { ...outage.stages[stage], errorShare: 0.6 } };
    return mapReplicas({ ...outage, errorShare: 0.6, errorStatus: "503", errorType: "unavailable", stages: failing }, (r, i) =>
      (t + 3 * i) % 10 < 6 ? { ...r, up: 0 } : { ...r, memoryBytes: healthyMemoryBytes },
    );
  };
}

export const leakFamily: ScenarioFamily = {
  id: "memory-leak",
  skip: () => undefined,
  build: (model: ServiceModel) => {
    const stage = model.stages[0]?.name;
    const where = stage === undefined ? "every request" : `the ${stage} stage`;
    return {
      family: "memory-leak",
      healthy: false,
      impact: { minute: LEAK_MINUTES, what: "the replicas crash in a loop" },
      scenario: measured({
        id: "memory-leak",
        title: `A memory leak slows ${where} ${LATENCY_GROWTH}-fold over three days, then the replicas crash in a loop for an hour`,
        service: model,
        leadInMinutes: 6 * 60,
        incidentMinutes: LEAK_MINUTES + OUTAGE_MINUTES,
        incident: leakThenCrashLoop(stage, healthyLevels(model).memoryBytes),
        evaluationInterval: "5m",
      }),
    };
  },
};
