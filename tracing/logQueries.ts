/**
 * Saved CloudWatch Logs Insights queries for a service (pure), one per step of the incident
 * runbook: find the request, find the slow stage, find the release that errs, compare a release
 * with the one before. Field names come from the log contract (service/logContract.ts), which the
 * services' structured loggers follow; no query spells a field itself.
 */
import { LOG_FIELDS, type LogTier } from "../service/logContract";

export interface SavedQuery {
  /** Short id, stable across releases (becomes part of the construct id). */
  readonly id: string;
  readonly title: string;
  /** Which log tier the query reads. */
  readonly tier: LogTier;
  readonly query: string;
}

/** Name of a saved query in CloudWatch: `observability/<environment>/<service>/<title>`. */
export const savedQueryName = (environment: string, service: string, q: Pick<SavedQuery, "title">): string => `observability/${environment}/${service}/${q.title}`;

/** The text users replace in a saved query before running it. */
export const REQUEST_ID_PLACEHOLDER = "REQUEST_ID";

const f = LOG_FIELDS;
/** The error filter every error query shares: an error status or an error level. */
const IS_ERROR = `${f.status} = "error" or ${f.level} in ["ERROR", "FATAL"]`;
const RELEASE = `${f.modelVersion}, ${f.promptVersion}`;
const latencyStats = `pct(${f.latencyMs}, 95) as p95Ms, pct(${f.latencyMs}, 99) as p99Ms`;

/** Every record of one request, in order: replace REQUEST_ID with the id the caller reported. */
function requestById(id: string, title: string, tier: LogTier): SavedQuery {
  return {
    id,
    title,
    tier,
    query: [
      `fields @timestamp, ${f.level}, ${f.stage}, ${f.status}, ${f.errorType}, ${f.latencyMs}, ${RELEASE}, ${f.traceId}, ${f.spanId}`,
      `| filter ${f.requestId} = "${REQUEST_ID_PLACEHOLDER}"`,
      `| sort @timestamp asc`,
      `| limit 1000`,
    ].join("\n"),
  };
}

export function savedQueries(): SavedQuery[] {
  return [
    // Errors are kept whole, so a failed request is always here; a slow one only when sampled.
    requestById("request-by-id", "Request by id (replace REQUEST_ID)", "errors"),
    requestById("request-by-id-sampled", "Request by id in the sampled tier (replace REQUEST_ID)", "standard"),
    {
      id: "errors-by-request",
      title: "Errors by request and trace",
      tier: "errors",
      query: [
        `fields @timestamp, ${f.requestId}, ${f.traceId}, ${f.stage}, ${f.errorType}, @message`,
        `| filter ${IS_ERROR}`,
        `| stats count(*) as errors, earliest(@timestamp) as firstSeen by ${f.requestId}, ${f.traceId}, ${f.errorType}`,
        `| sort errors desc`,
        `| limit 200`,
      ].join("\n"),
    },
    {
      id: "slowest-per-stage",
      title: "Slowest requests per stage",
      tier: "standard",
      query: [
        `fields @timestamp, ${f.stage}, ${f.latencyMs}, ${f.traceId}`,
        `| filter ispresent(${f.latencyMs})`,
        `| stats ${latencyStats}, max(${f.latencyMs}) as maxMs, count(*) as requests by ${f.stage}`,
        `| sort p99Ms desc`,
      ].join("\n"),
    },
    {
      id: "errors-by-release",
      title: "Errors by model and prompt version",
      tier: "errors",
      query: [
        `filter ${IS_ERROR}`,
        `| stats count(*) as errors, count_distinct(${f.requestId}) as requests by ${RELEASE}, ${f.errorType}`,
        `| sort errors desc`,
        `| limit 200`,
      ].join("\n"),
    },
    {
      id: "release-before-after",
      title: "Release before and after, hourly (model and prompt version)",
      tier: "standard",
      query: [
        `filter ispresent(${f.latencyMs})`,
        `| stats count(*) as requests, ${latencyStats}, avg(${f.outputTokens}) as avgOutputTokens by bin(1h), ${RELEASE}`,
      ].join("\n"),
    },
  ];
}
