/**
 * Latency: end to end, per pipeline stage, per model call and to the first token, each at P50,
 * P95 and P99 from the contract's histograms. Stage targets (P95) and the latency SLO threshold
 * are drawn as dashed lines.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { isLlmKind } from "../../alerts/signals/requests";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section, type Target } from "../presets";
import { eq, oneOf, quantile, raw } from "../promql";
import { serviceSlo } from "../slo";
import { sliceBy, sliceLegend } from "../slices";
import { modelMatchers } from "../variables";
import { PANEL } from "../../service/links";

const QUANTILES = [0.5, 0.95, 0.99] as const;

/** P50, P95 and P99, split by the `slice` variable when the service declares slices. */
const quantileTargets = (model: ServiceModel, histogram: string, sel: string): Target[] =>
  QUANTILES.map((q) => ({ expr: quantile(q, histogram, sel, sliceBy(model)), legend: sliceLegend(model, `P${num(q * 100)}`) }));

/** Matcher selecting the declared stages only (span metrics hold every span of the service). */
export const stageMatcher = (model: ServiceModel) => oneOf(model.metrics.labels.stage, model.stages.map((s) => s.name));

function endToEnd(model: ServiceModel): PanelSpec {
  const slo = serviceSlo(model, "latency");
  const threshold = slo?.sli.kind === "latency" ? slo.sli.thresholdSeconds : undefined;
  return {
    key: PANEL.endToEndLatency,
    width: WIDTH.half,
    panel: timeseries({
      title: "End-to-end latency",
      description: `Request latency of the service's API (HTTP server duration) at P50, P95 and P99.${slo && threshold !== undefined ? ` Dashed: the ${slo.name} SLO threshold, ${threshold} s.` : ""}`,
      unit: units.Seconds,
      min: 0,
      thresholds: threshold !== undefined ? steps(COLOR.ok, [threshold, COLOR.act]) : undefined,
      targets: quantileTargets(model, model.metrics.httpRequestDuration.name, raw(model)),
    }),
  };
}

function stagesP95(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  const targets = model.stages.map((s) => `${s.name} ${s.latencyTargetSeconds} s`).join(", ");
  return {
    key: PANEL.stageLatency,
    width: WIDTH.half,
    panel: timeseries({
      title: "Stage latency P95",
      description: `P95 latency of each pipeline stage from span metrics; targets: ${targets}. The stage furthest over its target is where a slow request spends its time.`,
      unit: units.Seconds,
      min: 0,
      targets: [
        {
          expr: quantile(0.95, model.metrics.stageDuration.name, raw(model, stageMatcher(model)), [L.stage, ...sliceBy(model)]),
          legend: sliceLegend(model, `{{${L.stage}}}`),
        },
      ],
    }),
  };
}

function timeToFirstToken(model: ServiceModel): PanelSpec {
  return {
    key: "latency:ttft",
    width: WIDTH.half,
    panel: timeseries({
      title: "Time to first token",
      description: "How long users wait before a streamed answer starts, at P50, P95 and P99: what a chat user feels as latency.",
      unit: units.Seconds,
      min: 0,
      targets: quantileTargets(model, model.metrics.timeToFirstToken.name, raw(model, ...modelMatchers(model))),
    }),
  };
}

function modelCalls(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  return {
    key: PANEL.modelCallLatency,
    width: WIDTH.half,
    panel: timeseries({
      title: "Model call latency P95 by model",
      description: "P95 duration of each GenAI call (embeddings, completions) by requested model: tells a slow provider from a slow pipeline.",
      unit: units.Seconds,
      min: 0,
      targets: [
        {
          expr: quantile(0.95, model.metrics.genAiOperationDuration.name, raw(model, ...modelMatchers(model)), [L.model, ...sliceBy(model)]),
          legend: sliceLegend(model, `{{${L.model}}}`),
        },
      ],
    }),
  };
}

function stage(model: ServiceModel, s: ServiceModel["stages"][number]): PanelSpec {
  return {
    key: PANEL.stageLatencyOf(s.name),
    width: WIDTH.quarter,
    panel: timeseries({
      title: `Stage ${s.name} latency`,
      description: `Latency of the ${s.name} stage at P50, P95 and P99. Dashed: its P95 target, ${s.latencyTargetSeconds} s.`,
      unit: units.Seconds,
      min: 0,
      thresholds: steps(COLOR.ok, [s.latencyTargetSeconds, COLOR.act]),
      targets: quantileTargets(model, model.metrics.stageDuration.name, raw(model, eq(model.metrics.labels.stage, s.name))),
    }),
  };
}

export function latencySection(model: ServiceModel): Section {
  const stages = model.stages.length > 0;
  const llm = isLlmKind(model);
  return {
    key: "latency",
    title: "Latency",
    panels: [
      endToEnd(model),
      ...(stages ? [stagesP95(model)] : []),
      ...(llm ? [timeToFirstToken(model), modelCalls(model)] : []),
      ...model.stages.map((s) => stage(model, s)),
    ],
  };
}
