/**
 * SLI error-ratio expressions: the share of bad events over a window, from the metric contract.
 * Each returns PromQL without labels (sums over the service's series); recording rules add the
 * `service`/`slo` labels. Errors are `or vector(0)` so a service without a single failure still
 * records 0 rather than nothing; a missing denominator yields no sample at all, which the
 * "SLI absent" alert catches.
 */
import { leMatcher } from "../service/metricContract";
import type { ServiceModel, SloModel } from "../service/model";
import { quote, selector } from "./promql";

const rate = (series: string, sel: string, window: string) => `sum(rate(${series}${sel}[${window}]))`;

/** The bad-event ratio of `slo` over `window`. */
export function errorRatioExpr(model: ServiceModel, slo: SloModel, window: string): string {
  const m = model.metrics;
  const L = m.labels;
  const sli = slo.sli;
  switch (sli.kind) {
    case "availability": {
      if (sli.stage) {
        const stage = `${L.stage}=${quote(sli.stage)}`;
        const bad = rate(m.stageCalls.name, selector(model, stage, `${L.spanStatus}=${quote(m.values.spanStatusError)}`), window);
        return `(${bad} or vector(0))\n/\n${rate(m.stageCalls.name, selector(model, stage), window)}`;
      }
      const h = m.httpRequestDuration.name;
      const bad = rate(`${h}_count`, selector(model, `${L.httpStatusCode}=~${quote(m.values.httpServerErrorRegex)}`), window);
      return `(${bad} or vector(0))\n/\n${rate(`${h}_count`, selector(model), window)}`;
    }
    case "latency": {
      const h = sli.stage ? m.stageDuration.name : m.httpRequestDuration.name;
      const extra = sli.stage ? [`${L.stage}=${quote(sli.stage)}`] : [];
      const fast = rate(`${h}_bucket`, selector(model, ...extra, leMatcher(sli.thresholdSeconds)), window);
      return `1 - (\n  ${fast}\n  /\n  ${rate(`${h}_count`, selector(model, ...extra), window)}\n)`;
    }
    case "quality": {
      const h = m.evaluationScore.name;
      const which = `${L.evaluation}=${quote(sli.score)}`;
      const bad = rate(`${h}_bucket`, selector(model, which, leMatcher(sli.threshold)), window);
      return `(${bad} or vector(0))\n/\n${rate(`${h}_count`, selector(model, which), window)}`;
    }
    case "custom":
      return `1 - (\n  (${rate(sli.goodMetric, selector(model), window)} or vector(0))\n  /\n  ${rate(sli.totalMetric, selector(model), window)}\n)`;
  }
}

/** The series whose absence means the SLI cannot be computed (its denominator). */
export function sliTotalSeries(model: ServiceModel, slo: SloModel): string {
  const m = model.metrics;
  const L = m.labels;
  const sli = slo.sli;
  switch (sli.kind) {
    case "availability":
      return sli.stage
        ? `${m.stageCalls.name}${selector(model, `${L.stage}=${quote(sli.stage)}`)}`
        : `${m.httpRequestDuration.name}_count${selector(model)}`;
    case "latency":
      return sli.stage
        ? `${m.stageDuration.name}_count${selector(model, `${L.stage}=${quote(sli.stage)}`)}`
        : `${m.httpRequestDuration.name}_count${selector(model)}`;
    case "quality":
      return `${m.evaluationScore.name}_count${selector(model, `${L.evaluation}=${quote(sli.score)}`)}`;
    case "custom":
      return `${sli.totalMetric}${selector(model)}`;
  }
}
