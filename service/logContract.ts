/**
 * The log contract: the structured (JSON, one object a line) record services write, which the
 * collector routes to the tiers, `mlobs logs check` checks and the saved Logs Insights queries read.
 * Like the metric contract, the one place these names are spelt.
 *
 * LOG_RECORD below is the one definition. From it come LOG_FIELDS (the names, for queries), the
 * published JSON Schema (scripts/generate-log-schema.ts → service/log-record.schema.json), the
 * checks of `mlobs logs check` (cli/logsCheck.ts) and the field table of docs/logs.md.
 */
import { NAME_PATTERN } from "./description/common";

/** Log tiers, from most to least kept. */
export const LOG_TIERS = ["errors", "standard", "audit", "debug"] as const;
export type LogTier = (typeof LOG_TIERS)[number];

export const LOG_LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"] as const;

/** ISO 8601 date and time (RFC 3339 profile) with a time zone; a local time is ambiguous across regions. */
export const TIMESTAMP_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})$/;

/** The value shapes a log field takes; each becomes a JSON Schema fragment and a check. */
export type LogValue =
  | { readonly kind: "string"; readonly pattern?: RegExp; readonly hint?: string; readonly maxLength: number }
  | { readonly kind: "timestamp" }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "number"; readonly integer?: boolean; readonly minimum: number; readonly maximum?: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "names"; readonly maxItems: number }
  | { readonly kind: "labelOrNumber"; readonly maxLength: number }
  | { readonly kind: "scores" }
  | { readonly kind: "content" };

/**
 * Whether a field may hold personal data. `content`: prompt and answer bodies, which may; the
 * collector replaces them with a hash unless a tier opts in to keep them. Keys that must never
 * appear at all are in FORBIDDEN_LOG_KEYS.
 */
export type PersonalData = "none" | "content";

/**
 * Whether the value may become a metric label. `never`: unbounded (ids, times, measurements,
 * free text); one label value per request would explode the series count.
 */
export type MetricLabel = "allowed" | "never";

export interface LogField {
  /** The JSON key, as the structured loggers write it. */
  readonly name: string;
  readonly required: boolean;
  readonly description: string;
  readonly value: LogValue;
  readonly personalData: PersonalData;
  readonly metricLabel: MetricLabel;
}

const text = (maxLength: number, pattern?: RegExp, hint?: string): LogValue => ({ kind: "string", maxLength, pattern, hint });
const VERSION = text(128, /^[A-Za-z0-9][A-Za-z0-9._:+-]*$/, "a version such as 2025-01-15 or v3.2.0 (letters, digits, . _ : + -)");
const NAME = text(40, NAME_PATTERN, "a name as in the service description: 2-40 lower-case letters, digits and dashes, starting with a letter");
const COUNT: LogValue = { kind: "number", integer: true, minimum: 0 };

const field = (
  name: string,
  description: string,
  value: LogValue,
  o: { required?: boolean; personalData?: PersonalData; metricLabel?: MetricLabel } = {},
): LogField => ({ name, required: o.required ?? false, description, value, personalData: o.personalData ?? "none", metricLabel: o.metricLabel ?? "allowed" });

const required = { required: true } as const;
const unbounded = { metricLabel: "never" } as const;

/** Every field of the record, keyed by the name code uses (`LOG_FIELDS.requestId`). */
export const LOG_RECORD = {
  timestamp: field("timestamp", "When the event happened: ISO 8601 / RFC 3339 with a time zone (`Z` or `+02:00`).", { kind: "timestamp" }, { ...required, ...unbounded }),
  level: field("level", "Severity.", { kind: "enum", values: LOG_LEVELS }, required),
  service: field("service", "The service's name, as in its description.", NAME, required),
  requestId: field("request_id", "The request's id, the one the caller sees; correlates the records of one request.", text(128, /^[A-Za-z0-9][A-Za-z0-9._:-]*$/, "1-128 letters, digits and . _ : -, e.g. a UUID"), { ...required, ...unbounded }),
  traceId: field("trace_id", "W3C trace id of the request: 32 lower-case hex digits, not all zero; joins the record to its trace.", text(32, /^(?!0{32}$)[0-9a-f]{32}$/, "32 lower-case hex digits, not all zero, as in the traceparent header"), { ...required, ...unbounded }),
  spanId: field("span_id", "W3C span id of the operation that logged: 16 lower-case hex digits, not all zero.", text(16, /^(?!0{16}$)[0-9a-f]{16}$/, "16 lower-case hex digits, not all zero"), unbounded),
  stage: field("stage", "Pipeline stage (span name), as in the service description's stages.", NAME),
  modelName: field("model_name", "Model id, as in gen_ai_request_model.", text(100)),
  modelVersion: field("model_version", "Model version or release that served the request.", VERSION),
  latencyMs: field("latency_ms", "Time the request (or stage) took, in milliseconds.", { kind: "number", minimum: 0 }, unbounded),
  status: field("status", "Outcome of the request or stage.", { kind: "enum", values: ["ok", "error"] }),
  errorType: field("error_type", "Error class when status is error, e.g. TimeoutError (no message text).", text(128, /^[A-Za-z_][A-Za-z0-9_.:-]*$/, "an error class or code, e.g. TimeoutError")),
  region: field("region", "AWS region that served the request.", text(32, /^[a-z]{2}(-[a-z]+)+-[0-9]+$/, "an AWS region such as eu-west-1")),
  inputSchemaVersion: field("input_schema_version", "Version of the input (feature) schema the request used.", VERSION),
  featuresUsed: field("features_used", "Names of the features the model read (names only, never values).", { kind: "names", maxItems: 500 }, unbounded),
  prediction: field("prediction", "The model's output as a label or a number; never raw input.", { kind: "labelOrNumber", maxLength: 100 }, unbounded),
  promptVersion: field("prompt_version", "Version of the prompt template (GenAI).", VERSION),
  retrievalIndexVersion: field("retrieval_index_version", "Version of the retrieval index the answer drew on (GenAI).", VERSION),
  policyVersion: field("policy_version", "Version of the safety or guardrail policy applied (GenAI).", VERSION),
  inputTokens: field("input_tokens", "Tokens in the prompt (GenAI).", COUNT, unbounded),
  outputTokens: field("output_tokens", "Tokens in the answer (GenAI).", COUNT, unbounded),
  cacheHit: field("cache_hit", "Whether the answer came from a cache (GenAI).", { kind: "boolean" }),
  evaluationScores: field("evaluation_scores", "Online evaluation scores by name (e.g. faithfulness), each in [0, 1].", { kind: "scores" }, unbounded),
  audit: field("audit", "The record is an audit event: the collector routes it to the audit tier.", { kind: "boolean" }),
  inputMessages: field(
    "gen_ai.input.messages",
    "Prompt messages (OpenTelemetry GenAI). The collector replaces them with a hash unless the tier opts in to keep content.",
    { kind: "content" },
    { personalData: "content", metricLabel: "never" },
  ),
  outputMessages: field(
    "gen_ai.output.messages",
    "Answer messages (OpenTelemetry GenAI). The collector replaces them with a hash unless the tier opts in to keep content.",
    { kind: "content" },
    { personalData: "content", metricLabel: "never" },
  ),
} as const satisfies Record<string, LogField>;

export type LogFieldKey = keyof typeof LOG_RECORD;

/** The field names, for queries and code: `LOG_FIELDS.requestId` is `"request_id"`. */
export const LOG_FIELDS = Object.fromEntries(Object.entries(LOG_RECORD).map(([k, f]) => [k, f.name])) as {
  readonly [K in LogFieldKey]: (typeof LOG_RECORD)[K]["name"];
};

/** The fields in definition order. */
export const LOG_FIELD_LIST: readonly LogField[] = Object.values(LOG_RECORD);

/** Fields whose values must never become metric labels. */
export const NEVER_METRIC_LABELS: readonly string[] = LOG_FIELD_LIST.filter((f) => f.metricLabel === "never").map((f) => f.name);

/**
 * Keys that must never appear in a record, at any depth: personal data and credentials have no
 * place in logs (hash or drop them in the service). Written snake_case; `mlobs logs check` also
 * matches camelCase, dashed and dotted spellings (`userName`, `client.ip`).
 */
export const FORBIDDEN_LOG_KEYS: readonly string[] = [
  "email",
  "email_address",
  "phone",
  "phone_number",
  "user_name",
  "username",
  "full_name",
  "first_name",
  "last_name",
  "date_of_birth",
  "address",
  "street_address",
  "ip",
  "ip_address",
  "ssn",
  "card_number",
  "credit_card",
  "cvv",
  "password",
  "passwd",
  "api_key",
  "secret",
  "access_token",
  "refresh_token",
  "authorization",
  "cookie",
  "set_cookie",
];
