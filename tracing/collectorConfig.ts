/**
 * OpenTelemetry Collector configuration for one service (pure: model in, plain data out).
 *
 * Two trace pipelines read the same OTLP input:
 *  - `traces/spanmetrics` sees EVERY span and feeds the span-metrics connector, so per-stage latency
 *    and error metrics stay exact no matter how much is sampled;
 *  - `traces` tail-samples what is exported to X-Ray: all errors, all requests slower than the
 *    service's threshold, and a probabilistic baseline of the rest.
 * Metrics (the service's own and the span metrics) are remote-written to Amazon Managed Prometheus.
 */
import type { ServiceModel } from "../service/model";

export interface CollectorEndpoints {
  /** Remote-write URL of the AMP workspace (may be a Terraform token at synth time). */
  readonly remoteWriteUrl: string;
  /** AWS region of the workspace and X-Ray (may be a Terraform token). */
  readonly region: string;
}

/** The span-metrics connector's namespace; with unit `s` it yields the contract's stage metrics. */
const SPAN_METRICS_NAMESPACE = "traces.span.metrics";

export function collectorConfig(model: ServiceModel, endpoints: CollectorEndpoints): Record<string, unknown> {
  return {
    extensions: {
      health_check: { endpoint: "0.0.0.0:13133" },
      sigv4auth: { region: endpoints.region, service: "aps" },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } },
    },
    connectors: { spanmetrics: spanMetricsConnector(model) },
    processors: processors(model),
    exporters: exporters(endpoints),
    service: {
      extensions: ["health_check", "sigv4auth"],
      pipelines: pipelines(),
    },
  };
}

/** Per-stage latency and error metrics from every span, in the contract's stage-duration buckets. */
function spanMetricsConnector(model: ServiceModel): Record<string, unknown> {
  const stageBuckets = model.metrics.stageDuration.buckets.map((b) => `${Math.round(b * 1000)}ms`);
  return {
    namespace: SPAN_METRICS_NAMESPACE,
    histogram: { unit: "s", explicit: { buckets: stageBuckets } },
    dimensions: [{ name: "gen_ai.request.model" }, { name: "error.type" }],
    exemplars: { enabled: true },
    metrics_flush_interval: "15s",
  };
}

/** Memory guard, batching, the tail-sampling policies and the service name on every span. */
function processors(model: ServiceModel): Record<string, unknown> {
  return {
    memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
    batch: { send_batch_size: 8192, timeout: "5s" },
    tail_sampling: {
      decision_wait: "10s",
      num_traces: 100000,
      expected_new_traces_per_sec: 1000,
      policies: [
        { name: "keep-errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
        {
          name: "keep-slow",
          type: "latency",
          latency: { threshold_ms: Math.round(model.tracing.slowThresholdSeconds * 1000) },
        },
        {
          name: "baseline",
          type: "probabilistic",
          probabilistic: { sampling_percentage: model.tracing.baselinePercent },
        },
      ],
    },
    resource: {
      attributes: [{ key: "service.name", value: model.name, action: "upsert" }],
    },
  };
}

/** Sampled traces to X-Ray, metrics to AMP (signed with SigV4). */
function exporters(endpoints: CollectorEndpoints): Record<string, unknown> {
  return {
    awsxray: { region: endpoints.region, indexed_attributes: ["gen_ai.request.model", "error.type"] },
    prometheusremotewrite: {
      endpoint: endpoints.remoteWriteUrl,
      auth: { authenticator: "sigv4auth" },
      resource_to_telemetry_conversion: { enabled: false },
    },
  };
}

/** The three pipelines of the header: every span to span metrics, sampled spans to X-Ray, metrics to AMP. */
function pipelines(): Record<string, unknown> {
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
  };
}
