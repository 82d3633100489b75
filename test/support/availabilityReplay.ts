/**
 * rag-assistant's availability SLI as two counters, replayed through every rule of the service by
 * the range evaluator of replay/simulate (each group at its own interval, as in production).
 */
import { serviceRuleGroups } from "../../alerts";
import { REPLAY_ENVIRONMENT } from "../../replay/promtoolScenario";
import type { Series } from "../../replay/seriesBook";
import { evaluateByRanges, type RangeEvaluation } from "../../replay/simulate/rangeEval";
import { rag } from "./ragRules";

export const DAY = 1440;
export const STEP = 5;
/** rag-assistant's availability objective is 99.9 %: 0.1 % of requests may fail. */
export const ALLOWED = 0.001;

/** Requests per minute and the share failing at each minute: the availability SLI's two counters over `days`. */
export function traffic(days: number, requests: number, failing: (minute: number) => number): Series[] {
  const m = rag.metrics;
  const counter = (status: string, perMinute: (t: number) => number): Series => {
    const values = new Float64Array(days * DAY + 1);
    for (let t = 1; t < values.length; t++) values[t] = values[t - 1] + perMinute(t);
    return { name: `${m.httpRequestDuration.name}_count`, labels: { job: rag.name, [m.labels.httpStatusCode]: status }, kind: "counter", values };
  };
  return [counter("200", (t) => requests * (1 - failing(t))), counter("500", (t) => requests * failing(t))];
}

/** Every rule of rag-assistant over `input`, every STEP minutes for `days`. */
export function replay(input: readonly Series[], days: number): Promise<RangeEvaluation> {
  return evaluateByRanges(serviceRuleGroups(rag, { environment: REPLAY_ENVIRONMENT }), input, (days * DAY) / STEP + 1, STEP * 60);
}

/** Minutes since the start at which `alert` fired. */
export const firingMinutes = (r: RangeEvaluation, alert: string) => [...r.firing.values()].find((h) => h.alert === alert)?.firing.flatMap((f, i) => (f ? [i * STEP] : [])) ?? [];
