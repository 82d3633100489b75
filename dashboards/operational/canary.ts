/**
 * Canary vs baseline (services declaring a `canary` track): the error ratio, the P95 latency and
 * the first declared score's good share of canary and baseline traffic side by side, then each
 * canary value divided by its baseline value on one panel, where 1 means "no difference". The
 * incident runbook's "compare the canary with the baseline" step reads this row.
 *
 * Error ratios are floored at ERROR_RATIO_FLOOR before dividing: two error-free tracks compare as
 * 1, and a canary failing while the baseline does not reads as a large finite ratio rather than
 * +Inf or NaN.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section, type Target } from "../presets";
import { RATE, eq, quantile, raw } from "../promql";
import { SPLIT_WINDOW, scoreGoodExpr } from "../quality/slices";
import { errorRatioExpr } from "./headline";

type Canary = NonNullable<ServiceModel["canary"]>;
type Track = "canary" | "baseline";
const TRACKS: readonly Track[] = ["canary", "baseline"];

/** Smallest error ratio a track is divided with: 0.01%. */
const ERROR_RATIO_FLOOR = 0.0001;

const on = (c: Canary, t: Track) => eq(c.label, c[t]);

/** Each comparison: one query per track, and how they divide. */
interface Measure {
  readonly key: string;
  readonly title: string;
  readonly what: string;
  readonly unit: string;
  readonly expr: (t: Track) => string;
  readonly ratio: string;
}

function measures(model: ServiceModel, c: Canary): Measure[] {
  const errors = (t: Track) => errorRatioExpr(model, RATE, [], on(c, t));
  const p95 = (t: Track) => quantile(0.95, model.metrics.httpRequestDuration.name, raw(model, on(c, t)));
  const floor = (t: Track) => `clamp_min(${errors(t)}, ${num(ERROR_RATIO_FLOOR)})`;
  const list: Measure[] = [
    { key: "errors", title: "Error ratio", what: "share of requests answered with a server error", unit: units.PercentUnit, expr: errors, ratio: `${floor("canary")} / ${floor("baseline")}` },
    { key: "p95", title: "P95 latency", what: "end-to-end P95 request latency", unit: units.Seconds, expr: p95, ratio: `${p95("canary")} / ${p95("baseline")}` },
  ];
  const s = model.quality.scores[0];
  if (s) {
    const good = (t: Track) => scoreGoodExpr(model, s, SPLIT_WINDOW, [], on(c, t));
    list.push({
      key: "score",
      title: `${s.name} above ${s.threshold}`,
      what: `share of answers scoring above ${s.threshold} on ${s.name} over ${SPLIT_WINDOW}`,
      unit: units.PercentUnit,
      expr: good,
      ratio: `(${good("canary")}) / (${good("baseline")})`,
    });
  }
  return list;
}

function sideBySide(c: Canary, m: Measure, width: number): PanelSpec {
  return {
    key: `canary:${m.key}`,
    width,
    panel: timeseries({
      title: `${m.title}: canary vs baseline`,
      description: `The ${m.what}, of canary traffic (${c.label}=${c.canary}) and of baseline traffic (${c.label}=${c.baseline}).`,
      unit: m.unit,
      min: 0,
      targets: TRACKS.map((t): Target => ({ expr: m.expr(t), legend: `${t} (${c[t]})` })),
    }),
  };
}

function ratios(c: Canary, list: readonly Measure[]): PanelSpec {
  return {
    key: "canary:ratio",
    width: WIDTH.full,
    panel: timeseries({
      title: "Canary / baseline",
      description: `Each measure of canary traffic (${c.label}=${c.canary}) divided by the same measure of baseline traffic (${c.label}=${c.baseline}). Dashed: 1, no difference. Above 1 the canary fails or waits more; a score under 1 means worse answers. Error ratios are floored at ${num(ERROR_RATIO_FLOOR * 100)}% so error-free tracks compare as 1.`,
      unit: units.Short,
      min: 0,
      thresholds: steps(COLOR.ok, [1, COLOR.watch]),
      targets: list.map((m) => ({ expr: m.ratio, legend: m.title })),
    }),
  };
}

export function canarySection(model: ServiceModel): Section {
  const c = model.canary;
  if (!c) return { key: "canary", title: "Canary vs baseline", panels: [] };
  const list = measures(model, c);
  const width = list.length === 3 ? WIDTH.third : WIDTH.half;
  return { key: "canary", title: "Canary vs baseline", panels: [...list.map((m) => sideBySide(c, m, width)), ratios(c, list)] };
}
