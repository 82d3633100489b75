/**
 * Quality panels split by the `slice` variable (services declaring slices only). The per-version
 * panels read recorded series, which carry no slice labels (the rules aggregate them away to keep
 * their cardinality), so these read the raw evaluation series over the ticket window instead, with
 * the recording rules' definitions: the good side of a score is above its threshold, and
 * hallucinations count against answers evaluated on the first declared score.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { QUALITY_WINDOWS } from "../../alerts/signalNames";
import { leMatcher } from "../../service/leMatcher";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec } from "../presets";
import { eq, raw, sumRate } from "../promql";
import { hasSlices, sliceBy, sliceLegend } from "../slices";

type Score = ServiceModel["quality"]["scores"][number];

/** The window of the split quality panels: the tickets' window, enough evaluated answers per slice. */
export const SPLIT_WINDOW = QUALITY_WINDOWS[0];

/** Share of answers evaluated on `s` scoring above its threshold over `window`, per `by` group, of those `matchers` select. */
export function scoreGoodExpr(model: ServiceModel, s: Score, window: string, by: readonly string[], ...matchers: string[]): string {
  const m = model.metrics;
  const h = m.evaluationScore.name;
  const which = eq(m.labels.evaluation, s.name);
  const bad = sumRate(`${h}_bucket`, raw(model, ...matchers, which, leMatcher(s.threshold)), by, window);
  return `1 - (${bad} / (${sumRate(`${h}_count`, raw(model, ...matchers, which), by, window)} > 0))`;
}

function scoreBySlice(model: ServiceModel, s: Score): PanelSpec {
  return {
    key: `quality:score-by-slice:${s.name}`,
    width: WIDTH.half,
    panel: timeseries({
      title: `${s.name} above ${s.threshold} by slice`,
      description: `Share of answers scoring above ${s.threshold} on ${s.name} over ${SPLIT_WINDOW}, split by the slice picked above (all model versions): a region or tier under the ${num(s.target * 100)}% target while the others hold is a local cause.`,
      unit: units.PercentUnit,
      max: 1,
      thresholds: steps(COLOR.act, [s.target, COLOR.ok]),
      targets: [{ expr: scoreGoodExpr(model, s, SPLIT_WINDOW, sliceBy(model)), legend: sliceLegend(model, `${s.name} (${SPLIT_WINDOW})`) }],
    }),
  };
}

/** One panel per declared score, after its per-version panels. */
export const scoreSlicePanels = (model: ServiceModel, s: Score): PanelSpec[] => (hasSlices(model) ? [scoreBySlice(model, s)] : []);

/** Hallucinated answers per slice, or nothing without slices or scores (no denominator). */
export function hallucinationSlicePanels(model: ServiceModel): PanelSpec[] {
  const primary = model.quality.scores[0];
  if (!hasSlices(model) || primary === undefined) return [];
  const m = model.metrics;
  const max = model.quality.maxHallucinationRatio;
  const evaluated = sumRate(`${m.evaluationScore.name}_count`, raw(model, eq(m.labels.evaluation, primary.name)), sliceBy(model), SPLIT_WINDOW);
  return [
    {
      key: "quality:hallucinations-by-slice",
      width: WIDTH.third,
      panel: timeseries({
        title: "Hallucinated answers by slice",
        description: `Share of answers evaluated on ${primary.name} judged hallucinated over ${SPLIT_WINDOW}, split by the slice picked above (all model versions). Dashed: the ${num(max * 100)}% limit of the hallucination ticket.`,
        unit: units.PercentUnit,
        min: 0,
        thresholds: steps(COLOR.ok, [max, COLOR.act]),
        targets: [
          {
            expr: `${sumRate(m.hallucinations.name, raw(model), sliceBy(model), SPLIT_WINDOW)} / (${evaluated} > 0)`,
            legend: sliceLegend(model, "hallucinated"),
          },
        ],
      }),
    },
  ];
}
