/**
 * Incidents that cost money or latency through the service's own machinery, as in
 * replay/scenarios/costRunaway.ts and cacheMisses.ts but on any service that has the parts: a
 * release that doubles generation calls and replicas (spend past the hourly budget, GPUs idle),
 * and a cache-key change that sends every lookup to the slowed retrieval stage.
 */
import type { ServiceModel } from "../../../service/model";
import { MINUTES_PER_DAY } from "../../healthy";
import type { MinuteState } from "../../traffic";
import { runawayIncident } from "../../scenarios/costRunaway";
import { measured, type ScenarioFamily } from "../family";
import { isLlmKind } from "../../../alerts/signals/requests";

/** 10:00 on the second day: both incidents compare with yesterday. */
const LEAD_IN = MINUTES_PER_DAY + 10 * 60;

const generationModel = (m: ServiceModel) => (isLlmKind(m) ? m.models.find((x) => x.outputPricePer1kTokens > 0) : undefined);

const costRunaway: ScenarioFamily = {
  id: "cost-runaway",
  skip: (m) => (generationModel(m) ? undefined : "calls no priced generation model (a RAG pipeline, LLM gateway or agent with an output price)"),
  build: (model) => {
    const generation = generationModel(model)!;
    const incident = runawayIncident(generation.name);
    return {
      family: "cost-runaway",
      healthy: false,
      scenario: measured({
        id: "cost-runaway",
        title: `Replicas double to GPUs 25% busy, and a second ${generation.name} call per request doubles spend per hour`,
        service: model,
        leadInMinutes: LEAD_IN,
        incidentMinutes: 180,
        incident,
        evaluationInterval: "5m",
      }),
    };
  },
};

const HIT_SHARE = 0.05;
/** A miss's latency in the slowed retrieval stage, as a multiple of the stage's target. */
const MISS_OF_TARGET = 2.8;

const cacheMisses: ScenarioFamily = {
  id: "cache-miss-latency",
  // healthy.ts puts the semantic cache in front of the second stage of pipelines of three or more.
  skip: (m) => (m.stages.length > 2 && m.kind !== "model-endpoint" ? undefined : "has no cached retrieval stage (a pipeline of three or more stages)"),
  build: (model) => {
    const retrieve = model.stages[1];
    const incident = (state: MinuteState): MinuteState => {
      const [hit] = state.stages[retrieve.name].latency;
      const latency = [
        { ...hit, weight: HIT_SHARE },
        { weight: 1 - HIT_SHARE, median: retrieve.latencyTargetSeconds * MISS_OF_TARGET, sigma: 0.3 },
      ];
      return { ...state, cacheHitShare: HIT_SHARE, stages: { ...state.stages, [retrieve.name]: { ...state.stages[retrieve.name], latency } } };
    };
    return {
      family: "cache-miss-latency",
      healthy: false,
      scenario: measured({
        id: "cache-miss-latency",
        title: `The cache-hit ratio collapses from 55% to 5% and every miss waits on the slowed ${retrieve.name} stage`,
        service: model,
        leadInMinutes: LEAD_IN,
        incidentMinutes: 180,
        incident,
        evaluationInterval: "5m",
      }),
    };
  },
};

export const spendFamilies: readonly ScenarioFamily[] = [costRunaway, cacheMisses];
