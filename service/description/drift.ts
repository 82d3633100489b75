/** The `drift` section: watched features, PSI and data-quality tickets. */
import type { MetricContract } from "../metricContract";
import { arr, dflt, num, obj, req, str, type Loose, type Output, type RefineContext } from "../schemaDsl";
import { buckets, duration, percent, ratio, round } from "./common";

export const DRIFT_SCHEMA = obj("Drift and data-quality signals.", {
  features: dflt(
    arr(
      "Input features to watch.",
      obj("A drift feature.", {
        name: req(str("Feature name as in the feature label.", { pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "use letters, digits and underscores" })),
        buckets: buckets("Bucket upper bounds of the feature histogram (default: the contract's featureValue buckets)."),
        baselineFractions: arr(
          "Pinned baseline share per bin (one per bucket plus +Inf), summing to 1 (default: compare against the same bins baselineOffset earlier).",
          num("Share of the bin.", { minimum: 0, maximum: 1 }),
          { minItems: 2 },
        ),
      }),
      { uniqueBy: "name" },
    ),
    [],
  ),
  psiThreshold: dflt(num("PSI that opens a ticket.", { exclusiveMinimum: 0 }), 0.2),
  window: dflt(duration("Window of the current distribution."), "1h"),
  baselineOffset: dflt(duration("Offset of the trailing baseline."), "7d"),
  maxMissingFeaturePercent: dflt(percent("Missing-feature rate that opens a ticket, percent."), 1),
  // Sampling noise alone gives PSI ≈ (bins − 1)(1/N + 1/M): 0.03 for 8 bins at 500 observations.
  minObservations: dflt(num("Observations a window needs before PSI is computed.", { integer: true, minimum: 1 }), 500),
});

type DriftOutput = Output<typeof DRIFT_SCHEMA>;

/** Pinned baselines must have one share per bin of the feature's buckets, summing to 1. */
export function checkDrift(drift: Loose<DriftOutput> | undefined, metrics: MetricContract, ctx: RefineContext): void {
  (drift?.features ?? []).forEach((f, i) => {
    const fractions = f?.baselineFractions;
    if (!fractions || fractions.some((x) => x === undefined)) return;
    const bins = (f.buckets ?? metrics.featureValue.buckets).length + 1;
    const p = `drift.features[${i}].baselineFractions`;
    if (fractions.length !== bins) ctx.issue(p, `has ${fractions.length} shares; give ${bins}, one per bucket (${bins - 1}) plus one for +Inf`);
    const sum = fractions.reduce<number>((a, b) => a + (b ?? 0), 0);
    if (Math.abs(sum - 1) > 0.01) ctx.issue(p, `shares sum to ${round(sum)}; they must sum to 1 (within 0.01)`);
  });
}

/** Drift as generators read it: every feature with its buckets, the missing-feature limit as a ratio. */
export function buildDrift(d: DriftOutput, metrics: MetricContract) {
  const { features, maxMissingFeaturePercent, ...rest } = d;
  return {
    ...rest,
    features: features.map((f) => ({ ...f, buckets: f.buckets ?? metrics.featureValue.buckets })),
    maxMissingFeatureRatio: ratio(maxMissingFeaturePercent),
  };
}
