/**
 * Serving (services with a `serving` section): queue-time P95, inter-token latency P95, output
 * tokens per second and the cancellation ratio, each with its declared limit dashed. The serving
 * tickets link here.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { SERVING_PANEL, SERVING_RULE, SERVING_WINDOWS } from "../../alerts/servingAgentNames";
import { isLlmKind } from "../../alerts/signals/requests";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { recorded } from "../promql";

const [PANEL_WINDOW, TICKET_WINDOW] = SERVING_WINDOWS;
const limitLine = (limit: number | undefined) => (limit === undefined ? undefined : steps(COLOR.ok, [limit, COLOR.act]));
const limitText = (limit: number | undefined, unit: string) => (limit === undefined ? "" : ` Dashed: the limit, ${num(limit)}${unit}; a ticket opens over it.`);

/** A P95 panel of a recorded serving latency, its declared limit dashed. */
function p95Panel(model: ServiceModel, key: string, title: string, what: string, rule: string, limit: number | undefined): PanelSpec {
  return {
    key,
    width: WIDTH.half,
    panel: timeseries({
      title,
      description: `${what}${limitText(limit, " s")}`,
      unit: units.Seconds,
      min: 0,
      thresholds: limitLine(limit),
      targets: [{ expr: recorded(model, rule), legend: "P95" }],
    }),
  };
}

const queueTime = (model: ServiceModel, s: NonNullable<ServiceModel["serving"]>): PanelSpec =>
  p95Panel(
    model,
    SERVING_PANEL.queueTime,
    "Queue time P95",
    `How long requests wait for a worker before any work starts, at P95 over ${PANEL_WINDOW}: rising queue time with flat latency of the work itself means too little capacity.`,
    SERVING_RULE.queueTimeP95(PANEL_WINDOW),
    s.maxQueueSeconds,
  );

const interToken = (model: ServiceModel, s: NonNullable<ServiceModel["serving"]>): PanelSpec =>
  p95Panel(
    model,
    SERVING_PANEL.interToken,
    "Inter-token latency P95",
    `Time between output tokens of streamed answers (time per output token) at P95 over ${PANEL_WINDOW}: how fast an answer reads once it started.`,
    SERVING_RULE.interTokenP95(PANEL_WINDOW),
    s.maxInterTokenSeconds,
  );

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
