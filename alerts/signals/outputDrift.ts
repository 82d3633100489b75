/**
 * Output drift: the same PSI/JS rules over what the model returns, where the contract has a
 * histogram for it. Outputs drift when inputs the features do not capture change (new kinds of
 * questions, a new prompt template, an upstream model update), so they are watched even when
 * every input feature is stable. The baseline is always the trailing window: there is no pinned
 * training distribution of outputs.
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { quote } from "../promql";
import type { RuleGroup } from "../ruleModel";
import { OUTPUT_SIGNAL } from "../signalNames";
import { driftGroup, type Distribution } from "./distributionShift";
import { isLlmKind } from "./requests";
import { retrievalScoreDistributions, retrievalScoreDriftTicket } from "./retrieval";

export function outputDistributions(model: ServiceModel): Distribution[] {
  const m = model.metrics;
  const out: Distribution[] = [];
  if (model.kind === "model-endpoint")
    out.push({ level: "output", name: OUTPUT_SIGNAL.predictionScore, histogram: m.predictionScore.name, matchers: [], buckets: m.predictionScore.buckets });
  if (isLlmKind(model)) {
    // Summed over models: a changed model mix is itself a shift worth a look, and per-model
    // shares would multiply the bins (15 for token counts) by the number of models.
    const tokens = (tokenType: string) => ({
      level: "output" as const,
      histogram: m.genAiTokenUsage.name,
      matchers: [`${m.labels.tokenType}=${quote(tokenType)}`],
      buckets: m.genAiTokenUsage.buckets,
    });
    out.push({ name: OUTPUT_SIGNAL.responseTokens, ...tokens(m.values.tokenOutput) });
    out.push({ name: OUTPUT_SIGNAL.promptTokens, ...tokens(m.values.tokenInput) });
  }
  // Only retrieval pipelines embed requests and emit the distance to the baseline centroid.
  if (model.kind === "rag-pipeline")
    out.push({ level: "output", name: OUTPUT_SIGNAL.embeddingDistance, histogram: m.embeddingDrift.name, matchers: [], buckets: m.embeddingDrift.buckets });
  out.push(...retrievalScoreDistributions(model));
  return out;
}

export function outputDriftGroup(model: ServiceModel, ctx: RuleContext): RuleGroup | undefined {
  const group = driftGroup(model, ctx, "output", outputDistributions(model));
  const retrievalTicket = retrievalScoreDriftTicket(model, ctx);
  return group && retrievalTicket ? { ...group, rules: [...group.rules, retrievalTicket] } : group;
}
