/**
 * Saved CloudWatch Logs Insights queries for a service (pure). Field names come from the log
 * contract in service/logContract.ts, which the services' structured loggers follow.
 */
import { LOG_FIELDS } from "../service/logContract";

export interface SavedQuery {
  /** Short id, stable across releases (becomes part of the construct id). */
  readonly id: string;
  readonly title: string;
  /** Which log tier the query reads. */
  readonly tier: "errors" | "standard";
  readonly query: string;
}

const f = LOG_FIELDS;

export function savedQueries(): SavedQuery[] {
  return [
    {
      id: "errors-by-request",
      title: "Errors by request and trace",
      tier: "errors",
      query: [
        `fields @timestamp, ${f.requestId}, ${f.traceId}, ${f.stage}, ${f.errorType}, @message`,
        `| filter ispresent(${f.errorType}) or ${f.level} = "ERROR"`,
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
        `fields @timestamp, ${f.stage}, ${f.durationMs}, ${f.traceId}`,
        `| filter ispresent(${f.durationMs})`,
        `| stats pct(${f.durationMs}, 95) as p95Ms, pct(${f.durationMs}, 99) as p99Ms, max(${f.durationMs}) as maxMs, count(*) as requests by ${f.stage}`,
        `| sort p99Ms desc`,
      ].join("\n"),
    },
  ];
}
