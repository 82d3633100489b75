/**
 * Synthetic promtool input series for the example RAG assistant's SLIs, minute by minute, from a
 * scenario function: requests per minute and the share of errors, slow answers and low-relevance
 * answers at each minute. Series names come from the service's metric contract.
 */
import type { ServiceModel } from "../../service/model";
import { counterValues as phaseCounter } from "./syntheticSeries";

/** A counter from its increase in each minute. */
const counterValues = (increments: readonly number[]) => phaseCounter(increments.map((perMinute) => ({ minutes: 1, perMinute })));

export interface Minute {
  readonly requests: number;
  /** Share of requests answered with HTTP 500. */
  readonly errorShare: number;
  /** Share of requests slower than the latency SLO threshold (3 s) and the embed threshold. */
  readonly slowShare: number;
  /** Share of evaluated answers at or under the relevance threshold. */
  readonly badRelevanceShare: number;
}

/** The literal `le` value of a bound as the Go/OTel client writes it (whole numbers without ".0"). */
const le = (b: number) => String(b);

/** Builds input_series for `minutes` minutes; `omit` leaves out SLIs (to test absent data). */
export function ragSeries(model: ServiceModel, minutes: number, at: (minute: number) => Minute, omit: { relevance?: boolean } = {}) {
  const m = model.metrics;
  const job = `job="${model.name}"`;
  const steps = Array.from({ length: minutes }, (_, i) => at(i));
  const ok = steps.map((s) => s.requests * (1 - s.errorShare));
  const err = steps.map((s) => s.requests * s.errorShare);
  const fast = steps.map((s) => s.requests * (1 - s.slowShare));
  const good = steps.map((s) => s.requests * (1 - Math.max(s.errorShare, s.slowShare, s.badRelevanceShare)));
  const series: { series: string; values: string }[] = [
    { series: `${m.httpRequestDuration.name}_count{${job},${m.labels.httpStatusCode}="200"}`, values: counterValues(ok) },
    { series: `${m.httpRequestDuration.name}_count{${job},${m.labels.httpStatusCode}="500"}`, values: counterValues(err) },
    { series: `${m.httpRequestDuration.name}_bucket{${job},le="${le(3)}"}`, values: counterValues(fast) },
    { series: `${m.stageDuration.name}_count{${job},${m.labels.stage}="embed"}`, values: counterValues(steps.map((s) => s.requests)) },
    { series: `${m.stageDuration.name}_bucket{${job},${m.labels.stage}="embed",le="${le(0.64)}"}`, values: counterValues(fast) },
    { series: `rag_queries_total{${job}}`, values: counterValues(steps.map((s) => s.requests)) },
    { series: `rag_queries_good_total{${job}}`, values: counterValues(good) },
  ];
  if (!omit.relevance) {
    const evaluated = steps.map((s) => s.requests / 10);
    series.push(
      { series: `${m.evaluationScore.name}_count{${job},${m.labels.evaluation}="relevance"}`, values: counterValues(evaluated) },
      {
        series: `${m.evaluationScore.name}_bucket{${job},${m.labels.evaluation}="relevance",le="${le(0.7)}"}`,
        values: counterValues(steps.map((s, i) => evaluated[i] * s.badRelevanceShare)),
      },
    );
  }
  return series;
}

export const healthy = (): Minute => ({ requests: 600, errorShare: 0.0002, slowShare: 0.001, badRelevanceShare: 0.003 });
