/**
 * SLI expressions from the metric contract: the share of bad events over a window, and the
 * events per second it divides by. Each returns PromQL without labels (sums over the service's
 * series); recording rules add the `service`/`slo` labels. Bad events are `or vector(0)` so a
 * service without a single failure still records 0 rather than nothing; a missing denominator
 * yields no sample at all, which the "SLI absent" alert catches. With no traffic (a denominator
 * of 0) a ratio is NaN, and NaN is above no threshold: an idle service burns no budget.
 */
import { leMatcher } from "../service/leMatcher";
import type { ServiceModel, SloModel } from "../service/model";
import { quote, selector } from "./promql";

const rate = (series: string, sel: string, window: string) => `sum(rate(${series}${sel}[${window}]))`;

/**
 * What an SLI counts: its events per second over a window, and either its bad events (`bad`,
 * e.g. 5xx responses) or its good ones (`good`, e.g. requests under the latency threshold).
 */
interface SliParts {
  readonly counts: "bad" | "good";
  readonly events: (window: string) => string;
  readonly total: (window: string) => string;
}

function sliParts(model: ServiceModel, slo: SloModel): SliParts {
  const m = model.metrics;
  const L = m.labels;
  const sli = slo.sli;
  switch (sli.kind) {
    case "availability": {
      if (sli.stage) {
        const stage = `${L.stage}=${quote(sli.stage)}`;
        return {
          counts: "bad",
          events: (w) => rate(m.stageCalls.name, selector(model, stage, `${L.spanStatus}=${quote(m.values.spanStatusError)}`), w),
          total: (w) => rate(m.stageCalls.name, selector(model, stage), w),
        };
      }
      const h = m.httpRequestDuration.name;
      return {
        counts: "bad",
        events: (w) => rate(`${h}_count`, selector(model, `${L.httpStatusCode}=~${quote(m.values.httpServerErrorRegex)}`), w),
        total: (w) => rate(`${h}_count`, selector(model), w),
      };
    }
    case "latency": {
      const h = sli.stage ? m.stageDuration.name : m.httpRequestDuration.name;
      const extra = sli.stage ? [`${L.stage}=${quote(sli.stage)}`] : [];
      return {
        counts: "good",
        events: (w) => rate(`${h}_bucket`, selector(model, ...extra, leMatcher(sli.thresholdSeconds)), w),
        total: (w) => rate(`${h}_count`, selector(model, ...extra), w),
      };
    }
    case "quality": {
      const h = m.evaluationScore.name;
      const which = `${L.evaluation}=${quote(sli.score)}`;
      return {
        counts: "bad",
        events: (w) => rate(`${h}_bucket`, selector(model, which, leMatcher(sli.threshold)), w),
        total: (w) => rate(`${h}_count`, selector(model, which), w),
      };
    }
    case "custom":
      return {
        counts: "good",
        // A custom good counter may be created only on the first good event.
        events: (w) => `(${rate(sli.goodMetric, selector(model), w)} or vector(0))`,
        total: (w) => rate(sli.totalMetric, selector(model), w),
      };
  }
}

/** `bad / total`, or `1 - good / total`; `op` is the division operator (with its matching clause). */
function ratio(p: SliParts, window: string, total: string, op: string): string {
  return p.counts === "bad"
    ? `(${p.events(window)} or vector(0))\n${op}\n${total}`
    : `1 - (\n  ${p.events(window)}\n  ${op}\n  ${total}\n)`;
}

/** The bad-event ratio of `slo` over `window`, from the raw series. */
export function errorRatioExpr(model: ServiceModel, slo: SloModel, window: string): string {
  const p = sliParts(model, slo);
  return ratio(p, window, p.total(window), "/");
}

/** The SLI's events per second over `window` (its denominator), from the raw series. */
export function totalRateExpr(model: ServiceModel, slo: SloModel, window: string): string {
  return sliParts(model, slo).total(window);
}

/**
 * The bad-event ratio over `window` with the raw bad (or good) events divided by `total`, the
 * SLI's events per second over the same window already recorded (a selector of one series; matched
 * with `on ()`). Reads the raw series once less than `errorRatioExpr`, and still states the SLI's
 * definition (its `le` threshold) in the rule.
 */
export function errorRatioOverExpr(model: ServiceModel, slo: SloModel, window: string, total: string): string {
  return ratio(sliParts(model, slo), window, total, "/ on ()");
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
