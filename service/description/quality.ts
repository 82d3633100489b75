/** The `quality` section: evaluation scores and the hallucination and feedback tickets, plus the opt-in GenAI sections (genaiQuality.ts). */
import { arr, dflt, num, obj, req, type Output } from "../schemaDsl";
import { name, percent, ratio } from "./common";
import { JUDGE_SCHEMA, RETRIEVAL_SCHEMA, SAFETY_SCHEMA, buildJudge, buildRetrieval, buildSafety } from "./genaiQuality";

export const QUALITY_SCHEMA = obj("Quality signals.", {
  scores: dflt(
    arr(
      "Evaluation scores the service emits.",
      obj("An evaluation score.", {
        name: req(name("Evaluation name as in the gen_ai_evaluation_name label.")),
        threshold: req(num("Score under which an answer is bad; a bucket boundary.", { exclusiveMinimum: 0 })),
        targetPercent: dflt(percent("Share of answers at or above the threshold, percent."), 90),
        judge: JUDGE_SCHEMA,
      }),
      { uniqueBy: "name" },
    ),
    [],
  ),
  maxHallucinationPercent: dflt(percent("Hallucination rate that opens a ticket, percent (LLM kinds; counted among the answers evaluated on the first of `scores`)."), 5),
  maxNegativeFeedbackPercent: dflt(percent("Negative-feedback rate that opens a ticket, percent (LLM kinds)."), 20),
  safety: SAFETY_SCHEMA,
  retrieval: RETRIEVAL_SCHEMA,
});

/** Quality as generators read it: targets and limits as ratios. */
export function buildQuality(q: Output<typeof QUALITY_SCHEMA>, psiThreshold: number) {
  const { scores, maxHallucinationPercent, maxNegativeFeedbackPercent, safety, retrieval, ...rest } = q;
  return {
    ...rest,
    scores: scores.map(({ targetPercent, judge, ...score }) => ({
      ...score,
      /** Ratio, e.g. 0.9. */
      target: ratio(targetPercent),
      /** Judge calibration, when declared. */
      judge: buildJudge(judge),
    })),
    /** Ratio, e.g. 0.05. */
    maxHallucinationRatio: ratio(maxHallucinationPercent),
    maxNegativeFeedbackRatio: ratio(maxNegativeFeedbackPercent),
    /** Safety signals, when declared. */
    safety: buildSafety(safety),
    /** Retrieval signals, when declared. */
    retrieval: buildRetrieval(retrieval, psiThreshold),
  };
}
