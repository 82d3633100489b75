/** Throughput: requests by status, predictions of a model endpoint, stage and model calls. */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { isLlmKind } from "../../alerts/signals/requests";
import type { ServiceModel } from "../../service/model";
import { WIDTH, timeseries, type PanelSpec, type Section } from "../presets";
import { raw, sumRate } from "../promql";
import { modelMatchers } from "../variables";
import { stageMatcher } from "./latency";
import { PANEL } from "../../service/links";

function requests(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  return {
    key: PANEL.requests,
    width: WIDTH.half,
    panel: timeseries({
      title: "Requests by status",
      description: "Requests per second to the service's API by HTTP status code.",
      unit: units.RequestsPerSecond,
      min: 0,
      targets: [{ expr: sumRate(`${model.metrics.httpRequestDuration.name}_count`, raw(model), [L.httpStatusCode]), legend: `{{${L.httpStatusCode}}}` }],
    }),
  };
}

function predictions(model: ServiceModel): PanelSpec {
  return {
    key: "throughput:predictions",
    width: WIDTH.half,
    panel: timeseries({
      title: "Predictions",
      description: "Predictions served per second (one request may score a batch).",
      unit: units.OpsPerSecond,
      min: 0,
      targets: [{ expr: sumRate(model.metrics.predictions.name, raw(model)), legend: "predictions" }],
    }),
  };
}

function stageCalls(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  return {
    key: PANEL.stageCalls,
    width: WIDTH.half,
    panel: timeseries({
      title: "Stage calls",
      description: "Spans per second of each pipeline stage: a stage called more often than requests arrive is retrying.",
      unit: units.OpsPerSecond,
      min: 0,
      targets: [{ expr: sumRate(model.metrics.stageCalls.name, raw(model, stageMatcher(model)), [L.stage]), legend: `{{${L.stage}}}` }],
    }),
  };
}

function modelCalls(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  return {
    key: "throughput:model-calls",
    width: WIDTH.half,
    panel: timeseries({
      title: "Model calls by model",
      description: "GenAI calls per second by requested model.",
      unit: units.OpsPerSecond,
      min: 0,
      targets: [
        { expr: sumRate(`${model.metrics.genAiOperationDuration.name}_count`, raw(model, ...modelMatchers(model)), [L.model]), legend: `{{${L.model}}}` },
      ],
    }),
  };
}

export function throughputSection(model: ServiceModel): Section {
  return {
    key: "throughput",
    title: "Throughput",
    panels: [
      requests(model),
      ...(model.kind === "model-endpoint" ? [predictions(model)] : []),
      ...(model.stages.length > 0 ? [stageCalls(model)] : []),
      ...(isLlmKind(model) ? [modelCalls(model)] : []),
    ],
  };
}
