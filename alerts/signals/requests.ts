/**
 * What a "request" is for each kind of service: the denominator of per-request ratios
 * (data quality, tokens and spend per request), and which kinds call LLMs.
 */
import type { ServiceModel } from "../../service/model";
import { LLM_KINDS } from "../../service/description/genaiQuality";
import { selector } from "../promql";

export { LLM_KINDS };

export const isLlmKind = (model: ServiceModel) => LLM_KINDS.includes(model.kind);

/**
 * Served requests per second over `window`, summed over the service. A model endpoint counts
 * predictions (the contract's data-quality denominator; one HTTP request may score a batch); other
 * kinds count HTTP server requests, since they do not emit a predictions counter.
 */
export function requestRate(model: ServiceModel, window: string): string {
  const m = model.metrics;
  const counter = model.kind === "model-endpoint" ? m.predictions.name : `${m.httpRequestDuration.name}_count`;
  return `sum(rate(${counter}${selector(model)}[${window}]))`;
}
