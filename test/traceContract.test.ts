/**
 * The trace contract (tracing/traceContract.ts) and what the collector config takes from it: the
 * searchable attributes are indexed in X-Ray, only low-cardinality ones become span-metrics
 * dimensions, and every kind of service carries the request id that joins a trace to its logs.
 */
import { join } from "node:path";
import { loadServicesFile } from "../service/load";
import { LOG_FIELDS } from "../service/logContract";
import { collectorConfig } from "../tracing/collectorConfig";
import { SPAN_METRICS_DIMENSIONS, TRACE_ATTRIBUTES, XRAY_INDEXED_ATTRIBUTES, expectedSpans } from "../tracing/traceContract";

const rag = loadServicesFile(join(__dirname, "../examples/rag-assistant.yaml"))[0];
const groups = { errors: "e", standard: "s", audit: "a", debug: "d" };
const config = collectorConfig(rag, { remoteWriteUrl: "https://aps.example/api/v1/remote_write", region: "eu-west-1", logGroups: groups }) as {
  exporters: { awsxray: { indexed_attributes: string[] } };
  connectors: { spanmetrics: { dimensions: { name: string }[] } };
};
const byName = new Map(Object.values(TRACE_ATTRIBUTES).map((a) => [a.name, a]));

describe("the trace contract", () => {
  it("puts only low-cardinality attributes into span-metrics dimensions, never the request id", () => {
    const dims = config.connectors.spanmetrics.dimensions.map((d) => d.name);
    expect(dims).toEqual([...SPAN_METRICS_DIMENSIONS]);
    expect(dims.every((d) => byName.get(d)?.lowCardinality)).toBe(true);
    expect(dims).not.toContain(TRACE_ATTRIBUTES.requestId.name);
  });

  it("indexes the attributes people search by in X-Ray, within X-Ray's 50 annotations", () => {
    const indexed = config.exporters.awsxray.indexed_attributes;
    expect(indexed).toEqual([...XRAY_INDEXED_ATTRIBUTES]);
    for (const a of ["app.request.id", "gen_ai.request.model", "app.prompt.version", "app.model.version", "app.retrieval.index.version", "app.policy.version"]) expect(indexed).toContain(a);
    expect(indexed.length).toBeLessThanOrEqual(50);
  });

  it.each(["rag-pipeline", "llm-gateway", "model-endpoint", "agent", "custom"] as const)("asks a %s for the request id and error type on its root span and a span per stage", (kind) => {
    const spans = expectedSpans({ ...rag, kind });
    expect(spans.attributes).toEqual(expect.arrayContaining([TRACE_ATTRIBUTES.requestId.name, TRACE_ATTRIBUTES.errorType.name]));
    expect(spans.stages).toEqual(rag.stages.map((s) => s.name));
    expect(spans.root).toBe("rag-assistant request");
  });

  it("asks a RAG pipeline for the versions an incident is traced to, and the log contract names the same request id", () => {
    const attrs = expectedSpans(rag).attributes;
    for (const a of ["gen_ai.request.model", "app.prompt.version", "app.retrieval.index.version", "app.policy.version", "app.cache.hit", "gen_ai.usage.input_tokens"]) expect(attrs).toContain(a);
    expect(TRACE_ATTRIBUTES.requestId.description).toContain(LOG_FIELDS.requestId);
  });
});
