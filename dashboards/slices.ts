/**
 * The `slice` variable of a service that declares slices: "none" plus each declared label. Split
 * panels put `$slice` in their `sum by (...)`, so the variable's value must always be a label name
 * that yields valid PromQL: "none" stands for the service's first selector label (`job` by
 * default), which every selected series carries with one value, so grouping by it splits nothing
 * (`sum by (le, job)` draws the same lines as `sum by (le)`). An empty value would need
 * `by (le, )`, which a custom variable cannot hold.
 *
 * Custom values are refused (`allowCustomValue: false`): the value lands unquoted in PromQL.
 * Services without slices get no variable and their queries are unchanged, byte for byte.
 */
import { CustomVariableBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import type { ServiceModel } from "../service/model";

/** Name of the template variable holding the label panels are split by. */
export const SLICE_VARIABLE = "slice";
const REF = `$${SLICE_VARIABLE}`;

/** What the "do not split" option is called in the picker. */
const NONE = "none";

export const hasSlices = (model: ServiceModel) => model.slices.length > 0;

/** The label "none" groups by: the first selector label, one value for the whole service. */
const noneLabel = (model: ServiceModel) => model.selector[0][0];

/** Every value the variable can take (the first is "none"): what tests substitute for `$slice`. */
export function sliceValues(model: ServiceModel): string[] {
  return hasSlices(model) ? [noneLabel(model), ...model.slices.map((s) => s.label)] : [];
}

/** Grouping labels a split panel adds to its `sum by (...)`: `$slice`, or none without slices. */
export const sliceBy = (model: ServiceModel): string[] => (hasSlices(model) ? [REF] : []);

/** A legend naming the slice a line belongs to (Grafana replaces `$slice` before `{{...}}`). */
export const sliceLegend = (model: ServiceModel, legend: string) => (hasSlices(model) ? `${legend} {{${REF}}}` : legend);

export function sliceVariable(model: ServiceModel): CustomVariableBuilder {
  const options = [{ text: NONE, value: noneLabel(model) }, ...model.slices.map((s) => ({ text: s.label, value: s.label }))];
  const described = model.slices.map((s) => (s.description ? `${s.label} (${s.description})` : s.label)).join(", ");
  return new CustomVariableBuilder(SLICE_VARIABLE)
    .label("Split by")
    .description(`Splits the latency, error and quality panels by one label: ${described}. "none" draws one line for the whole service.`)
    .values(options.map((o) => `${o.text} : ${o.value}`).join(","))
    .options(options.map((o, i) => ({ ...o, selected: i === 0 })))
    .current({ text: NONE, value: noneLabel(model) })
    .multi(false)
    .includeAll(false)
    .allowCustomValue(false);
}
