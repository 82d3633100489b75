/**
 * The collector's logs pipelines: one per CloudWatch tier, all reading the same OTLP logs (pure:
 * model in, config fragments out).
 *
 * A pipeline keeps what belongs to its tier and drops the rest with a `filter` processor (its
 * conditions name what to DROP), so a record reaches every tier it belongs to:
 *  - errors: severity ERROR or above, or `status = "error"`, in full;
 *  - standard: the other INFO/WARN records, sampled by trace id, so the records of a kept trace stay
 *    together; records of requests slower than the tail sampler's threshold skip the sampling
 *    (pipeline `logs/standard-slow`, same log group);
 *  - audit: records with `audit = true`, in full;
 *  - debug: TRACE and DEBUG records, only when `logs.debug.enabled`.
 * Before export, every pipeline redacts personal data and credentials (tracing/redaction.ts) and,
 * unless the tier keeps content, replaces prompt and answer bodies with their SHA-256.
 */
import type { ServiceModel } from "../service/model";
import { LOG_FIELDS, LOG_TIERS, type LogTier } from "../service/logContract";
import { PII_PATTERNS, redactionTag } from "./redaction";

/** Attributes that hold prompt and answer bodies (OpenTelemetry GenAI semantic conventions). */
export const CONTENT_ATTRIBUTES = [LOG_FIELDS.inputMessages, LOG_FIELDS.outputMessages] as const;
/** Record attributes the routing reads (the log contract's names). */
export const ROUTING_ATTRIBUTES = { status: LOG_FIELDS.status, audit: LOG_FIELDS.audit, latencyMs: LOG_FIELDS.latencyMs } as const;

/** An OTTL string literal: OTTL unquotes like Go, so backslashes and quotes are escaped. */
export const ottlString = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

const attr = (name: string) => `attributes[${ottlString(name)}]`;
const IS_ERROR = `severity_number >= SEVERITY_NUMBER_ERROR or ${attr(ROUTING_ATTRIBUTES.status)} == "error"`;
const IS_AUDIT = `${attr(ROUTING_ATTRIBUTES.audit)} == true`;
// Records without a severity count as INFO: many loggers leave it unset.
const IS_DEBUG = "severity_number > SEVERITY_NUMBER_UNSPECIFIED and severity_number < SEVERITY_NUMBER_INFO";

/** The drop conditions of each tier's filter (any one true drops the record). */
function dropConditions(slowMs: number): Record<string, string[]> {
  const isSlow = `${attr(ROUTING_ATTRIBUTES.latencyMs)} != nil and ${attr(ROUTING_ATTRIBUTES.latencyMs)} > ${slowMs}`;
  const notStandard = [IS_ERROR, IS_AUDIT, IS_DEBUG];
  return {
    errors: [`not (${IS_ERROR})`],
    standard: [...notStandard, isSlow],
    "standard-slow": [...notStandard, `not (${isSlow})`],
    audit: [`not (${IS_AUDIT})`],
    debug: [`not (${IS_DEBUG})`],
  };
}

function redactStatements(): string[] {
  return PII_PATTERNS.flatMap((p) => [
    `replace_all_patterns(attributes, "value", ${ottlString(p.re2)}, ${ottlString(redactionTag(p))})`,
    `replace_pattern(body, ${ottlString(p.re2)}, ${ottlString(redactionTag(p))}) where IsString(body)`,
  ]);
}

function hashContentStatements(): string[] {
  return CONTENT_ATTRIBUTES.flatMap((a) => [
    `set(${attr(a)}, SHA256(${attr(a)})) where IsString(${attr(a)})`,
    // Structured messages (a list or map) cannot be hashed as written: dropped rather than kept.
    `delete_key(attributes, ${ottlString(a)}) where ${attr(a)} != nil and not IsString(${attr(a)})`,
  ]);
}

/** Which tiers the service runs a pipeline for, each with the log group it writes. */
function activeTiers(model: ServiceModel): { tier: LogTier; pipeline: string }[] {
  const tiers = LOG_TIERS.filter((t) => t !== "debug" || model.logs.debug.enabled);
  return tiers.flatMap((tier): { tier: LogTier; pipeline: string }[] =>
    tier === "standard" ? [{ tier, pipeline: "standard" }, { tier, pipeline: "standard-slow" }] : [{ tier, pipeline: tier }],
  );
}

export interface LogsPipelineParts {
  readonly processors: Record<string, unknown>;
  readonly exporters: Record<string, unknown>;
  readonly pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
}

/**
 * Processors, exporters and pipelines of the logs side of the collector config. `logGroups` are the
 * names of the log groups the stack creates (tokens at synth time); `samplingSeed` keeps the
 * standard tier's trace-id sampling stable for the service across collector restarts.
 */
export function logsPipeline(model: ServiceModel, logGroups: Readonly<Record<LogTier, string>>, region: string, samplingSeed: number): LogsPipelineParts {
  const drops = dropConditions(Math.round(model.tracing.slowThresholdSeconds * 1000));
  const active = activeTiers(model);
  const hashesContent = active.some(({ tier }) => !model.logs[tier].keepContent);
  const processors: Record<string, unknown> = {
    "transform/redact": { error_mode: "ignore", log_statements: [{ context: "log", statements: redactStatements() }] },
    ...(hashesContent ? { "transform/hash-content": { error_mode: "ignore", log_statements: [{ context: "log", statements: hashContentStatements() }] } } : {}),
    "probabilistic_sampler/standard": {
      mode: "hash_seed",
      hash_seed: samplingSeed,
      attribute_source: "traceID",
      sampling_percentage: model.logs.standard.samplePercent,
    },
  };
  for (const { pipeline } of active) processors[`filter/${pipeline}`] = { error_mode: "ignore", logs: { log_record: drops[pipeline] } };
  const exporters = Object.fromEntries(
    [...new Set(active.map((a) => a.tier))].map((tier) => [
      `awscloudwatchlogs/${tier}`,
      { region, log_group_name: logGroups[tier], log_stream_name: `${model.name}-collector` },
    ]),
  );
  const pipelines = Object.fromEntries(
    active.map(({ tier, pipeline }) => [
      `logs/${pipeline}`,
      {
        receivers: ["otlp"],
        processors: [
          "memory_limiter",
          "resource",
          `filter/${pipeline}`,
          ...(pipeline === "standard" ? ["probabilistic_sampler/standard"] : []),
          "transform/redact",
          ...(model.logs[tier].keepContent ? [] : ["transform/hash-content"]),
          "batch",
        ],
        exporters: [`awscloudwatchlogs/${tier}`],
      },
    ]),
  );
  return { processors, exporters, pipelines };
}
