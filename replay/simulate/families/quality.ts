/**
 * Quality incidents, as in replay/scenarios/silentRelease.ts and inputDrift.ts but on any service
 * that declares quality scores or drift features: a release that silently stops reading a
 * feature and answers worse, and an input shift that the model, trained on the old mix, handles
 * worse by the day. Every request still succeeds within its latency SLO.
 */
import { bellShares, mixShares, shiftShares } from "../../distributions";
import { MINUTES_PER_DAY, healthyVersion } from "../../healthy";
import type { MinuteState } from "../../traffic";
import { measured, type ScenarioFamily } from "../family";

/** Good share of a score whose answers are bad `times` as often as its target allows. */
const goodAt = (target: number, times: number) => Math.max(0, 1 - times * (1 - target));

const silentRelease: ScenarioFamily = {
  id: "silent-release",
  skip: (m) => (m.quality.scores.length + m.drift.features.length > 0 ? undefined : "declares no quality score and no drift feature"),
  build: (model) => {
    const score = model.quality.scores[0];
    const feature = model.drift.features[0];
    const v2 = { ...healthyVersion(model, "v2"), ...(score ? { goodShare: { ...healthyVersion(model).goodShare, [score.name]: goodAt(score.target, 1.6) } } : {}) };
    const what = [feature && `stops sending ${feature.name} for 30% of requests`, score && `its ${score.name} falls to ${Math.round(v2.goodShare[score.name] * 100)}%`];
    return {
      family: "silent-release",
      healthy: false,
      scenario: measured({
        id: "silent-release",
        title: `Release v2 ${what.filter(Boolean).join(" and ")}, while every request succeeds`,
        service: model,
        leadInMinutes: 120,
        incidentMinutes: 180,
        incident: (state: MinuteState) => ({
          ...state,
          versions: [v2],
          features: feature ? { ...state.features, [feature.name]: { ...state.features[feature.name], missingShare: 0.3, defaultedShare: 0.3 } } : state.features,
        }),
        evaluationInterval: "1m",
      }),
    };
  },
};

const DECLINE_MINUTES = 2 * MINUTES_PER_DAY;

const inputDrift: ScenarioFamily = {
  id: "input-drift",
  skip: (m) => (m.drift.features.length > 0 ? undefined : "declares no drift feature"),
  build: (model) => {
    const feature = model.drift.features[0];
    const before = feature.baselineFractions ? [...feature.baselineFractions] : bellShares(feature.buckets.length + 1);
    const shifted = mixShares(before, shiftShares(before, 2), 0.7);
    const score = model.quality.scores[0];
    const healthyGood = score ? healthyVersion(model).goodShare[score.name] : 1;
    const after = score ? goodAt(score.target, 2.2) : 1;
    return {
      family: "input-drift",
      healthy: false,
      scenario: measured({
        id: "input-drift",
        title: `${feature.name} shifts two buckets up for 70% of requests` + (score ? ` and ${score.name} slides to ${Math.round(after * 100)}% over two days` : ""),
        service: model,
        leadInMinutes: 120,
        incidentMinutes: DECLINE_MINUTES,
        incident: (state, t) => {
          const good = healthyGood + (after - healthyGood) * Math.min(1, t / DECLINE_MINUTES);
          return {
            ...state,
            features: { ...state.features, [feature.name]: { ...state.features[feature.name], shares: shifted } },
            versions: score ? state.versions.map((v) => ({ ...v, goodShare: { ...v.goodShare, [score.name]: good } })) : state.versions,
          };
        },
        evaluationInterval: "5m",
      }),
    };
  },
};

export const qualityFamilies: readonly ScenarioFamily[] = [silentRelease, inputDrift];
