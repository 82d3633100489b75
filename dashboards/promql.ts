/**
 * PromQL pieces the dashboards share. Raw series are selected by the service's own matchers
 * (alerts/promql.ts `selector`), recorded series by the `service` label the rules add
 * (alerts/conventions.ts `LABEL`). Nothing here spells a metric name: callers pass names read
 * from `model.metrics` or from the rule-name modules.
 */
import { LABEL } from "../alerts/conventions";
import { quote, selector } from "../alerts/promql";
import type { ServiceModel } from "../service/model";

/** Grafana's rate window for graphs: at least four scrapes, widened with the zoom level. */
export const RATE = "$__rate_interval";
/** Window of headline stats: what "now" means at a glance. */
export const NOW = "5m";

/** The template variable holding the selected models (see variables.ts). */
export const MODEL_VARIABLE = "model";

/** `{job="svc",...extra}`: a raw series of the service. */
export const raw = (model: ServiceModel, ...extra: string[]) => selector(model, ...extra);

/** `name{service="svc",...extra}`: a series recorded by the generated rules for the service. */
export function recorded(model: ServiceModel, name: string, ...extra: string[]): string {
  return `${name}{${[`${LABEL.service}=${quote(model.name)}`, ...extra].join(",")}}`;
}

/** `label="value"`. */
export const eq = (label: string, value: string) => `${label}=${quote(value)}`;

/** `label=~"regex"`. */
export const matches = (label: string, regex: string) => `${label}=~${quote(regex)}`;

/** `label=~"a|b|c"`, each value matched literally. */
export function oneOf(label: string, values: readonly string[]): string {
  const escaped = values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return `${label}=~${quote(escaped.join("|"))}`;
}

/** `sum by (le, ...by) (rate(<histogram>_bucket<sel>[window]))` fed to histogram_quantile. */
export function quantile(q: number, histogram: string, sel: string, by: readonly string[] = [], window = RATE): string {
  return `histogram_quantile(${q}, sum by (${["le", ...by].join(", ")}) (rate(${histogram}_bucket${sel}[${window}])))`;
}

/** `sum [by (...)] (rate(<series><sel>[window]))`. */
export function sumRate(series: string, sel: string, by: readonly string[] = [], window = RATE): string {
  const inner = `rate(${series}${sel}[${window}])`;
  return by.length > 0 ? `sum by (${by.join(", ")}) (${inner})` : `sum(${inner})`;
}
