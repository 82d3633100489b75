/**
 * Input drift: PSI per declared drift feature (`drift.features`), from the feature histogram
 * sliced by the contract's `feature` label, against the same window `baselineOffset` earlier or
 * the feature's pinned `baselineFractions` (shares of the training data).
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { quote } from "../promql";
import type { RuleGroup } from "../ruleModel";
import { driftGroup, type Distribution } from "./distributionShift";

export function featureDistributions(model: ServiceModel): Distribution[] {
  const m = model.metrics;
  return model.drift.features.map((f) => ({
    level: "feature",
    name: f.name,
    histogram: m.featureValue.name,
    matchers: [`${m.labels.feature}=${quote(f.name)}`],
    buckets: f.buckets,
    baselineFractions: f.baselineFractions,
  }));
}

export function featureDriftGroup(model: ServiceModel, ctx: RuleContext): RuleGroup | undefined {
  return driftGroup(model, ctx, "feature", featureDistributions(model));
}
