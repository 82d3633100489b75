/**
 * Synthetic verdict counters of the safety, retrieval and judge-calibration signals (a counter
 * split by one verdict label), and rag-assistant's healthy levels of all of them.
 */
import type { InputSeries } from "./syntheticSeries";
import { counter, job, rag, steady } from "./signalHarness";

/** `perMinute` events for `minutes`, of which `share` carry `value` of the verdict label and the rest `other`. */
export const verdictCounters = (
  name: string,
  labels: Record<string, string>,
  label: string,
  value: string,
  other: string,
  minutes: number,
  perMinute: number,
  share: number,
  absentMinutes = 0,
): InputSeries[] => [
  counter(name, { ...labels, [label]: value }, steady(minutes, perMinute * share), absentMinutes),
  counter(name, { ...labels, [label]: other }, steady(minutes, perMinute * (1 - share)), absentMinutes),
];

/** rag-assistant's safety, retrieval and judge verdicts for `minutes` at healthy levels (well inside each declared limit). */
export const ragJudgedTraffic = (minutes: number): InputSeries[] => {
  const c = rag.metrics;
  const L = c.labels;
  const V = c.values;
  const prompt = { ...job(rag), [L.model]: "gpt-4o-mini", [L.promptVersion]: "p1" };
  const index = { ...job(rag), [L.modelVersion]: "v1", [L.indexVersion]: "idx-1" };
  return [
    ...verdictCounters(c.promptInjections.name, prompt, L.guardrailAction, "allowed", V.guardrailBlocked, minutes, 2, 0.01),
    ...verdictCounters(c.safetyEvaluations.name, prompt, L.safetyVerdict, V.safetyUnsafe, "safe", minutes, 12, 0.001),
    ...verdictCounters(c.refusalEvaluations.name, prompt, L.refusalVerdict, V.refusalUnwarranted, "warranted", minutes, 2, 0.05),
    ...verdictCounters(c.retrievalEvaluations.name, index, L.retrievalOutcome, V.retrievalMiss, "hit", minutes, 12, 0.02),
    ...verdictCounters(c.citations.name, index, L.citationVerdict, V.citationSupported, "unsupported", minutes, 24, 0.97),
    ...verdictCounters(c.judgeLabels.name, { ...job(rag), [L.evaluation]: "relevance" }, L.judgeAgreement, V.judgeAgree, "disagree", minutes, 0.5, 0.93),
  ];
};
