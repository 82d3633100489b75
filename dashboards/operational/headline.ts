/**
 * The operational headline: is the service failing, slow, out of budget or leaking? Each stat
 * turns red where the matching alert would fire and says what to do.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import type { ServiceModel } from "../../service/model";
import { spread, type Headline } from "../layout";
import { COLOR, lowerIsBetter, stat, steps, type PanelSpec } from "../presets";
import { NOW, matches, quantile, raw, sumRate } from "../promql";
import { CAUSE_ALERT, causeRunbook, ifRed, sloBurnRunbook } from "../runbooks";
import { BUDGET_WATCH, lowestBudgetExpr, pagingFactor, serviceSlo, slosOf } from "../slo";
import { MEMORY_GROWTH, memoryGrowthExpr } from "./saturation";

const pct = (ratio: number) => `${num(ratio * 100)}%`;

/** Without an availability SLO: yellow from 1% errors, red from 5%. */
const DEFAULT_ERROR_RATIO = { watch: 0.01, act: 0.05 };

/**
 * Share of requests answered with a server error over `window`, of the requests `matchers` select,
 * per `by` group. A group without errors reads 0, not "no data": `vector(0)` fills the single
 * ungrouped series, `0 * <requests>` fills each group that had requests.
 */
export function errorRatioExpr(model: ServiceModel, window: string, by: readonly string[] = [], ...matchers: string[]): string {
  const m = model.metrics;
  const h = `${m.httpRequestDuration.name}_count`;
  const bad = sumRate(h, raw(model, ...matchers, matches(m.labels.httpStatusCode, m.values.httpServerErrorRegex)), by, window);
  const all = sumRate(h, raw(model, ...matchers), by, window);
  return `(${bad} or ${by.length > 0 ? `0 * ${all}` : "vector(0)"}) / ${all}`;
}

function errorRatio(model: ServiceModel): Headline {
  const slo = serviceSlo(model, "availability");
  const budget = slo ? 1 - slo.objective : undefined;
  const t = slo && budget !== undefined ? { watch: budget, act: budget * pagingFactor(slo) } : DEFAULT_ERROR_RATIO;
  const meaning = slo
    ? `yellow above the ${slo.name} SLO's error budget (${pct(t.watch)}), red at the paging burn rate (${pct(t.act)})`
    : `yellow from ${pct(t.watch)}, red from ${pct(t.act)}`;
  const where = model.stages.length > 0 ? "find the failing stage under Errors, then its error type" : "read Errors by error type below";
  return {
    key: "headline:error-ratio",
    panel: stat({
      title: "Error ratio (5m)",
      description: `Share of requests answered with a server error over the last ${NOW}; ${meaning}. ${ifRed(where, slo && sloBurnRunbook(model, slo))}`,
      unit: units.PercentUnit,
      decimals: 2,
      thresholds: lowerIsBetter(t.watch, t.act),
      target: { expr: errorRatioExpr(model, NOW) },
    }),
  };
}

/** Yellow from this share of the latency threshold: the tail is closing in on it. */
const LATENCY_WATCH = 0.8;

function latency(model: ServiceModel): Headline {
  const slo = serviceSlo(model, "latency");
  const q = slo ? slo.objective : 0.95;
  const threshold = slo && slo.sli.kind === "latency" ? slo.sli.thresholdSeconds : model.tracing.slowThresholdSeconds;
  const what = slo ? `the ${slo.name} SLO threshold` : "the slow-request threshold of tail sampling";
  const slowest =
    model.stages.length > 0
      ? "open Stage latency P95 below and work on the stage furthest over its target, then its saturation"
      : "check Saturation below and recent releases";
  return {
    key: "headline:latency",
    panel: stat({
      title: `P${num(q * 100)} latency (5m)`,
      description: `End-to-end P${num(q * 100)} request latency over the last ${NOW} against ${what} (${threshold} s); yellow from ${num(LATENCY_WATCH * 100)}% of it, red above it. ${ifRed(slowest, slo && sloBurnRunbook(model, slo))}`,
      unit: units.Seconds,
      decimals: 2,
      thresholds: lowerIsBetter(threshold * LATENCY_WATCH, threshold),
      target: { expr: quantile(q, model.metrics.httpRequestDuration.name, raw(model), [], NOW) },
    }),
  };
}

function budget(model: ServiceModel): Headline | undefined {
  const slos = slosOf(model, "operational");
  if (slos.length === 0) return undefined;
  return {
    key: "headline:error-budget",
    panel: stat({
      title: "Lowest error budget left",
      description: `Error budget left of the SLO that has least (${slos.map((s) => s.name).join(", ")}); yellow under ${pct(BUDGET_WATCH)}, red when spent. ${ifRed("that SLO's budget is gone: freeze risky releases and work through its SLO row below")}`,
      unit: units.PercentUnit,
      decimals: 1,
      showName: true,
      thresholds: steps(COLOR.act, [0, COLOR.watch], [BUDGET_WATCH, COLOR.ok]),
      target: { expr: lowestBudgetExpr(model, slos), legend: `{{slo}}` },
    }),
  };
}

function memoryGrowth(model: ServiceModel): Headline {
  return {
    key: "headline:memory-growth",
    panel: stat({
      title: "Memory vs a day ago (worst replica)",
      description: `Resident memory of the replica that grew most, as a share of its size a day earlier; yellow from ${pct(MEMORY_GROWTH.watch)}, red from ${pct(MEMORY_GROWTH.act)} (the memory-growth ticket). ${ifRed("take a heap profile of that replica (Saturation below) and restart it if latency suffers", causeRunbook(model, CAUSE_ALERT.memoryGrowth))}`,
      unit: units.PercentUnit,
      decimals: 0,
      thresholds: lowerIsBetter(MEMORY_GROWTH.watch, MEMORY_GROWTH.act),
      target: { expr: memoryGrowthExpr(model) },
    }),
  };
}

export function operationalHeadline(model: ServiceModel): PanelSpec[] {
  return spread([errorRatio(model), latency(model), budget(model), memoryGrowth(model)]);
}
