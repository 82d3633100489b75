/**
 * Data quality: how often each declared feature is missing or defaulted, and how often requests
 * violate the input schema, from the data-quality recording rules.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { DATA_QUALITY_RULE, DATA_QUALITY_WINDOWS, SIGNAL_LABEL, SIGNAL_PANEL } from "../../alerts/signalNames";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { recorded } from "../promql";
import { DATA_QUALITY_NOW } from "./headline";
import { PANEL } from "../../service/links";

const byFeature = `{{${SIGNAL_LABEL.feature}}}`;

function missing(model: ServiceModel): PanelSpec {
  const max = model.drift.maxMissingFeatureRatio;
  return {
    key: SIGNAL_PANEL.missingFeatures,
    width: WIDTH.third,
    panel: timeseries({
      title: "Missing features",
      description: `Share of requests missing each declared feature over ${DATA_QUALITY_NOW}. Dashed: the ${num(max * 100)}% limit; a ticket opens when both the ${DATA_QUALITY_NOW} and ${DATA_QUALITY_WINDOWS[1]} shares exceed it.`,
      unit: units.PercentUnit,
      min: 0,
      thresholds: steps(COLOR.ok, [max, COLOR.act]),
      targets: [{ expr: recorded(model, DATA_QUALITY_RULE.missing(DATA_QUALITY_NOW)), legend: byFeature }],
    }),
  };
}

function defaulted(model: ServiceModel): PanelSpec {
  return {
    key: PANEL.defaultedFeatures,
    width: WIDTH.third,
    panel: timeseries({
      title: "Defaulted features",
      description: `Share of requests where each declared feature fell back to its default over ${DATA_QUALITY_NOW}: the model still answers, from made-up inputs.`,
      unit: units.PercentUnit,
      min: 0,
      targets: [{ expr: recorded(model, DATA_QUALITY_RULE.defaulted(DATA_QUALITY_NOW)), legend: byFeature }],
    }),
  };
}

function schemaViolations(model: ServiceModel): PanelSpec {
  return {
    key: PANEL.schemaViolations,
    width: WIDTH.third,
    panel: timeseries({
      title: "Schema violations",
      description: `Share of requests rejected or repaired for violating the input schema over ${DATA_QUALITY_NOW}.`,
      unit: units.PercentUnit,
      min: 0,
      targets: [{ expr: recorded(model, DATA_QUALITY_RULE.schemaViolations(DATA_QUALITY_NOW)), legend: "schema violations" }],
    }),
  };
}

export function dataQualitySection(model: ServiceModel): Section {
  const features = model.drift.features.length > 0 ? [missing(model), defaulted(model)] : [];
  return { key: "drift:data-quality", title: "Data quality", panels: [...features, schemaViolations(model)] };
}
