/**
 * The opt-in safety, retrieval and judge-calibration sections of `quality`: their defaults once
 * declared, and the exact lines a user reads for a section on a kind that cannot feed it or a
 * limit that could never open a ticket.
 */
import { normalizeService } from "../service/normalize";
import { problems, validDescription, type Description } from "./support/validationProblems";

const withQuality = (change: (d: Description) => void) => {
  const d = validDescription();
  change(d);
  return problems(() => normalizeService(d));
};

it("turns each section on with its documented defaults when declared empty, and leaves it off otherwise", () => {
  const plain = normalizeService(validDescription());
  expect([plain.quality.safety, plain.quality.retrieval, plain.quality.scores[0].judge]).toEqual([undefined, undefined, undefined]);
  const d = validDescription();
  d.quality = { scores: [{ name: "relevance", threshold: 0.7, judge: {} }], safety: {}, retrieval: {} };
  d.drift.psiThreshold = 0.25;
  const q = normalizeService(d).quality;
  expect(q.safety).toEqual({ maxInjectionAcceptedRatio: 0.05, maxUnsafeRatio: 0.01, maxBadRefusalRatio: 0.2 });
  // The chunk-score PSI limit follows the drift section's unless given.
  expect(q.retrieval).toEqual({ maxMissRatio: 0.1, minCitationSupportRatio: 0.9, maxChunkScorePsi: 0.25 });
  expect(q.scores[0].judge).toEqual({ minAgreementRatio: 0.8, minLabelledSamples: 100 });
});

const CASES: [string, (d: Description) => void, string[]][] = [
  [
    "safety and judge calibration on a model endpoint, which calls no LLM",
    (d) => {
      d.kind = "model-endpoint";
      d.quality = { scores: [{ name: "relevance", threshold: 0.7, judge: {} }], safety: {} };
    },
    [
      "quality.scores[0].judge: is for rag-pipeline, llm-gateway and agent services; this model-endpoint service emits none of its metrics, so remove it",
      "quality.safety: is for rag-pipeline, llm-gateway and agent services; this model-endpoint service emits none of its metrics, so remove it",
    ],
  ],
  [
    "retrieval on an LLM gateway, which retrieves nothing",
    (d) => {
      d.kind = "llm-gateway";
      d.quality.retrieval = { maxMissPercent: 5 };
    },
    ["quality.retrieval: is for rag-pipeline services; this llm-gateway service emits none of its metrics, so remove it"],
  ],
  [
    "a limit of 100%, which no rate can exceed",
    (d) => {
      d.quality.safety = { maxUnsafePercent: 100 };
      d.quality.retrieval = { maxMissPercent: 100 };
    },
    [
      "quality.safety.maxUnsafePercent: is 100: no rate exceeds 100%, so its ticket could never open; give a lower limit",
      "quality.retrieval.maxMissPercent: is 100: no rate exceeds 100%, so its ticket could never open; give a lower limit",
    ],
  ],
  [
    "token spend, model prices, hallucination and feedback limits on a model endpoint, whose instrumentation emits none of them",
    (d) => {
      d.kind = "model-endpoint";
      d.models = [{ name: "scorer-v3", provider: "internal", inputPricePer1kTokens: 0.01 }];
      d.cost = { hourlyBudgetUsd: 5 };
      d.quality = { scores: [{ name: "relevance", threshold: 0.7 }], maxHallucinationPercent: 2, maxNegativeFeedbackPercent: 2 };
    },
    [
      "models: is for rag-pipeline, llm-gateway and agent services; this model-endpoint service emits none of its metrics, so remove it",
      "quality.maxHallucinationPercent: is for rag-pipeline, llm-gateway and agent services; this model-endpoint service emits none of its metrics, so remove it",
      "quality.maxNegativeFeedbackPercent: is for rag-pipeline, llm-gateway and agent services; this model-endpoint service emits none of its metrics, so remove it",
      "cost.hourlyBudgetUsd: spend is computed from LLM token usage and model prices, which a model-endpoint service does not emit; remove it",
    ],
  ],
  [
    "a spend budget with no priced model, and a hallucination limit with no score to count hallucinations among",
    (d) => {
      d.kind = "llm-gateway";
      d.models = [{ name: "gpt-4o", provider: "openai" }];
      d.cost = { hourlyBudgetUsd: 5 };
      // No score, so no SLO on one either.
      d.quality = { scores: [], maxHallucinationPercent: 2 };
      d.slos = d.slos.filter((slo: { quality?: unknown }) => !slo.quality);
    },
    [
      "quality.maxHallucinationPercent: hallucinations are counted among the answers evaluated on the first of `quality.scores`, and none is declared; declare a score or remove it",
      "cost.hourlyBudgetUsd: no model in `models` has a price, so spend is never computed and this budget could never open a ticket; give a model inputPricePer1kTokens or outputPricePer1kTokens, or remove it",
    ],
  ],
  [
    "a judge guard of no samples and a zero agreement minimum",
    (d) => (d.quality.scores[0].judge = { minLabelledSamples: 0, minAgreementPercent: 0 }),
    [
      "quality.scores[0].judge.minLabelledSamples: 0 is below the minimum 1",
      "quality.scores[0].judge.minAgreementPercent: 0 must be greater than 0",
    ],
  ],
];

it.each(CASES)("%s", (_, change, expected) => {
  expect(withQuality(change)).toEqual(expected);
});
