/**
 * The opt-in GenAI sections of `quality`: safety (`quality.safety`), retrieval
 * (`quality.retrieval`) and the calibration of a score's LLM judge (`quality.scores[].judge`).
 * Declaring a section, even as `{}`, turns its signals on with the defaults below; leaving it out
 * generates nothing for it. Each section belongs to the kinds that can emit its metrics, and a
 * limit that no rate can cross is refused rather than left to never fire.
 */
import { dflt, num, obj, type Loose, type Output, type RefineContext } from "../schemaDsl";
import { percent, ratio } from "./common";

/** Kinds that call LLMs: they emit GenAI token usage, evaluations, safety verdicts, hallucinations, feedback (an agent is an LLM calling tools). */
export const LLM_KINDS: readonly string[] = ["rag-pipeline", "llm-gateway", "agent"];
/** Kinds that retrieve passages: retrieval signals. */
const RETRIEVAL_KINDS: readonly string[] = ["rag-pipeline"];

export const SAFETY_SCHEMA = obj("Safety signals per model and prompt version (LLM kinds); declaring the section turns them on.", {
  maxInjectionAcceptedPercent: dflt(
    percent("Share of detected prompt-injection attempts the guardrail did not block that opens a ticket, percent."),
    5,
  ),
  maxUnsafePercent: dflt(percent("Share of safety-evaluated completions flagged unsafe that opens a ticket, percent."), 1),
  maxBadRefusalPercent: dflt(percent("Share of reviewed refusals judged unwarranted that opens a ticket, percent."), 20),
});

export const RETRIEVAL_SCHEMA = obj("Retrieval signals per model and index version (rag-pipeline); declaring the section turns them on.", {
  maxMissPercent: dflt(percent("Share of evaluated retrievals without a relevant source that opens a ticket, percent."), 10),
  minCitationSupportPercent: dflt(percent("Share of citations supported by their passage under which a ticket opens, percent."), 90),
  maxChunkScorePsi: num("PSI of the retrieved-chunk score distribution that opens a ticket (default: drift.psiThreshold).", { exclusiveMinimum: 0 }),
});

export const JUDGE_SCHEMA = obj("Calibration of the score's LLM judge against human labels (LLM kinds); declaring it turns it on.", {
  minAgreementPercent: dflt(percent("Share of labelled samples where judge and human agree under which a ticket opens, percent."), 80),
  minLabelledSamples: dflt(
    num("Labelled samples the agreement window must hold before a ticket can open: a handful of labels is noise.", { integer: true, minimum: 1 }),
    100,
  ),
});

type Safety = Output<typeof SAFETY_SCHEMA>;
type Retrieval = Output<typeof RETRIEVAL_SCHEMA>;
type Judge = Output<typeof JUDGE_SCHEMA>;

interface GenAiQualityInput {
  readonly kind?: string;
  readonly quality?: Loose<{ safety?: Safety; retrieval?: Retrieval; scores?: readonly { judge?: Judge }[] }>;
  readonly models?: readonly (Loose<{ inputPricePer1kTokens?: number; outputPricePer1kTokens?: number }> | undefined)[];
}

/**
 * Sections declared on kinds that cannot feed them, limits no rate can cross, and settings whose
 * signal needs another one the description lacks (a spend budget without a priced model, a
 * hallucination limit without a score): each would otherwise generate nothing, silently.
 */
export function checkGenAiQuality(d: GenAiQualityInput, ctx: RefineContext): void {
  const q = d.quality;
  const kind = d.kind;
  const llm = kind === undefined || LLM_KINDS.includes(kind);
  const kindIssue = (path: string, kinds: readonly string[]) =>
    ctx.issue(path, `is for ${kinds.length > 1 ? `${kinds.slice(0, -1).join(", ")} and ${kinds[kinds.length - 1]}` : kinds[0]} services; this ${kind} service emits none of its metrics, so remove it`);
  const never = (path: string) => ctx.issue(path, "is 100: no rate exceeds 100%, so its ticket could never open; give a lower limit");
  if (q?.safety && !llm) kindIssue("quality.safety", LLM_KINDS);
  for (const field of ["maxInjectionAcceptedPercent", "maxUnsafePercent", "maxBadRefusalPercent"] as const)
    if (q?.safety?.[field] === 100) never(`quality.safety.${field}`);
  if (q?.retrieval && kind !== undefined && !RETRIEVAL_KINDS.includes(kind)) kindIssue("quality.retrieval", RETRIEVAL_KINDS);
  if (q?.retrieval?.maxMissPercent === 100) never("quality.retrieval.maxMissPercent");
  (q?.scores ?? []).forEach((s, i) => {
    if (s?.judge && !llm) kindIssue(`quality.scores[${i}].judge`, LLM_KINDS);
  });
  // Token usage, model prices, hallucination verdicts and user feedback come from LLM calls only.
  if (!llm) {
    if (ctx.given("models") && (d.models?.length ?? 0) > 0) kindIssue("models", LLM_KINDS);
    if (ctx.given("cost", "hourlyBudgetUsd"))
      ctx.issue("cost.hourlyBudgetUsd", `spend is computed from LLM token usage and model prices, which a ${kind} service does not emit; remove it`);
    for (const field of ["maxHallucinationPercent", "maxNegativeFeedbackPercent"] as const) if (ctx.given("quality", field)) kindIssue(`quality.${field}`, LLM_KINDS);
    return;
  }
  const priced = (d.models ?? []).some((m) => (m?.inputPricePer1kTokens ?? 0) > 0 || (m?.outputPricePer1kTokens ?? 0) > 0);
  // A malformed models list is reported on its own; judge the budget only against a readable one.
  const modelsReadable = (d.models ?? []).every((m) => m !== undefined);
  if (ctx.given("cost", "hourlyBudgetUsd") && modelsReadable && !priced)
    ctx.issue(
      "cost.hourlyBudgetUsd",
      "no model in `models` has a price, so spend is never computed and this budget could never open a ticket; give a model inputPricePer1kTokens or outputPricePer1kTokens, or remove it",
    );
  const scoresReadable = !ctx.given("quality", "scores") || q?.scores !== undefined;
  if (ctx.given("quality", "maxHallucinationPercent") && scoresReadable && (q?.scores ?? []).length === 0)
    ctx.issue("quality.maxHallucinationPercent", "hallucinations are counted among the answers evaluated on the first of `quality.scores`, and none is declared; declare a score or remove it");
}

/** Safety as generators read it: limits as ratios. */
export function buildSafety(s: Safety | undefined) {
  if (!s) return undefined;
  return {
    /** Ratio, e.g. 0.05. */
    maxInjectionAcceptedRatio: ratio(s.maxInjectionAcceptedPercent),
    maxUnsafeRatio: ratio(s.maxUnsafePercent),
    maxBadRefusalRatio: ratio(s.maxBadRefusalPercent),
  };
}

/** Retrieval as generators read it: limits as ratios, the PSI limit resolved against the drift section's. */
export function buildRetrieval(r: Retrieval | undefined, psiThreshold: number) {
  if (!r) return undefined;
  return {
    maxMissRatio: ratio(r.maxMissPercent),
    minCitationSupportRatio: ratio(r.minCitationSupportPercent),
    maxChunkScorePsi: r.maxChunkScorePsi ?? psiThreshold,
  };
}

/** A score's judge calibration as generators read it. */
export function buildJudge(j: Judge | undefined) {
  if (!j) return undefined;
  return { minAgreementRatio: ratio(j.minAgreementPercent), minLabelledSamples: j.minLabelledSamples };
}
