/**
 * Template variables and the release annotation every dashboard of a service shares.
 *  - `datasource` (labelled Environment): the Prometheus data source of an environment, defaulting
 *    to the one the Grafana stack creates for this environment (`DATASOURCE_UID`).
 *  - `model`: the GenAI models the service calls, for services that call declared models.
 *  - Releases: marks the first minutes after a new model version starts being evaluated.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
  AnnotationQueryBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
  type AnnotationQuery,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { isLlmKind } from "../alerts/signals/requests";
import { DATASOURCE_UID } from "../service/links";
import type { ServiceModel } from "../service/model";
import { DATASOURCE, DATASOURCE_VARIABLE, COLOR } from "./presets";
import { MODEL_VARIABLE, raw } from "./promql";

export function datasourceVariable(environment: string): DatasourceVariableBuilder {
  const uid = DATASOURCE_UID.prometheus(environment);
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label("Environment")
    .type("prometheus")
    .current({ text: uid, value: uid });
}

/** Whether the service gets the `model` variable: it calls LLMs and declares its models. */
export const hasModelVariable = (model: ServiceModel) => isLlmKind(model) && model.models.length > 0;

/** `label_values(<series>, <label>)`: Grafana's variable query around a PromQL series selector. */
export const labelValues = (series: string, label: string) => `label_values(${series}, ${label})`;

export function modelVariable(model: ServiceModel): QueryVariableBuilder {
  const m = model.metrics;
  return new QueryVariableBuilder(MODEL_VARIABLE)
    .label("Model")
    .description("GenAI models the service called in the selected time range.")
    .datasource(DATASOURCE)
    .query(labelValues(`${m.genAiOperationDuration.name}_count${raw(model)}`, m.labels.model))
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ text: "All", value: "$__all" });
}

/** Matchers limiting raw GenAI series to the selected models (none without the variable). */
export function modelMatchers(model: ServiceModel, label = model.metrics.labels.model): string[] {
  return hasModelVariable(model) ? [`${label}=~"$${MODEL_VARIABLE}"`] : [];
}

/** How long after a new version appears it is marked: one annotation region per release. */
const RELEASE_MARK = "15m";

/**
 * Model versions seen now that were not seen RELEASE_MARK ago, from a series that carries the
 * contract's model-version label: evaluation scores when the service declares any (the quality
 * signals compare versions on them), else user feedback of an LLM service. A restart of the same
 * version does not count: versions are compared, not series.
 */
export function releaseExpr(model: ServiceModel): string | undefined {
  const m = model.metrics;
  const series =
    model.quality.scores.length > 0
      ? `${m.evaluationScore.name}_count${raw(model)}`
      : isLlmKind(model)
        ? `${m.feedback.name}${raw(model)}`
        : undefined;
  if (!series) return undefined;
  const v = m.labels.modelVersion;
  return `count by (${v}) (${series}) unless count by (${v}) (${series} offset ${RELEASE_MARK})`;
}

/** Prometheus annotation fields the SDK's AnnotationQuery type does not list. */
interface PrometheusAnnotation extends AnnotationQuery {
  readonly titleFormat: string;
  readonly tagKeys: string;
  readonly step: string;
}

export function releaseAnnotation(model: ServiceModel): cog.Builder<PrometheusAnnotation> | undefined {
  const expr = releaseExpr(model);
  if (!expr) return undefined;
  const v = model.metrics.labels.modelVersion;
  const base = new AnnotationQueryBuilder().name("Releases").datasource(DATASOURCE).enable(true).iconColor(COLOR.info).expr(expr);
  return { build: () => ({ ...base.build(), titleFormat: `Release {{${v}}}`, tagKeys: v, step: "1m" }) };
}
