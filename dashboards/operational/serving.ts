/**
 * Serving (services with a `serving` section): queue-time P95, inter-token latency P95, output
 * tokens per second and the cancellation ratio, each with its declared limit dashed. The serving
 * tickets link here.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { SERVING_PANEL, SERVING_RULE, SERVING_WINDOWS } from "../../alerts/signalNames";
import { isLlmKind } from "../../alerts/signals/requests";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { recorded } from "../promql";

const [PANEL_WINDOW, TICKET_WINDOW] = SERVING_WINDOWS;
const limitLine = (limit: number | undefined) => (limit === undefined ? undefined : steps(COLOR.ok, [limit, COLOR.act]));
const limitText = (limit: number | undefined, unit: string) => (limit === undefined ? "" : ` Dashed: the limit, ${num(limit)}${unit}; a ticket opens over it.`);

function queueTime(model: ServiceModel, s: NonNullable<ServiceModel["serving"]>): PanelSpec {
  return {
    key: SERVING_PANEL.queueTime,
    width: WIDTH.half,
    panel: timeseries({
      title: "Queue time P95",
      description: `How long requests wait for a worker before any work starts, at P95 over ${PANEL_WINDOW}: rising queue time with flat latency of the work itself means too little capacity.${limitText(s.maxQueueSeconds, " s")}`,
      unit: units.Seconds,
      min: 0,
      thresholds: limitLine(s.maxQueueSeconds),
      targets: [{ expr: recorded(model, SERVING_RULE.queueTimeP95(PANEL_WINDOW)), legend: "P95" }],
    }),
  };
}

function interToken(model: ServiceModel, s: NonNullable<ServiceModel["serving"]>): PanelSpec {
  return {
    key: SERVING_PANEL.interToken,
    width: WIDTH.half,
    panel: timeseries({
      title: "Inter-token latency P95",
      description: `Time between output tokens of streamed answers (time per output token) at P95 over ${PANEL_WINDOW}: how fast an answer reads once it started.${limitText(s.maxInterTokenSeconds, " s")}`,
      unit: units.Seconds,
      min: 0,
      thresholds: limitLine(s.maxInterTokenSeconds),
      targets: [{ expr: recorded(model, SERVING_RULE.interTokenP95(PANEL_WINDOW)), legend: "P95" }],
    }),
  };
}

function outputTokens(model: ServiceModel): PanelSpec {
  return {
    key: SERVING_PANEL.outputTokens,
    width: WIDTH.half,
    panel: timeseries({
      title: "Output tokens per second",
      description: "Output tokens generated per second, all models: the service's token throughput. Falling while requests hold means slower generation or shorter answers.",
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, SERVING_RULE.outputTokens), legend: "output tokens/s" }],
    }),
  };
}

function cancellations(model: ServiceModel, s: NonNullable<ServiceModel["serving"]>): PanelSpec {
  return {
    key: SERVING_PANEL.cancellations,
    width: WIDTH.half,
    panel: timeseries({
      title: "Cancellation ratio",
      description: `Share of requests cancelled by the client (gave up, disconnected) or the server (timeout, load shedding), over ${PANEL_WINDOW} and ${TICKET_WINDOW}.${limitText(s.maxCancelledRatio === undefined ? undefined : s.maxCancelledRatio * 100, "%")}`,
      unit: units.PercentUnit,
      min: 0,
      thresholds: limitLine(s.maxCancelledRatio),
      targets: SERVING_WINDOWS.map((w) => ({ expr: recorded(model, SERVING_RULE.cancelled(w)), legend: w })),
    }),
  };
}

export function servingSection(model: ServiceModel): Section {
  const s = model.serving;
  if (!s) return { key: "serving", title: "Serving", panels: [] };
  const llm = isLlmKind(model);
  return {
    key: "serving",
    title: "Serving",
    panels: [queueTime(model, s), ...(llm ? [interToken(model, s), outputTokens(model)] : []), cancellations(model, s)],
  };
}
