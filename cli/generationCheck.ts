/**
 * "Validates" means "synthesizes": the checks that only the generators can make (the alert-fatigue
 * guard, rule cadences, the teams' receivers, stack names) run for every environment of every service, so a
 * description `mlobs validate` accepts cannot fail later in `cdktf synth` or in CI.
 */
import { serviceRuleGroups } from "../alerts";
import { teamReceiverIssues } from "../alerts/routing";
import { stackIdIssues } from "../constructs/stackNames";
import { serviceDashboards } from "../dashboards";
import { DEFAULT_METRIC_CONTRACT, type MetricContract } from "../service/metricContract";
import type { ServiceModel } from "../service/model";
import { collectorConfig } from "../tracing/collectorConfig";
import { ValidationError } from "../service/normalize";
import type { Issue } from "../service/schemaDsl";

/** Every problem the generators find, for all services in all their environments (none: an empty list). */
export function generationIssues(models: readonly ServiceModel[]): Issue[] {
  const issues: Issue[] = [];
  const collect = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const i of e.issues) if (!issues.some((j) => j.path === i.path && j.message === i.message)) issues.push(i);
    }
  };
  for (const model of models) {
    const { tracked, read } = trackMetricReads(model);
    for (const environment of model.environments) {
      collect(() => serviceRuleGroups(tracked, { environment }));
      collect(() => serviceDashboards(tracked, { environment }));
    }
    collectorConfig(tracked, { remoteWriteUrl: "", region: "", logGroups: { errors: "", standard: "", audit: "", debug: "" } });
    issues.push(...unusedOverrides(model, read));
  }
  issues.push(...teamReceiverIssues(models));
  const environments = [...new Set(models.flatMap((m) => m.environments))].sort();
  for (const env of environments) issues.push(...stackIdIssues(env, models.filter((m) => m.environments.includes(env))));
  return issues;
}

/** The model with its metric contract watched: which entries (`requestDuration`, `labels.model`) the generators read. */
function trackMetricReads(model: ServiceModel): { tracked: ServiceModel; read: Set<string> } {
  const read = new Set<string>();
  const watch = <T extends object>(target: T, prefix: string): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key === "string") read.add(prefix + key);
        return Reflect.get(t, key, receiver);
      },
    });
  const metrics: MetricContract = watch(
    { ...model.metrics, labels: watch(model.metrics.labels, "labels."), values: watch(model.metrics.values, "values.") },
    "",
  );
  return { tracked: { ...model, metrics }, read };
}

/**
 * Overrides of the metric contract that nothing generated for this service reads (a rag-pipeline
 * renaming the prediction counters): rejected rather than silently ignored.
 */
function unusedOverrides(model: ServiceModel, read: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const unused = (path: string) =>
    issues.push({ path: `${model.name}: metrics.${path}`, message: `is not used by anything generated for this ${model.kind} service; remove the override` });
  for (const group of ["labels", "values"] as const)
    for (const [k, v] of Object.entries(model.metrics[group]))
      if (differs(v, DEFAULT_METRIC_CONTRACT[group][k as keyof (typeof DEFAULT_METRIC_CONTRACT)[typeof group]]) && !read.has(`${group}.${k}`)) unused(`${group}.${k}`);
  for (const [k, v] of Object.entries(model.metrics))
    if (k !== "labels" && k !== "values" && differs(v, DEFAULT_METRIC_CONTRACT[k as keyof MetricContract]) && !read.has(k)) unused(k);
  return issues;
}
