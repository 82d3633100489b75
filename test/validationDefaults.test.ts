/**
 * The documented defaults (service/types.ts, service/defaults.ts) applied to a minimal
 * description, per list item, and overridden by given values.
 */
import { DEFAULT_METRIC_CONTRACT } from "../service/metricContract";
import { normalizeService } from "../service/normalize";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

describe("defaults, as documented in docs/description.md (from the schema)", () => {
  const minimal = minimalDescription(
    { name: "min-svc", team: "core-ml", owner: "core-ml@example.com", kind: "custom" },
    emailAlerting("https://runbooks.example.com/core-ml/", "oncall@example.com", "core-ml@example.com"),
  );

  it("a minimal description normalizes to the documented default of every optional field", () => {
    expect(normalizeService(minimal)).toEqual({
      name: "min-svc",
      team: "core-ml",
      owner: "core-ml@example.com",
      kind: "custom",
      criticality: "tier2",
      environments: ["staging", "prod"],
      gpu: false,
      selector: [["job", "min-svc"]],
      stages: [],
      slos: [],
      slices: [],
      models: [],
      quality: { scores: [], maxHallucinationRatio: 0.05, maxNegativeFeedbackRatio: 0.2 },
      drift: { features: [], psiThreshold: 0.2, window: "1h", baselineOffset: "7d", maxMissingFeatureRatio: 0.01, minObservations: 500 },
      cost: { hourlyBudgetUsd: undefined },
      // No serving signals unless declared; agent limits at their defaults (read only for kind agent).
      serving: undefined,
      agent: { maxStepsPerTask: undefined, maxStepCapRatio: 0.01, maxToolCallsPerTask: undefined, toolCallsPerHourBudget: undefined, maxToolErrorRatio: 0.1, maxRollbacksPerHour: 0 },
      logs: {
        errors: { retentionDays: 90, keepContent: false },
        standard: { retentionDays: 14, samplePercent: 10, keepContent: false },
        audit: { retentionDays: 400, keepContent: false },
        debug: { retentionDays: 3, keepContent: false, enabled: false },
        maskPii: true,
        // email, IP, credit card, AWS secret key, phone, address, name; sorted
        piiIdentifiers: ["Address", "AwsSecretKey", "CreditCardNumber", "EmailAddress", "IpAddress", "Name", "PhoneNumber-US"],
      },
      tracing: { slowThresholdSeconds: 2.56, baselinePercent: 5 },
      alerting: {
        page: { type: "email", secret: undefined, channel: undefined, addresses: ["oncall@example.com"] },
        ticket: { type: "email", secret: undefined, channel: undefined, addresses: ["core-ml@example.com"] },
        runbookBaseUrl: "https://runbooks.example.com/core-ml",
        pagingBudget: 6,
        routing: "policy",
      },
      metrics: DEFAULT_METRIC_CONTRACT,
    });
  });

  it("defaults inside lists apply per item: SLO period and description, model prices, score targets, feature buckets", () => {
    const m = normalizeService({
      ...minimal,
      // Models (and their prices) are an LLM kind's.
      kind: "llm-gateway",
      stages: [{ name: "embed", latencyTargetSeconds: 0.08 }],
      slos: [
        { name: "availability", objectivePercent: 99.5, availability: {} },
        { name: "embed-availability", objectivePercent: 99, availability: { stage: "embed" } },
        { name: "latency", objectivePercent: 99, latency: { thresholdSeconds: 5.12 } },
        { name: "fast", objectivePercent: 90, latency: { thresholdSeconds: 1.28 } },
        { name: "embed-latency", objectivePercent: 99, latency: { stage: "embed", thresholdSeconds: 0.08 } },
        { name: "relevance", objectivePercent: 95, quality: { score: "relevance", threshold: 0.7 } },
        { name: "good", objectivePercent: 98, custom: { goodMetric: "good_total", totalMetric: "all_total" } },
      ],
      models: [{ name: "m1", provider: "self-hosted" }],
      quality: { scores: [{ name: "relevance", threshold: 0.7 }] },
      drift: { features: [{ name: "confidence" }] },
      selector: { service_name: "min-svc", deployment: "blue" },
    });
    expect(m.slos.map((s) => [s.name, s.periodDays, s.objective, s.description])).toEqual([
      ["availability", 30, 0.995, "99.5% of requests succeed"],
      ["embed-availability", 30, 0.99, "99% of embed calls succeed"],
      ["latency", 30, 0.99, "99% of requests faster than 5.12 s"],
      ["fast", 30, 0.9, "90% of requests faster than 1.28 s"],
      ["embed-latency", 30, 0.99, "99% of embed calls faster than 0.08 s"],
      ["relevance", 30, 0.95, "95% of answers score 0.7 or more on relevance"],
      ["good", 30, 0.98, "98% of events are good"],
    ]);
    expect(m.models).toEqual([{ name: "m1", provider: "self-hosted", inputPricePer1kTokens: 0, outputPricePer1kTokens: 0 }]);
    expect(m.quality.scores).toEqual([{ name: "relevance", threshold: 0.7, target: 0.9 }]);
    expect(m.drift.features).toEqual([{ name: "confidence", buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], baselineFractions: undefined }]);
    // the lowest latency SLO threshold of the whole service (stage SLOs measure a different histogram)
    expect(m.tracing.slowThresholdSeconds).toBe(1.28);
    // selectors replace the default `job` matcher and are sorted by label name
    expect(m.selector).toEqual([
      ["deployment", "blue"],
      ["service_name", "min-svc"],
    ]);
  });

  it("given values win over defaults", () => {
    const m = normalizeService({
      ...minimal,
      criticality: "tier1",
      environments: ["prod"],
      logs: { errors: { retentionDays: 30 }, standard: { samplePercent: 50 }, maskPii: false, piiIdentifiers: ["EmailAddress"] },
      tracing: { slowThresholdSeconds: 4, baselinePercent: 1 },
      alerting: { ...minimal.alerting, pagingBudget: 2, routing: "per-rule" },
      metrics: { httpRequestDuration: { buckets: [0.5, 1, 2] }, labels: { errorType: "error" } },
    });
    expect([m.criticality, m.environments, m.logs.errors, m.logs.standard, m.logs.maskPii, m.logs.piiIdentifiers]).toEqual([
      "tier1",
      ["prod"],
      { retentionDays: 30, keepContent: false },
      { retentionDays: 14, samplePercent: 50, keepContent: false },
      false,
      ["EmailAddress"],
    ]);
    expect(m.tracing).toEqual({ slowThresholdSeconds: 4, baselinePercent: 1 });
    expect(m.alerting.pagingBudget).toBe(2);
    expect(m.alerting.routing).toBe("per-rule");
    expect(m.metrics.httpRequestDuration).toEqual({ name: "http_server_request_duration_seconds", buckets: [0.5, 1, 2] });
    expect(m.metrics.labels.errorType).toBe("error");
    expect(m.metrics.labels.stage).toBe(DEFAULT_METRIC_CONTRACT.labels.stage);
  });
});
