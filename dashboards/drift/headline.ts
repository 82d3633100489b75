/**
 * The drift headline: has an input feature or a model output shifted, and is the input data
 * itself broken (missing features, schema violations)?
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { DATA_QUALITY_RULE, DATA_QUALITY_WINDOWS, DISTRIBUTION_RULE, PSI_BANDS, SIGNAL_ALERT, SIGNAL_LABEL, type DistributionLevel } from "../../alerts/signalNames";
import { outputDistributions } from "../../alerts/signals/outputDrift";
import type { ServiceModel } from "../../service/model";
import { spread, type Headline } from "../layout";
import { lowerIsBetter, stat, type PanelSpec } from "../presets";
import { recorded } from "../promql";
import { ifRed, signalRunbook } from "../runbooks";
import { levelLabel } from "./distributions";

/** Window of the data-quality ratios on screen (the short one; tickets also need the long one). */
export const DATA_QUALITY_NOW = DATA_QUALITY_WINDOWS[0];
/** Schema violations turn yellow at this share of the service's data-quality limit. */
const SCHEMA_WATCH = 0.1;

const pct = (ratio: number) => `${num(ratio * 100)}%`;

function psi(model: ServiceModel, level: DistributionLevel): Headline {
  const t = model.drift.psiThreshold;
  const what = level === "feature" ? "input feature" : "model output";
  const action =
    level === "feature"
      ? "compare that feature's bins now and in the baseline under Input drift, then check its upstream producer and latest release"
      : "compare that output's bins under Output drift; a shift with stable inputs points at a prompt, model or upstream change";
  return {
    key: `headline:${level}-psi`,
    panel: stat({
      title: `Highest ${what} PSI (${model.drift.window})`,
      description: `Population stability index of the ${what} that shifted most over the last ${model.drift.window} against its baseline; yellow from ${num(PSI_BANDS.stableBelow)}, red from ${num(t)}. ${ifRed(action, signalRunbook(model, level === "feature" ? SIGNAL_ALERT.featureDrift : SIGNAL_ALERT.outputDrift))}`,
      unit: units.Short,
      decimals: 3,
      showName: true,
      thresholds: lowerIsBetter(PSI_BANDS.stableBelow, t),
      target: { expr: `topk(1, ${recorded(model, DISTRIBUTION_RULE.psi(level, model.drift.window))})`, legend: `{{${levelLabel(level)}}}` },
    }),
  };
}

function missing(model: ServiceModel): Headline {
  const max = model.drift.maxMissingFeatureRatio;
  return {
    key: "headline:missing-features",
    panel: stat({
      title: `Most missing feature (${DATA_QUALITY_NOW})`,
      description: `Share of requests missing the feature missing most often over the last ${DATA_QUALITY_NOW}; yellow from ${pct(max / 2)}, red from the ${pct(max)} limit. ${ifRed("the model scores these requests from defaults: check the latest release of the service and of the feature's producer", signalRunbook(model, SIGNAL_ALERT.featureMissing))}`,
      unit: units.PercentUnit,
      decimals: 2,
      showName: true,
      thresholds: lowerIsBetter(max / 2, max),
      target: { expr: `topk(1, ${recorded(model, DATA_QUALITY_RULE.missing(DATA_QUALITY_NOW))})`, legend: `{{${SIGNAL_LABEL.feature}}}` },
    }),
  };
}

function schemaViolations(model: ServiceModel): Headline {
  const max = model.drift.maxMissingFeatureRatio;
  return {
    key: "headline:schema-violations",
    panel: stat({
      title: `Schema violations (${DATA_QUALITY_NOW})`,
      description: `Share of requests rejected or repaired for violating the input schema over the last ${DATA_QUALITY_NOW}; yellow from ${pct(max * SCHEMA_WATCH)}, red from the service's ${pct(max)} data-quality limit. ${ifRed("a client or upstream release changed the request shape: find it in the release annotations and the service's error logs")}`,
      unit: units.PercentUnit,
      decimals: 2,
      thresholds: lowerIsBetter(max * SCHEMA_WATCH, max),
      target: { expr: recorded(model, DATA_QUALITY_RULE.schemaViolations(DATA_QUALITY_NOW)) },
    }),
  };
}

export function driftHeadline(model: ServiceModel): PanelSpec[] {
  const features = model.drift.features.length > 0;
  return spread([
    features ? psi(model, "feature") : undefined,
    outputDistributions(model).length > 0 ? psi(model, "output") : undefined,
    features ? missing(model) : undefined,
    schemaViolations(model),
  ]);
}
