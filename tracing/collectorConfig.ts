/**
 * OpenTelemetry Collector configuration for one service (pure: model in, plain data out).
 *
 * Two trace pipelines read the same OTLP input:
 *  - `traces/spanmetrics` sees EVERY span and feeds the span-metrics connector, so per-stage latency
 *    and error metrics stay exact no matter how much is sampled;
 *  - `traces` tail-samples what is exported to X-Ray: all errors, all requests slower than the
 *    service's threshold, canary releases, and a probabilistic baseline of the rest.
 * Metrics (the service's own and the span metrics) are remote-written to Amazon Managed Prometheus.
 * Logs go to the CloudWatch tiers through one pipeline per tier (logsPipeline.ts).
 */
import type { LogTier } from "../service/logContract";
import type { ServiceModel } from "../service/model";
import { stableNumber } from "../service/naming";
import { logsPipeline, type LogsPipelineParts } from "./logsPipeline";
import { SPAN_METRICS_DIMENSIONS, TRACE_ATTRIBUTES, XRAY_INDEXED_ATTRIBUTES } from "./traceContract";

export interface CollectorEndpoints {
  /** Remote-write URL of the AMP workspace (may be a Terraform token at synth time). */
  readonly remoteWriteUrl: string;
  /** AWS region of the workspace and X-Ray (may be a Terraform token). */
  readonly region: string;
  /** Names of the service's log groups, one per tier (may be Terraform tokens). */
  readonly logGroups: Readonly<Record<LogTier, string>>;
}

/** The span-metrics connector's namespace; with unit `s` it yields the contract's stage metrics. */
const SPAN_METRICS_NAMESPACE = "traces.span.metrics";

export function collectorConfig(model: ServiceModel, endpoints: CollectorEndpoints): Record<string, unknown> {
  const logs = logsPipeline(model, endpoints.logGroups, endpoints.region, stableNumber(`${model.name}/logs-sampling`, 0x7fffffff));
  return {
    extensions: {
      health_check: { endpoint: "0.0.0.0:13133" },
      sigv4auth: { region: endpoints.region, service: "aps" },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } },
    },
    connectors: { spanmetrics: spanMetricsConnector(model) },
    processors: { ...processors(model), ...logs.processors },
    exporters: { ...exporters(endpoints), ...logs.exporters },
    service: {
      extensions: ["health_check", "sigv4auth"],
      pipelines: pipelines(logs),
    },
  };
}

/** Per-stage latency and error metrics from every span, in the contract's stage-duration buckets. */
function spanMetricsConnector(model: ServiceModel): Record<string, unknown> {
  const stageBuckets = model.metrics.stageDuration.buckets.map((b) => `${Math.round(b * 1000)}ms`);
  return {
    namespace: SPAN_METRICS_NAMESPACE,
    histogram: { unit: "s", explicit: { buckets: stageBuckets } },
    dimensions: SPAN_METRICS_DIMENSIONS.map((name) => ({ name })),
    exemplars: { enabled: true },
    metrics_flush_interval: "15s",
  };
}

/** Memory guard, batching, the tail-sampling policies and the service's identity on every signal. */
function processors(model: ServiceModel): Record<string, unknown> {
  const decisionWaitSeconds = tailDecisionWaitSeconds(model);
  return {
    memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
    batch: { send_batch_size: 8192, timeout: "5s" },
    tail_sampling: {
      decision_wait: `${decisionWaitSeconds}s`,
      // Room for every trace that arrives while earlier ones wait for their decision.
      num_traces: Math.max(100000, decisionWaitSeconds * EXPECTED_TRACES_PER_SECOND * 2),
      expected_new_traces_per_sec: EXPECTED_TRACES_PER_SECOND,
      policies: [
        { name: "keep-errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
        {
          name: "keep-slow",
          type: "latency",
          latency: { threshold_ms: Math.round(model.tracing.slowThresholdSeconds * 1000) },
        },
        {
          name: "keep-canary",
          type: "string_attribute",
          string_attribute: { key: TRACE_ATTRIBUTES.canary.name, values: ["true"] },
        },
        {
          name: "baseline",
          type: "probabilistic",
          probabilistic: { sampling_percentage: model.tracing.baselinePercent },
        },
      ],
    },
    resource: {
      attributes: [
        { key: "service.name", value: model.name, action: "upsert" },
        // Several collectors writing one service's series to AMP need an instance label each;
        // `insert` keeps an id the SDK already set.
        { key: "service.instance.id", value: "${env:HOSTNAME}", action: "insert" },
      ],
    },
  };
}

/** Sampled traces to X-Ray, metrics to AMP (signed with SigV4). */
function exporters(endpoints: CollectorEndpoints): Record<string, unknown> {
  return {
    awsxray: { region: endpoints.region, indexed_attributes: [...XRAY_INDEXED_ATTRIBUTES] },
    prometheusremotewrite: {
      endpoint: endpoints.remoteWriteUrl,
      auth: { authenticator: "sigv4auth" },
      resource_to_telemetry_conversion: { enabled: false },
    },
  };
}

/** The pipelines of the header: every span to span metrics, sampled spans to X-Ray, metrics to AMP, logs to their tiers. */
function pipelines(logs: LogsPipelineParts): Record<string, unknown> {
  return {
    "traces/spanmetrics": {
      receivers: ["otlp"],
      processors: ["memory_limiter", "resource"],
      exporters: ["spanmetrics"],
    },
    traces: {
      receivers: ["otlp"],
      processors: ["memory_limiter", "resource", "tail_sampling", "batch"],
      exporters: ["awsxray"],
    },
    metrics: {
      receivers: ["otlp", "spanmetrics"],
      processors: ["memory_limiter", "resource", "batch"],
      exporters: ["prometheusremotewrite"],
    },
    ...logs.pipelines,
  };
}

const EXPECTED_TRACES_PER_SECOND = 1000;

/**
 * How long the tail sampler waits for a trace's spans: past the slowest request the latency
 * histograms can measure (their top bucket), plus 10 s for export delay, so a slow trace is
 * decided with its late spans in hand.
 */
export function tailDecisionWaitSeconds(model: ServiceModel): number {
  const slowest = Math.max(...model.metrics.httpRequestDuration.buckets, ...model.metrics.stageDuration.buckets);
  return Math.ceil(slowest) + 10;
}
