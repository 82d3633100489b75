/** The `tracing` section: what the collector's tail sampler keeps. */
import { dflt, num, obj, type Output } from "../schemaDsl";
import { percent } from "./common";

/** Kept-if-slower threshold when no end-to-end latency SLO gives one: a latency bucket boundary. */
export const FALLBACK_SLOW_THRESHOLD_SECONDS = 2.56;

export const TRACING_SCHEMA = obj("Tracing.", {
  slowThresholdSeconds: num(
    `Requests slower than this are always kept, seconds (default: the lowest end-to-end latency SLO threshold, else ${FALLBACK_SLOW_THRESHOLD_SECONDS}).`,
    { exclusiveMinimum: 0 },
  ),
  baselinePercent: dflt(percent("Share of other requests kept, percent."), 5),
});

/** Tracing with the slow threshold resolved from the service's end-to-end latency SLOs. */
export function buildTracing(t: Output<typeof TRACING_SCHEMA>, endToEndLatencyThresholds: readonly number[]) {
  const fallback = endToEndLatencyThresholds.length ? Math.min(...endToEndLatencyThresholds) : FALLBACK_SLOW_THRESHOLD_SECONDS;
  return { ...t, slowThresholdSeconds: t.slowThresholdSeconds ?? fallback };
}
