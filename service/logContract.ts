/**
 * The log contract: field names of the structured (JSON) logs services write, which the saved
 * Logs Insights queries read. Like the metric contract, the one place these names are spelt.
 */
export const LOG_FIELDS = {
  level: "level",
  requestId: "request_id",
  traceId: "trace_id",
  stage: "stage",
  errorType: "error_type",
  durationMs: "duration_ms",
} as const;

/** Log tiers, from most to least kept. */
export const LOG_TIERS = ["errors", "standard", "audit", "debug"] as const;
export type LogTier = (typeof LOG_TIERS)[number];
