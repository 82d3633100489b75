/**
 * The trace contract: the spans and attributes each kind of service emits, so that an incident can
 * be followed from a request id to the model, prompt, index and policy versions that served it.
 * OpenTelemetry GenAI semantic-convention names are used where they exist (`gen_ai.*`); the rest are
 * ours under `app.*`. The collector config reads its X-Ray indexed attributes, span-metrics
 * dimensions and tail-sampling attributes from here; docs/traces.md holds `traceContractTable()`
 * (a test keeps the two equal).
 */
import type { ServiceModel } from "../service/model";

export interface SpanAttribute {
  readonly name: string;
  readonly description: string;
  /** Few distinct values (a model id, a version): safe as a metric dimension. */
  readonly lowCardinality: boolean;
  /** People search traces by it: indexed in X-Ray (annotations, searchable with filter expressions). */
  readonly searchable: boolean;
}

const a = (name: string, description: string, lowCardinality: boolean, searchable: boolean): SpanAttribute => ({ name, description, lowCardinality, searchable });

/** Attributes on the request's root span (and copied to stage spans where the stage knows them). */
export const TRACE_ATTRIBUTES = {
  requestId: a("app.request.id", "The request id the service logs as request_id; joins a trace to its log records.", false, true),
  model: a("gen_ai.request.model", "Model the request asked for (OTel GenAI).", true, true),
  responseModel: a("gen_ai.response.model", "Model that answered (OTel GenAI).", true, false),
  modelVersion: a("app.model.version", "Version or release of the model (a fine-tune, a registry version).", true, true),
  promptVersion: a("app.prompt.version", "Version of the prompt template.", true, true),
  retrievalIndexVersion: a("app.retrieval.index.version", "Version of the retrieval index or corpus snapshot.", true, true),
  policyVersion: a("app.policy.version", "Version of the guardrail or safety policy applied.", true, true),
  cacheHit: a("app.cache.hit", "Whether the answer came from the semantic or exact cache.", true, false),
  inputTokens: a("gen_ai.usage.input_tokens", "Input tokens used (OTel GenAI).", false, false),
  outputTokens: a("gen_ai.usage.output_tokens", "Output tokens used (OTel GenAI).", false, false),
  errorType: a("error.type", "Class of the error, empty on success (OTel).", true, true),
  canary: a("app.release.canary", 'Set to "true" on requests served by a release in its first hour or canary; the tail sampler keeps all of them.', true, true),
  toolName: a("gen_ai.tool.name", "Tool an agent called, on its execute_tool span (OTel GenAI).", true, false),
} as const;

/** What each kind of service emits: its root span and the per-stage spans named after its stages. */
export function expectedSpans(model: Pick<ServiceModel, "name" | "kind" | "stages">): { readonly root: string; readonly stages: readonly string[]; readonly attributes: readonly string[] } {
  const t = TRACE_ATTRIBUTES;
  const common = [t.requestId, t.errorType, t.canary];
  const genAi = [t.model, t.responseModel, t.promptVersion, t.policyVersion, t.cacheHit, t.inputTokens, t.outputTokens];
  const byKind: Record<ServiceModel["kind"], readonly SpanAttribute[]> = {
    "rag-pipeline": [...common, ...genAi, t.retrievalIndexVersion],
    "llm-gateway": [...common, ...genAi],
    "model-endpoint": [...common, t.model, t.modelVersion],
    agent: [...common, ...genAi, t.toolName],
    custom: [...common],
  };
  return { root: `${model.name} request`, stages: model.stages.map((s) => s.name), attributes: byKind[model.kind].map((x) => x.name) };
}

const ALL = Object.values(TRACE_ATTRIBUTES);
/** Indexed in X-Ray: the attributes people search by. */
export const XRAY_INDEXED_ATTRIBUTES: readonly string[] = ALL.filter((x) => x.searchable).map((x) => x.name);
/** Span-metrics dimensions: only low-cardinality attributes, so the generated series stay bounded. */
export const SPAN_METRICS_DIMENSIONS: readonly string[] = [TRACE_ATTRIBUTES.model.name, TRACE_ATTRIBUTES.errorType.name];

/** The Markdown table of docs/traces.md: every attribute, which kinds emit it, and how it is used. */
export function traceContractTable(): string {
  const kinds = ["rag-pipeline", "llm-gateway", "model-endpoint", "agent", "custom"] as const;
  const emitters = (name: string) =>
    kinds.filter((kind) => expectedSpans({ name: "x", kind, stages: [] }).attributes.includes(name)).join(", ");
  return [
    "| attribute | emitted by | X-Ray indexed | span-metrics dimension | description |",
    "| --- | --- | --- | --- | --- |",
    ...ALL.map((x) => `| \`${x.name}\` | ${emitters(x.name)} | ${x.searchable ? "yes" : ""} | ${SPAN_METRICS_DIMENSIONS.includes(x.name) ? "yes" : ""} | ${x.description} |`),
  ].join("\n");
}
