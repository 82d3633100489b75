/**
 * Validation of service descriptions: the exact lines a user reads (`<path>: <message>`) for
 * representative mistakes, every problem in one pass, and the documented defaults
 * (service/types.ts, service/defaults.ts) applied to a minimal description.
 */
import { parseDescriptionText, servicesFromData } from "../service/load";
import { DEFAULT_METRIC_CONTRACT } from "../service/metricContract";
import { normalizeService, normalizeServices, ValidationError } from "../service/normalize";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

/** Descriptions are untrusted data here; mutations reach into them freely. */
type Description = Record<string, any>;

/** A valid description with every part the cases below break. */
function validDescription(): Description {
  return {
    name: "qa-bot",
    team: "support-ai",
    owner: "support-ai@example.com",
    kind: "rag-pipeline",
    stages: [
      { name: "retrieve", latencyTargetSeconds: 0.32 },
      { name: "generate", latencyTargetSeconds: 2.56 },
    ],
    slos: [
      { name: "availability", objectivePercent: 99.9, availability: {} },
      { name: "answer-latency", objectivePercent: 99, latency: { thresholdSeconds: 2.56 } },
      { name: "retrieve-latency", objectivePercent: 99, latency: { stage: "retrieve", thresholdSeconds: 0.32 } },
      { name: "relevance", objectivePercent: 95, quality: { score: "relevance", threshold: 0.7 } },
    ],
    quality: { scores: [{ name: "relevance", threshold: 0.7 }] },
    drift: { features: [{ name: "query_length", buckets: [16, 64, 256] }] },
    alerting: {
      page: { type: "pagerduty", secret: "ssm:/observability/support-ai/pagerduty" },
      ticket: { type: "slack", channel: "#support-ai-alerts", secret: "secretsmanager:support-ai/slack-webhook" },
      runbookBaseUrl: "https://runbooks.example.com/support-ai",
    },
  };
}

/** The problems `fn` reports, as the lines the CLI prints (`path: message`); [] when it accepts. */
function problems(fn: () => unknown): string[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
}
const problemsOf = (mutate: (d: Description) => void): string[] => {
  const d = validDescription();
  mutate(d);
  return problems(() => normalizeService(d));
};

it("the description the cases start from is valid", () => {
  expect(problems(() => normalizeService(validDescription()))).toEqual([]);
});

const CASES: [string, (d: Description) => void, string[]][] = [
  [
    "a misspelt field is reported as unknown with a did-you-mean hint, and the field it should have been as missing",
    (d) => {
      d.ownr = d.owner;
      delete d.owner;
    },
    ['ownr: unknown field; did you mean "owner"?', "owner: is required: Accountable owner: a handle or an email address."],
  ],
  [
    "an unknown field resembling nothing lists the fields allowed there",
    (d) => (d.logs = { colour: "blue" }),
    ["logs.colour: unknown field; allowed fields are errors, standard, audit, debug, maskPii, piiIdentifiers"],
  ],
  [
    "a misspelt enum value names the allowed values and the closest one",
    (d) => (d.kind = "rag-pipline"),
    ['kind: "rag-pipline" is not one of "rag-pipeline", "llm-gateway", "model-endpoint", "custom"; did you mean "rag-pipeline"?'],
  ],
  [
    "an unknown alert routing names the two routings and the closest one",
    (d) => (d.alerting.routing = "per_rule"),
    ['alerting.routing: "per_rule" is not one of "policy", "per-rule"; did you mean "per-rule"?'],
  ],
  [
    "an enum value of the wrong type names the allowed values",
    (d) => (d.criticality = 1),
    ['criticality: 1 is not one of "tier1", "tier2", "tier3"'],
  ],
  [
    "an objective of 100 percent is rejected, since it leaves no error budget",
    (d) => (d.slos[0].objectivePercent = 100),
    ["slos[0].objectivePercent: 100 must be less than 100"],
  ],
  [
    "an objective of 0 percent is rejected",
    (d) => (d.slos[0].objectivePercent = 0),
    ["slos[0].objectivePercent: 0 must be greater than 0"],
  ],
  [
    "a latency threshold off the HTTP histogram's boundaries names the histogram and the two nearest boundaries",
    (d) => (d.slos[1].latency.thresholdSeconds = 2.5),
    ["slos[1].latency.thresholdSeconds: 2.5 is not a bucket boundary of http_server_request_duration_seconds; nearest are 1.28 and 2.56"],
  ],
  [
    "a stage latency threshold is checked against the span-metrics histogram instead",
    (d) => (d.slos[2].latency.thresholdSeconds = 0.3),
    ["slos[2].latency.thresholdSeconds: 0.3 is not a bucket boundary of traces_span_metrics_duration_seconds; nearest are 0.16 and 0.32"],
  ],
  [
    "a latency threshold above the largest boundary says which is the largest",
    (d) => (d.slos[1].latency.thresholdSeconds = 100),
    ["slos[1].latency.thresholdSeconds: 100 is not a bucket boundary of http_server_request_duration_seconds; the largest is 81.92"],
  ],
  [
    "a latency SLO on an undeclared stage lists the declared stages",
    (d) => (d.slos[2].latency.stage = "rerank"),
    ['slos[2].latency.stage: "rerank" is not a declared stage; declared stages are retrieve, generate'],
  ],
  [
    "an availability SLO on a stage of a service without stages says to declare it first",
    (d) => {
      delete d.stages;
      d.slos = [{ name: "embed-availability", objectivePercent: 99, availability: { stage: "embed" } }];
    },
    ['slos[0].availability.stage: "embed" is not a declared stage; declare it under stages first'],
  ],
  [
    "a quality SLO on an undeclared score lists the declared scores",
    (d) => (d.slos[3].quality.score = "faithfulness"),
    ['slos[3].quality.score: "faithfulness" is not declared; add it under quality.scores (declared: relevance)'],
  ],
  [
    "a quality threshold off the score histogram's boundaries names the nearest boundaries",
    (d) => {
      d.slos[3].quality.threshold = 0.75;
      d.quality.scores[0].threshold = 0.75;
    },
    [
      "slos[3].quality.threshold: 0.75 is not a bucket boundary of gen_ai_evaluation_score; nearest are 0.7 and 0.8",
      "quality.scores[0].threshold: 0.75 is not a bucket boundary of gen_ai_evaluation_score; nearest are 0.7 and 0.8",
    ],
  ],
  [
    "baseline fractions with the wrong count say how many are needed: one per bucket plus one for +Inf",
    (d) => (d.drift.features[0].baselineFractions = [0.5, 0.5]),
    ["drift.features[0].baselineFractions: has 2 shares; give 4, one per bucket (3) plus one for +Inf"],
  ],
  [
    "baseline fractions that do not sum to 1 give the sum found",
    (d) => (d.drift.features[0].baselineFractions = [0.1, 0.2, 0.3, 0.1]),
    ["drift.features[0].baselineFractions: shares sum to 0.7; they must sum to 1 (within 0.01)"],
  ],
  [
    "baseline fractions of a feature without buckets count against the contract's default buckets",
    (d) => (d.drift.features = [{ name: "confidence", baselineFractions: [0.5, 0.5] }]),
    ["drift.features[0].baselineFractions: has 2 shares; give 11, one per bucket (10) plus one for +Inf"],
  ],
  [
    "a literal secret instead of an ssm: or secretsmanager: reference is rejected without echoing it",
    (d) => (d.alerting.page.secret = "u+Zx9Lq3ANrT0pWm"),
    [
      'alerting.page.secret: the value (not shown) is not allowed; give a reference such as "ssm:/observability/pagerduty/key" or "secretsmanager:slack-webhook", never the secret itself',
    ],
  ],
  [
    "a pagerduty receiver without a secret reference is told which reference to add",
    (d) => delete d.alerting.page.secret,
    ['alerting.page.secret: is required for pagerduty: reference the key, e.g. "ssm:/observability/qa-bot/pagerduty"'],
  ],
  [
    "a slack receiver without a channel is told to add one",
    (d) => delete d.alerting.ticket.channel,
    ['alerting.ticket.channel: is required for slack, e.g. "#support-ai-alerts"'],
  ],
  [
    "an email receiver without addresses is told to list one",
    (d) => (d.alerting.ticket = { type: "email" }),
    ["alerting.ticket.addresses: is required for email: list at least one address"],
  ],
  [
    "a retention CloudWatch Logs does not accept names the two nearest accepted values",
    (d) => (d.logs = { errors: { retentionDays: 100 }, audit: { retentionDays: 400 } }),
    ["logs.errors.retentionDays: 100 is not a retention CloudWatch Logs accepts; nearest are 90 and 120"],
  ],
  [
    "an audit tier kept shorter than the errors tier is rejected",
    (d) => (d.logs = { audit: { retentionDays: 30 } }),
    ["logs.audit.retentionDays: 30 is shorter than the errors tier (90); keep the audit trail at least as long"],
  ],
  [
    "two SLOs with the same name point at the first one",
    (d) => (d.slos[2].name = "answer-latency"),
    ['slos[2].name: "answer-latency" is already used by slos[1]; each name must be unique'],
  ],
  [
    "an SLO with two SLI kinds names both",
    (d) => (d.slos[0].latency = { thresholdSeconds: 2.56 }),
    ["slos[0]: set only one of availability, latency, quality, custom; found availability and latency"],
  ],
  [
    "an SLO with no SLI kind lists the kinds to choose from",
    (d) => delete d.slos[0].availability,
    ["slos[0]: set exactly one of availability, latency, quality, custom"],
  ],
  [
    "a custom SLO counting good and total events in one counter is rejected",
    (d) => (d.slos[0] = { name: "good", objectivePercent: 99, custom: { goodMetric: "q_total", totalMetric: "q_total" } }),
    ["slos[0].custom.goodMetric: is the same counter as totalMetric; count good events in a counter of their own"],
  ],
  [
    "a service name with capitals gives the naming rule",
    (d) => (d.name = "QA-Bot"),
    ['name: "QA-Bot" is not allowed; use 2-40 lower-case letters, digits and dashes, starting with a letter'],
  ],
  [
    "a missing required section quotes what the section is for",
    (d) => delete d.alerting,
    ["alerting: is required: Alert routing and links."],
  ],
  [
    "a value of the wrong type says which type was expected and what was found",
    (d) => (d.models = { "gpt-4o-mini": "openai" }),
    ['models: expected a list, got an object {"gpt-4o-mini":"openai"}'],
  ],
];

describe("each mistake is reported with its field path and a fix", () => {
  it.each(CASES)("%s", (_name, mutate, expected) => {
    expect(problemsOf(mutate)).toEqual(expected);
  });
});

describe("services files", () => {
  it("two services with the same name in one file point at the first one, prefixed with the file name", () => {
    const a = validDescription();
    const b = { ...validDescription(), team: "other-team" };
    expect(problems(() => servicesFromData({ services: [a, b] }, "team.yaml"))).toEqual([
      'team.yaml: services[1].name: "qa-bot" is already used by services[0]; each name must be unique',
    ]);
    expect(problems(() => normalizeServices({ services: [a, b] }))).toEqual([
      'services[1].name: "qa-bot" is already used by services[0]; each name must be unique',
    ]);
  });

  it("a services file with anything besides `services` reports the extra key", () => {
    expect(problems(() => servicesFromData({ services: [validDescription()], version: 2 }, "team.yaml"))).toEqual([
      "team.yaml: version: unknown field; a services file holds only `services`",
    ]);
  });

  // BUG (service/load.ts servicesFromData, service/normalize.ts normalizeServices): in a services
  // file, any structural problem stops validation before the cross-field checks, so the bucket
  // boundary of services[0] and the undeclared stage of services[1] are not reported until the
  // user fixes services[0].kind and runs again. A single-service file reports all three.
  it("a services file reports structural and cross-field problems of every service in one pass", () => {
    const a = validDescription();
    a.kind = "rag";
    a.slos[1].latency.thresholdSeconds = 2.5;
    const b: Description = { ...validDescription(), name: "qa-bot-2" };
    b.slos = [{ name: "latency", objectivePercent: 99, latency: { stage: "rerank", thresholdSeconds: 0.32 } }];
    expect(problems(() => servicesFromData({ services: [a, b] }, "team.yaml"))).toEqual([
      'team.yaml: services[0].kind: "rag" is not one of "rag-pipeline", "llm-gateway", "model-endpoint", "custom"',
      "team.yaml: services[0].slos[1].latency.thresholdSeconds: 2.5 is not a bucket boundary of http_server_request_duration_seconds; nearest are 1.28 and 2.56",
      'team.yaml: services[1].slos[0].latency.stage: "rerank" is not a declared stage; declared stages are retrieve, generate',
    ]);
  });
});

describe("YAML syntax errors", () => {
  it("a YAML syntax error is reported as a problem of the file, not thrown as a parser exception", () => {
    let caught: unknown;
    try {
      parseDescriptionText("name: qa-bot\nteam: support-ai\nname: again\n", "qa-bot.yaml");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const issues = (caught as ValidationError).issues;
    expect(issues.map((i) => i.message)).toEqual(["Map keys must be unique; fix the YAML syntax"]);
    expect(issues[0].path.startsWith("qa-bot.yaml:")).toBe(true);
  });

  // BUG (service/load.ts parseDescriptionText): it parses with `prettyErrors: false`, under which the
  // yaml library leaves `linePos` unset, so every syntax error's path is `<file>:?` and the user is
  // never told the line. Passing a LineCounter (or reading `e.pos` through one) gives the line.
  it("a YAML syntax error names the file and the line", () => {
    expect(problems(() => parseDescriptionText("name: qa-bot\nteam: support-ai\nname: again\n", "qa-bot.yaml"))).toEqual([
      "qa-bot.yaml:3: Map keys must be unique; fix the YAML syntax",
    ]);
    expect(problems(() => parseDescriptionText("name: qa-bot\nteam: [a, b\nowner: me\n", "qa-bot.yaml"))).toEqual([
      "qa-bot.yaml:3: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the YAML syntax",
    ]);
  });
});

// BUG (service/schemaDsl.ts `show`): values are shown through JSON.stringify, which writes NaN and
// ±Infinity as `null`, so YAML's `.nan` or `.inf` (which the yaml library reads as NaN/Infinity)
// gets "expected a number, got a number null": the user is told of a null that is not in the file.
it("a NaN or infinite number from YAML is shown as written, not as null", () => {
  const d = validDescription();
  d.slos[0].objectivePercent = Number.NaN;
  d.slos[1].objectivePercent = Number.POSITIVE_INFINITY;
  const lines = problems(() => normalizeService(d));
  expect(lines).toHaveLength(2);
  for (const l of lines) expect(l).not.toContain("null");
});

describe("one pass reports every problem", () => {
  it("a description with structural and cross-field mistakes lists all of them, in document order per kind", () => {
    expect(
      problemsOf((d) => {
        d.kind = 5; // structural: wrong type
        d.tema = "x"; // structural: unknown field
        d.slos[1].objectivePercent = "high"; // structural, in the same SLO as the next mistake
        d.slos[1].latency.thresholdSeconds = 2.5; // cross-field: not a bucket boundary
        d.slos[2].latency.stage = "rerank"; // cross-field: undeclared stage
        d.logs = { audit: { retentionDays: 60 } }; // cross-field: shorter than errors
        delete d.alerting.ticket.channel; // cross-field: slack needs a channel
      }),
    ).toEqual([
      'kind: 5 is not one of "rag-pipeline", "llm-gateway", "model-endpoint", "custom"',
      "slos[1].objectivePercent: expected a number, got a string \"high\"",
      'tema: unknown field; did you mean "team"?',
      "slos[1].latency.thresholdSeconds: 2.5 is not a bucket boundary of http_server_request_duration_seconds; nearest are 1.28 and 2.56",
      'slos[2].latency.stage: "rerank" is not a declared stage; declared stages are retrieve, generate',
      "logs.audit.retentionDays: 60 is shorter than the errors tier (90); keep the audit trail at least as long",
      'alerting.ticket.channel: is required for slack, e.g. "#support-ai-alerts"',
    ]);
  });

  it("the ValidationError message lists every problem on its own line under a count", () => {
    const d = validDescription();
    d.kind = "rag";
    d.slos[1].latency.thresholdSeconds = 2.5;
    let message = "";
    try {
      normalizeService(d);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      "2 problem(s) in the service description:\n" +
        '  kind: "rag" is not one of "rag-pipeline", "llm-gateway", "model-endpoint", "custom"\n' +
        "  slos[1].latency.thresholdSeconds: 2.5 is not a bucket boundary of http_server_request_duration_seconds; nearest are 1.28 and 2.56",
    );
  });
});

describe("defaults, as documented in service/types.ts and service/defaults.ts", () => {
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
      selector: [["job", "min-svc"]],
      stages: [],
      slos: [],
      models: [],
      quality: { scores: [], maxHallucinationRatio: 0.05, maxNegativeFeedbackRatio: 0.2 },
      drift: { features: [], psiThreshold: 0.2, window: "1h", baselineOffset: "7d", maxMissingFeatureRatio: 0.01, minObservations: 500 },
      cost: { hourlyBudgetUsd: undefined },
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
