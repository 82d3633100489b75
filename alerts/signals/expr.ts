/**
 * PromQL shapes the signal generators share. Nothing here knows a metric name: callers pass
 * series already spelt from the contract.
 */
import type { ServiceModel } from "../../service/model";
import { LABEL } from "../conventions";
import { quote } from "../promql";

/** Labels every signal series of the service carries; rules add the rest. */
export function serviceLabels(model: ServiceModel, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { [LABEL.service]: model.name, ...extra };
}

/** `name{service="svc",...extra}`: selects the service's own recorded series. */
export function recorded(model: ServiceModel, name: string, extra: Readonly<Record<string, string>> = {}): string {
  const matchers = Object.entries({ [LABEL.service]: model.name, ...extra }).map(([k, v]) => `${k}=${quote(v)}`);
  return `${name}{${matchers.join(",")}}`;
}

/**
 * A pair of label names: the one a signal series carries (`model`) and the one the metric
 * contract says the raw series use (`gen_ai_request_model`).
 */
export type LabelPair = readonly [signal: string, contract: string];

/**
 * `sum by (<signal labels>) (inner)`. Where the contract's label has another name, it is first
 * copied into the signal's name with label_replace, so dashboards see the same label keys whatever
 * the service's contract overrides are.
 */
export function sumBy(pairs: readonly LabelPair[], inner: string): string {
  let e = inner;
  for (const [signal, contract] of pairs)
    if (signal !== contract) e = `label_replace(${e}, ${quote(signal)}, "$1", ${quote(contract)}, "(.*)")`;
  return `sum by (${pairs.map(([s]) => s).join(", ")}) (${e})`;
}

/**
 * `num / den`, recording 0 (not nothing) when the numerator's counter was never created (client
 * libraries create labelled counters on first increment), and nothing when the denominator is 0,
 * so an idle service does not record a misleading 0 or NaN. `num` and `den` must have the same
 * label sets.
 */
export function ratioZeroFilled(num: string, den: string): string {
  return `(\n  ${num}\nor\n  ${den} * 0\n)\n/\n(${den} > 0)`;
}
