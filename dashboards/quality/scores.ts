/**
 * Evaluation scores: per declared score, the share of answers above its threshold per model
 * version over 1h and 1d (the recorded quality signal the score ticket links to) against the
 * target, and the low tail of the raw score distribution against the threshold.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { QUALITY_RULE, QUALITY_WINDOWS, SIGNAL_LABEL, SIGNAL_PANEL } from "../../alerts/signalNames";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, dashed, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { eq, quantile, raw, recorded } from "../promql";
import { PANEL } from "../../service/links";
import { releaseLegend } from "./release";
import { sliceBy, sliceLegend } from "../slices";
import { scoreSlicePanels } from "./slices";

type Score = ServiceModel["quality"]["scores"][number];

function goodShareByVersion(model: ServiceModel, s: Score): PanelSpec {
  const [short, long] = QUALITY_WINDOWS;
  return {
    key: SIGNAL_PANEL.score(s.name),
    width: WIDTH.half,
    panel: dashed(
      timeseries({
        title: `${s.name} above ${s.threshold} by model version`,
        description: `Share of answers scoring above ${s.threshold} on ${s.name}, per model version, over ${short} and over ${long} (dashed, to compare releases on a full day). Dashed red: the ${num(s.target * 100)}% target; a ticket opens when the ${short} share stays under it.`,
        unit: units.PercentUnit,
        max: 1,
        thresholds: steps(COLOR.act, [s.target, COLOR.ok]),
        targets: QUALITY_WINDOWS.map((w) => ({
          expr: recorded(model, QUALITY_RULE.scoreGood(w), eq(SIGNAL_LABEL.evaluation, s.name)),
          legend: `${releaseLegend(model)} (${w})`,
        })),
      }),
      ` \\(${long}\\)$`,
    ),
  };
}

function distribution(model: ServiceModel, s: Score): PanelSpec {
  const m = model.metrics;
  const sel = raw(model, eq(m.labels.evaluation, s.name));
  return {
    key: PANEL.scoreDistribution(s.name),
    width: WIDTH.half,
    panel: timeseries({
      title: `${s.name} score, low tail and median`,
      description: `${s.name} scores of evaluated answers at P10 and P50. Dashed: the ${s.threshold} threshold under which an answer counts as bad.`,
      unit: units.Short,
      min: 0,
      max: 1,
      thresholds: steps(COLOR.act, [s.threshold, COLOR.ok]),
      targets: [
        { expr: quantile(0.1, m.evaluationScore.name, sel, sliceBy(model)), legend: sliceLegend(model, "P10") },
        { expr: quantile(0.5, m.evaluationScore.name, sel, sliceBy(model)), legend: sliceLegend(model, "P50") },
      ],
    }),
  };
}

export function scoresSection(model: ServiceModel): Section {
  return {
    key: "quality:scores",
    title: "Evaluation scores",
    panels: model.quality.scores.flatMap((s) => [goodShareByVersion(model, s), distribution(model, s), ...scoreSlicePanels(model, s)]),
  };
}
