/**
 * The `serving` section: queue time, inter-token latency, output tokens per second and
 * cancellations. Declaring the section (even empty) adds the recording rules and the operational
 * dashboard's Serving row; each limit set in it also opens a ticket. Limits read from a histogram
 * must sit on one of its bucket boundaries, like latency SLO thresholds: a share of requests over
 * a boundary is exact, and "more than 5% over the limit" is "the P95 is over the limit".
 */
import type { MetricContract } from "../metricContract";
import { num, obj, type Loose, type Output, type RefineContext } from "../schemaDsl";
import { percent, ratio } from "./common";
import { requireBoundary } from "./slos";

/** Kinds whose answers stream tokens, so inter-token latency and output tokens exist (alerts/signals/requests.ts LLM_KINDS). */
const TOKEN_KINDS: readonly string[] = ["rag-pipeline", "llm-gateway", "agent"];

export const SERVING_SCHEMA = obj(
  "Serving signals: queue time, inter-token latency, output tokens per second and cancellations, as recording rules and an operational-dashboard row (default: none). Each limit set here also opens a ticket.",
  {
    maxQueueSeconds: num("Queue-time P95 that opens a ticket, seconds; a bucket boundary of the queueTime histogram (default: no ticket).", { exclusiveMinimum: 0 }),
    maxInterTokenSeconds: num(
      "Inter-token latency (time per output token) P95 that opens a ticket, seconds; a bucket boundary of the timePerOutputToken histogram; rag-pipeline, llm-gateway and agent only (default: no ticket).",
      { exclusiveMinimum: 0 },
    ),
    maxCancelledPercent: percent("Share of requests cancelled by the client or the server that opens a ticket, percent (default: no ticket)."),
  },
);

type ServingOutput = Output<typeof SERVING_SCHEMA>;

/** Limits on bucket boundaries; inter-token latency only where answers stream tokens. */
export function checkServing(s: Loose<ServingOutput> | undefined, kind: string | undefined, metrics: MetricContract, ctx: RefineContext): void {
  if (s === undefined) return;
  requireBoundary(ctx, "serving.maxQueueSeconds", s.maxQueueSeconds, metrics.queueTime);
  if (s.maxInterTokenSeconds !== undefined && kind !== undefined && !TOKEN_KINDS.includes(kind))
    ctx.issue("serving.maxInterTokenSeconds", `a ${kind} service streams no tokens; remove it (it applies to ${TOKEN_KINDS.join(", ")})`);
  else requireBoundary(ctx, "serving.maxInterTokenSeconds", s.maxInterTokenSeconds, metrics.timePerOutputToken);
}

/** Serving as generators read it (undefined: the service declares no serving signals). */
export function buildServing(s: ServingOutput | undefined) {
  if (s === undefined) return undefined;
  const { maxCancelledPercent, ...rest } = s;
  return { ...rest, /** Ratio, e.g. 0.05. */ maxCancelledRatio: maxCancelledPercent === undefined ? undefined : ratio(maxCancelledPercent) };
}
