/**
 * Input and output drift: PSI and Jensen–Shannon divergence per distribution from the drift
 * recording rules, with the stable / watch / act bands shaded, and per distribution its share of
 * observations per bin now against the baseline (the series the PSI is computed from).
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { DISTRIBUTION_RULE, PSI_BANDS, SIGNAL_LABEL, SIGNAL_PANEL, type DistributionLevel } from "../../alerts/signalNames";
import { baselineWords, type Distribution } from "../../alerts/signals/distributionShift";
import { featureDistributions } from "../../alerts/signals/featureDrift";
import { TICKET_FOR } from "../../alerts/signals/tickets";
import { outputDistributions } from "../../alerts/signals/outputDrift";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, dashed, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { eq, recorded } from "../promql";
import { PANEL } from "../../service/links";

export const levelLabel = (level: DistributionLevel) => (level === "feature" ? SIGNAL_LABEL.feature : SIGNAL_LABEL.output);
const noun = (level: DistributionLevel) => (level === "feature" ? "input feature" : "model output");

function psi(model: ServiceModel, level: DistributionLevel, ds: readonly Distribution[]): PanelSpec {
  const t = model.drift.psiThreshold;
  return {
    key: level === "feature" ? SIGNAL_PANEL.featurePsi : SIGNAL_PANEL.outputPsi,
    width: WIDTH.half,
    panel: timeseries({
      title: `PSI per ${noun(level)}`,
      description: `Population stability index over ${model.drift.window} against ${baselineWords(model, ds)}. Bands: stable under ${num(PSI_BANDS.stableBelow)}, watch up to ${num(t)}, act above (a ticket opens when it stays there for ${TICKET_FOR.drift}). No value while a window holds fewer than ${model.drift.minObservations} observations.`,
      unit: units.Short,
      min: 0,
      thresholds: steps(COLOR.ok, [PSI_BANDS.stableBelow, COLOR.watch], [t, COLOR.act]),
      bands: true,
      targets: [{ expr: recorded(model, DISTRIBUTION_RULE.psi(level, model.drift.window)), legend: `{{${levelLabel(level)}}}` }],
    }),
  };
}

function jsDivergence(model: ServiceModel, level: DistributionLevel): PanelSpec {
  return {
    key: `drift:${level}-js`,
    width: WIDTH.half,
    panel: timeseries({
      title: `Jensen-Shannon divergence per ${noun(level)}`,
      description: `Symmetric, bounded (0 to ln 2, about 0.693) companion of the PSI over the same bins: reads the same whichever side a bin vanished on.`,
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, DISTRIBUTION_RULE.jsDivergence(level, model.drift.window)), legend: `{{${levelLabel(level)}}}` }],
    }),
  };
}

function bins(model: ServiceModel, d: Distribution): PanelSpec {
  const w = model.drift.window;
  const which = eq(levelLabel(d.level), d.name);
  return {
    key: PANEL.distribution(d.level, d.name),
    width: WIDTH.half,
    panel: dashed(
      timeseries({
        title: `${d.name}: share per bin, now and baseline`,
        description: `Share of the ${noun(d.level)} ${d.name}'s observations in each bin (le = upper bound) over ${w}, against ${baselineWords(model, [d])} (dashed). Bins that grew or shrank are the shift the PSI measures.`,
        unit: units.PercentUnit,
        min: 0,
        targets: [
          { expr: recorded(model, DISTRIBUTION_RULE.share(d.level, w), which), legend: `now le {{${SIGNAL_LABEL.le}}}` },
          { expr: recorded(model, DISTRIBUTION_RULE.baselineShare(d.level, w), which), legend: `baseline le {{${SIGNAL_LABEL.le}}}` },
        ],
      }),
      "^baseline ",
    ),
  };
}

function driftSection(model: ServiceModel, level: DistributionLevel, ds: readonly Distribution[]): Section {
  const panels = ds.length > 0 ? [psi(model, level, ds), jsDivergence(model, level), ...ds.map((d) => bins(model, d))] : [];
  return { key: `drift:${level}`, title: level === "feature" ? "Input drift" : "Output drift", panels };
}

export const inputDriftSection = (model: ServiceModel) => driftSection(model, "feature", featureDistributions(model));
export const outputDriftSection = (model: ServiceModel) => driftSection(model, "output", outputDistributions(model));
