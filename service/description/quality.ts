/** The `quality` section: evaluation scores and the hallucination and feedback tickets. */
import { arr, dflt, num, obj, req, type Output } from "../schemaDsl";
import { name, percent, ratio } from "./common";

export const QUALITY_SCHEMA = obj("Quality signals.", {
  scores: dflt(
    arr(
      "Evaluation scores the service emits.",
      obj("An evaluation score.", {
        name: req(name("Evaluation name as in the gen_ai_evaluation_name label.")),
        threshold: req(num("Score under which an answer is bad; a bucket boundary.", { exclusiveMinimum: 0 })),
        targetPercent: dflt(percent("Share of answers at or above the threshold, percent."), 90),
      }),
      { uniqueBy: "name" },
    ),
    [],
  ),
  maxHallucinationPercent: dflt(percent("Hallucination rate that opens a ticket, percent."), 5),
  maxNegativeFeedbackPercent: dflt(percent("Negative-feedback rate that opens a ticket, percent."), 20),
});

/** Quality as generators read it: targets and limits as ratios. */
export function buildQuality(q: Output<typeof QUALITY_SCHEMA>) {
  const { scores, maxHallucinationPercent, maxNegativeFeedbackPercent, ...rest } = q;
  return {
    ...rest,
    scores: scores.map(({ targetPercent, ...score }) => ({ ...score, /** Ratio, e.g. 0.9. */ target: ratio(targetPercent) })),
    /** Ratio, e.g. 0.05. */
    maxHallucinationRatio: ratio(maxHallucinationPercent),
    maxNegativeFeedbackRatio: ratio(maxNegativeFeedbackPercent),
  };
}
