/**
 * Errors: the end-to-end error ratio the availability SLI counts, what kind of errors they are,
 * and which pipeline stage fails (span status and `error.type` from span metrics).
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { RATE, eq, raw, sumRate } from "../promql";
import { serviceSlo } from "../slo";
import { errorRatioExpr } from "./headline";
import { stageMatcher } from "./latency";
import { sliceBy, sliceLegend } from "../slices";
import { PANEL } from "../../service/links";

function errorRatio(model: ServiceModel): PanelSpec {
  const slo = serviceSlo(model, "availability");
  const budget = slo ? 1 - slo.objective : undefined;
  return {
    key: "errors:ratio",
    width: WIDTH.half,
    panel: timeseries({
      title: "Error ratio",
      description: `Share of requests answered with a server error (HTTP ${model.metrics.values.httpServerErrorRegex}).${slo && budget !== undefined ? ` Dashed: the ${slo.name} SLO's error budget, ${num(budget * 100)}%.` : ""}`,
      unit: units.PercentUnit,
      min: 0,
      thresholds: budget !== undefined ? steps(COLOR.ok, [budget, COLOR.act]) : undefined,
      targets: [{ expr: errorRatioExpr(model, RATE, sliceBy(model)), legend: sliceLegend(model, "error ratio") }],
    }),
  };
}

function byType(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  return {
    key: PANEL.errorsByType,
    width: WIDTH.half,
    panel: timeseries({
      title: "Errors by error type",
      description: "Failed requests per second by `error.type` (exception class or status), end to end.",
      unit: units.RequestsPerSecond,
      min: 0,
      targets: [
        {
          expr: sumRate(`${model.metrics.httpRequestDuration.name}_count`, raw(model, `${L.errorType}!=""`), [L.errorType, ...sliceBy(model)]),
          legend: sliceLegend(model, `{{${L.errorType}}}`),
        },
      ],
    }),
  };
}

function stageRatio(model: ServiceModel): PanelSpec {
  const m = model.metrics;
  const L = m.labels;
  const failed = raw(model, stageMatcher(model), eq(L.spanStatus, m.values.spanStatusError));
  const by = [L.stage, ...sliceBy(model)];
  return {
    key: PANEL.stageErrors,
    width: WIDTH.half,
    panel: timeseries({
      title: "Error ratio by stage",
      description: "Share of each stage's spans that ended in error: the stage where failures start.",
      unit: units.PercentUnit,
      min: 0,
      targets: [
        {
          expr: `${sumRate(m.stageCalls.name, failed, by)} / ${sumRate(m.stageCalls.name, raw(model, stageMatcher(model)), by)}`,
          legend: sliceLegend(model, `{{${L.stage}}}`),
        },
      ],
    }),
  };
}

function stageTypes(model: ServiceModel): PanelSpec {
  const m = model.metrics;
  const L = m.labels;
  const failed = raw(model, stageMatcher(model), eq(L.spanStatus, m.values.spanStatusError));
  return {
    key: "errors:stage-types",
    width: WIDTH.half,
    panel: timeseries({
      title: "Stage errors by error type",
      description: "Failed spans per second by stage and `error.type`: a timeout in retrieve reads differently from a rate limit in generate.",
      unit: units.OpsPerSecond,
      min: 0,
      targets: [{ expr: sumRate(m.stageCalls.name, failed, [L.stage, L.errorType, ...sliceBy(model)]), legend: sliceLegend(model, `{{${L.stage}}}: {{${L.errorType}}}`) }],
    }),
  };
}

export function errorsSection(model: ServiceModel): Section {
  const stages = model.stages.length > 0 ? [stageRatio(model), stageTypes(model)] : [];
  return { key: "errors", title: "Errors", panels: [errorRatio(model), byType(model), ...stages] };
}
