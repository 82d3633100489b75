/**
 * The series of the safety, retrieval and judge-calibration signals, for services declaring them:
 * guardrail detections, safety and refusal verdicts per model and prompt version; retrieval
 * verdicts and citations per model and index version; retrieved-chunk scores per index version;
 * human labels per judged score. Each family draws from its own seeded stream, so services that
 * declare none of them replay exactly as before.
 */
import type { ServiceModel } from "../service/model";
import { binShares } from "./distributions";
import type { Emitter } from "./generate";
import type { MinuteState, VersionState } from "./traffic";

/** The model that writes the answers: the first declared model with an output price (the others embed). */
const answeringModel = (model: ServiceModel) => model.models.find((x) => x.outputPricePer1kTokens > 0)?.name ?? model.models[0]?.name ?? "model";

/** Of `all` events, counts `matching` with `value` of the verdict label and the rest with `otherValue`. */
function verdicts(e: Emitter, minute: number, name: string, labels: Record<string, string>, label: string, value: string, otherValue: string, all: number, matching: number): void {
  if (!e.wanted(name)) return;
  e.book.count(minute, name, { ...labels, [label]: value }, matching);
  e.book.count(minute, name, { ...labels, [label]: otherValue }, all - matching);
}

function safetyEvents(e: Emitter, minute: number, state: MinuteState, v: VersionState, served: number, evaluated: number): void {
  const { m, rnd } = e;
  const L = m.labels;
  const V = m.values;
  const labels = { ...e.base, [L.model]: answeringModel(e.model), [L.promptVersion]: v.version };
  const attempts = rnd.safety.binomial(served, state.injectionAttemptShare);
  verdicts(e, minute, m.promptInjections.name, labels, L.guardrailAction, "allowed", V.guardrailBlocked, attempts, rnd.safety.binomial(attempts, v.injectionAcceptedShare));
  verdicts(e, minute, m.safetyEvaluations.name, labels, L.safetyVerdict, V.safetyUnsafe, "safe", evaluated, rnd.safety.binomial(evaluated, v.unsafeShare));
  const reviewed = rnd.safety.binomial(served, state.reviewedRefusalShare);
  verdicts(e, minute, m.refusalEvaluations.name, labels, L.refusalVerdict, V.refusalUnwarranted, "warranted", reviewed, rnd.safety.binomial(reviewed, v.unwarrantedRefusalShare));
}

function retrievalEvents(e: Emitter, minute: number, state: MinuteState, v: VersionState, evaluated: number): void {
  const { m, rnd } = e;
  const L = m.labels;
  const V = m.values;
  const labels = { ...e.base, [L.modelVersion]: v.version, [L.indexVersion]: state.indexVersion };
  verdicts(e, minute, m.retrievalEvaluations.name, labels, L.retrievalOutcome, V.retrievalMiss, "hit", evaluated, rnd.retrieval.binomial(evaluated, v.retrievalMissShare));
  const citations = evaluated * state.citationsPerAnswer;
  verdicts(e, minute, m.citations.name, labels, L.citationVerdict, V.citationSupported, "unsupported", citations, rnd.retrieval.binomial(citations, v.citationSupportShare));
}

function judgeLabels(e: Emitter, minute: number, state: MinuteState, v: VersionState, evaluated: number): void {
  const { m, rnd } = e;
  const L = m.labels;
  for (const s of e.model.quality.scores) {
    if (!s.judge) continue;
    const labelled = rnd.judge.binomial(evaluated, state.labelledShare);
    const agreed = rnd.judge.binomial(labelled, v.judgeAgreementShare[s.name] ?? 1);
    verdicts(e, minute, m.judgeLabels.name, { ...e.base, [L.evaluation]: s.name }, L.judgeAgreement, "disagree", m.values.judgeAgree, labelled, labelled - agreed);
  }
}

/** The judged events of one model version's answers in a minute. */
export function judgedAnswers(e: Emitter, minute: number, state: MinuteState, v: VersionState, served: number, evaluated: number): void {
  const llm = e.model.kind === "rag-pipeline" || e.model.kind === "llm-gateway";
  if (llm && e.model.quality.safety) safetyEvents(e, minute, state, v, served, evaluated);
  if (e.model.kind === "rag-pipeline" && e.model.quality.retrieval) retrievalEvents(e, minute, state, v, evaluated);
  if (llm) judgeLabels(e, minute, state, v, evaluated);
}

/** Relevance scores of the chunks retrieved in a minute, per index version. */
export function retrievedChunks(e: Emitter, minute: number, state: MinuteState, requests: number): void {
  const h = e.m.retrievalChunkScore;
  if (e.model.kind !== "rag-pipeline" || !e.model.quality.retrieval || !e.histogramWanted(h.name)) return;
  const labels = { ...e.base, [e.m.labels.indexVersion]: state.indexVersion };
  e.observe(minute, h.name, labels, h.buckets, requests * state.chunksPerRequest, binShares(h.buckets, state.chunkScoreShares), e.rnd.retrieval);
}
