/** Predictions of a classic model endpoint: the prediction score per model version. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import type { ServiceModel } from "../../service/model";
import { WIDTH, timeseries, type PanelSpec, type Section } from "../presets";
import { quantile, raw } from "../promql";

function scoreByVersion(model: ServiceModel): PanelSpec {
  const m = model.metrics;
  const v = m.labels.modelVersion;
  return {
    key: "quality:prediction-score",
    width: WIDTH.full,
    panel: timeseries({
      title: "Prediction score by model version",
      description: "Median and P90 prediction score (confidence) per model version: a new version that scores everything higher or lower changes how many cases cross the decision threshold.",
      unit: units.Short,
      min: 0,
      max: 1,
      targets: [0.5, 0.9].map((q) => ({
        expr: quantile(q, m.predictionScore.name, raw(model), [v]),
        legend: `{{${v}}} P${num(q * 100)}`,
      })),
    }),
  };
}

export function predictionsSection(model: ServiceModel): Section {
  return { key: "quality:predictions", title: "Predictions", panels: model.kind === "model-endpoint" ? [scoreByVersion(model)] : [] };
}
