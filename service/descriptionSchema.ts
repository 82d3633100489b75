/**
 * The shape of a service description, as data: the validator and the published JSON Schema both
 * come from this (see schemaDsl.ts). Semantic checks that span fields (bucket boundaries, stage
 * references) live in normalize.ts.
 */
import { DEFAULT_METRIC_CONTRACT, METRIC_KEYS, isHistogram } from "./metricContract";
import { arr, bool, map, num, obj, oneOfStrings, req, str, type Node, type ObjectNode } from "./schemaDsl";
import { ALERT_ROUTINGS } from "./defaults";
import { SECRET_REFERENCE_HINT, SECRET_REFERENCE_PATTERN } from "./secrets";

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
const name = (what: string) =>
  str(what, { pattern: NAME_PATTERN, patternHint: "use 2-40 lower-case letters, digits and dashes, starting with a letter" });
export const DURATION_PATTERN = /^[1-9][0-9]*(m|h|d|w)$/;
const duration = (what: string) =>
  str(what, { pattern: DURATION_PATTERN, patternHint: 'use a Prometheus duration such as "30m", "1h", "7d" or "2w"' });
const metricName = (what: string) =>
  str(what, { pattern: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, patternHint: "use a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)" });
const labelName = (what: string) =>
  str(what, { pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "use a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)" });
const percent = (what: string) => num(what, { exclusiveMinimum: 0, maximum: 100 });
const retention = (what: string) => obj(what, { retentionDays: num("Days CloudWatch keeps the events.", { integer: true, minimum: 1 }) });
const buckets = (what: string) => arr(what, num("Bucket upper bound."), { minItems: 1, increasing: true });

const receiver = obj("Where alerts of this severity go.", {
  type: req(oneOfStrings("Integration kind.", ["pagerduty", "opsgenie", "slack", "email"])),
  secret: str(
    "Secret reference for the routing key, API key or Slack webhook URL, never the secret itself: `ssm:/path` (an SSM Parameter Store name: segments of [A-Za-z0-9_.-], at most 15 levels, not starting with aws or ssm) or `secretsmanager:name-or-arn` (a Secrets Manager name of [A-Za-z0-9/_+=.@-], at most 512 characters, or its full ARN).",
    {
      pattern: SECRET_REFERENCE_PATTERN,
      patternHint: SECRET_REFERENCE_HINT,
      sensitive: true,
    },
  ),
  channel: str("Slack channel, for slack.", { pattern: /^#[a-z0-9_-]+$/, patternHint: 'use a channel such as "#team-alerts"' }),
  addresses: arr("Email addresses, for email.", str("Email address.", { pattern: /^[^@\s]+@[^@\s]+$/, patternHint: "use an email address" }), {
    minItems: 1,
  }),
});

const slo = obj(
  "A service level objective.",
  {
    name: req(name("Short name, unique in the service; becomes the `slo` label.")),
    objectivePercent: req(num("Share of good events to reach, percent (e.g. 99.5).", { exclusiveMinimum: 0, exclusiveMaximum: 100 })),
    periodDays: num("Rolling SLO period, days (default 30); at least 7, since the slowest burn-rate alert looks back 3 days.", { integer: true, minimum: 7, maximum: 90 }),
    description: str("One sentence for humans.", { maxLength: 200 }),
    availability: obj("Availability SLI: requests that did not fail.", { stage: name("Pipeline stage to measure.") }),
    latency: obj("Latency SLI: requests faster than a threshold.", {
      thresholdSeconds: req(num("Threshold in seconds; a bucket boundary of the histogram.", { exclusiveMinimum: 0 })),
      stage: name("Pipeline stage to measure."),
    }),
    quality: obj("Quality SLI: evaluated answers scoring above a threshold.", {
      score: req(str("Evaluation name; one of quality.scores.", { minLength: 1 })),
      threshold: req(num("Answers scoring at or below this are bad; a bucket boundary of the score histogram.", { exclusiveMinimum: 0 })),
    }),
    custom: obj("Custom SLI from good and total counters the service emits.", {
      goodMetric: req(metricName("Counter of good events.")),
      totalMetric: req(metricName("Counter of all events.")),
    }),
  },
  { oneOf: ["availability", "latency", "quality", "custom"] },
);

/** Overrides accept any subset of the contract with the same shape. */
function contractOverrides(): ObjectNode {
  const metricFields: Record<string, Node> = {};
  for (const key of METRIC_KEYS) {
    const m = DEFAULT_METRIC_CONTRACT[key];
    metricFields[key] = obj(
      `Override of the ${key} metric (default ${m.name}).`,
      isHistogram(m)
        ? { name: metricName("Base metric name."), buckets: buckets("Histogram bucket upper bounds.") }
        : { name: metricName("Metric name.") },
    );
  }
  const labelFields = Object.fromEntries(
    Object.entries(DEFAULT_METRIC_CONTRACT.labels).map(([k, v]) => [k, labelName(`Label name (default ${v}).`)]),
  );
  const valueFields = Object.fromEntries(
    Object.entries(DEFAULT_METRIC_CONTRACT.values).map(([k, v]) => [
      k,
      k === "httpServerErrorRegex"
        ? str(`RE2 regular expression of HTTP status codes that count as server errors (default ${v}).`, { minLength: 1, maxLength: 200, re2: true })
        : str(`Label value (default ${v}).`, { minLength: 1, maxLength: 200 }),
    ]),
  );
  return obj("Overrides of the metric contract.", {
    labels: obj("Label names.", labelFields),
    values: obj("Label values the rules compare against.", valueFields),
    ...metricFields,
  });
}

export const SERVICE_SCHEMA: ObjectNode = obj("An ML or GenAI service to observe.", {
  name: req(name("Service name.")),
  team: req(name("Owning team.")),
  owner: req(str("Accountable owner: a handle or an email address.", { minLength: 1, maxLength: 100 })),
  kind: req(oneOfStrings("Kind of service.", ["rag-pipeline", "llm-gateway", "model-endpoint", "custom"])),
  criticality: oneOfStrings("Business criticality (default tier2).", ["tier1", "tier2", "tier3"]),
  environments: arr("Environments (default staging and prod).", name("Environment name."), { minItems: 1 }),
  selector: map(
    "Label matchers selecting the service's series (default job=<name>).",
    /^[a-zA-Z_][a-zA-Z0-9_]*$/,
    "use Prometheus label names as keys",
    str("Exact label value.", { minLength: 1 }),
  ),
  stages: arr(
    "Pipeline stages in request order.",
    obj("A pipeline stage.", {
      name: req(name("Stage name, equal to its span name.")),
      latencyTargetSeconds: req(num("P95 latency target, seconds.", { exclusiveMinimum: 0 })),
    }),
    { uniqueBy: "name" },
  ),
  slos: arr("Service level objectives.", slo, { uniqueBy: "name" }),
  models: arr(
    "Models the service calls.",
    obj("A model and its prices.", {
      name: req(str("Model id as in gen_ai_request_model.", { minLength: 1, maxLength: 100 })),
      provider: req(str("Provider.", { minLength: 1, maxLength: 50 })),
      inputPricePer1kTokens: num("USD per 1,000 input tokens.", { minimum: 0 }),
      outputPricePer1kTokens: num("USD per 1,000 output tokens.", { minimum: 0 }),
    }),
    { uniqueBy: "name" },
  ),
  quality: obj("Quality signals.", {
    scores: arr(
      "Evaluation scores the service emits.",
      obj("An evaluation score.", {
        name: req(name("Evaluation name as in the gen_ai_evaluation_name label.")),
        threshold: req(num("Score under which an answer is bad; a bucket boundary.", { exclusiveMinimum: 0 })),
        targetPercent: percent("Share of answers at or above the threshold, percent (default 90)."),
      }),
      { uniqueBy: "name" },
    ),
    maxHallucinationPercent: percent("Hallucination rate that opens a ticket, percent (default 5)."),
    maxNegativeFeedbackPercent: percent("Negative-feedback rate that opens a ticket, percent (default 20)."),
  }),
  drift: obj("Drift and data-quality signals.", {
    features: arr(
      "Input features to watch.",
      obj("A drift feature.", {
        name: req(str("Feature name as in the feature label.", { pattern: /^[a-zA-Z_][a-zA-Z0-9_]*$/, patternHint: "use letters, digits and underscores" })),
        buckets: buckets("Bucket upper bounds of the feature histogram."),
        baselineFractions: arr("Pinned baseline share per bin (one per bucket plus +Inf), summing to 1.", num("Share of the bin.", { minimum: 0, maximum: 1 }), { minItems: 2 }),
      }),
      { uniqueBy: "name" },
    ),
    psiThreshold: num("PSI that opens a ticket (default 0.2).", { exclusiveMinimum: 0 }),
    window: duration("Window of the current distribution (default 1h)."),
    baselineOffset: duration("Offset of the trailing baseline (default 7d)."),
    maxMissingFeaturePercent: percent("Missing-feature rate that opens a ticket, percent (default 1)."),
    minObservations: num("Observations a window needs before PSI is computed (default 500).", { integer: true, minimum: 1 }),
  }),
  cost: obj("Cost signals.", { hourlyBudgetUsd: num("Spend per hour that opens a ticket, USD.", { exclusiveMinimum: 0 }) }),
  logs: obj("CloudWatch log tiers.", {
    errors: retention("Error tier (default 90 days)."),
    standard: obj("Sampled request tier (default 14 days, 10%).", {
      retentionDays: num("Days CloudWatch keeps the events.", { integer: true, minimum: 1 }),
      samplePercent: percent("Share of requests logged at this tier, percent."),
    }),
    audit: retention("Audit tier, protected from deletion (default 400 days)."),
    debug: retention("Debug tier (default 3 days)."),
    maskPii: bool("Mask PII with a data-protection policy (default true)."),
    piiIdentifiers: arr("CloudWatch managed data identifiers to mask.", str("Identifier name, e.g. EmailAddress.", { pattern: /^[A-Za-z0-9-]+$/, patternHint: "use a managed data identifier name such as EmailAddress" }), { minItems: 1 }),
  }),
  tracing: obj("Tracing.", {
    slowThresholdSeconds: num("Requests slower than this are always kept, seconds.", { exclusiveMinimum: 0 }),
    baselinePercent: percent("Share of other requests kept, percent (default 5)."),
  }),
  alerting: req(
    obj("Alert routing and links.", {
      page: req(receiver),
      ticket: req(receiver),
      runbookBaseUrl: req(str("Base URL of the runbooks.", { pattern: /^https:\/\/[^\s]+$/, patternHint: "use an https:// URL", maxLength: 500, httpsUrl: true })),
      pagingBudget: num("Most paging rules the service may have (default 6).", { integer: true, minimum: 1, maximum: 20 }),
      routing: oneOfStrings(
        'How Grafana routes the alerts (default "policy"): "policy" = a team route in the org\'s one notification policy, for one repository holding every service; "per-rule" = each rule names the service\'s own contact point, for teams deploying from their own repositories.',
        ALERT_ROUTINGS,
      ),
    }),
  ),
  metrics: contractOverrides(),
});

export const SERVICES_FILE_SCHEMA: ObjectNode = obj("A file of service descriptions.", {
  services: req(arr("Services.", SERVICE_SCHEMA, { minItems: 1, uniqueBy: "name" })),
});
