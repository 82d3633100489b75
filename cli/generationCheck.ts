/**
 * "Validates" means "synthesizes": the checks that only the generators can make (the alert-fatigue
 * guard, rule cadences, the routing tree, stack names) run for every environment of every service, so a
 * description `mlobs validate` accepts cannot fail later in `cdktf synth` or in CI.
 */
import { serviceRuleGroups } from "../alerts";
import { buildRoutingTree } from "../alerts/routing";
import { stackIdIssues } from "../constructs/stackNames";
import { serviceDashboards } from "../dashboards";
import type { ServiceModel } from "../service/model";
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
  for (const model of models)
    for (const environment of model.environments) {
      collect(() => serviceRuleGroups(model, { environment }));
      collect(() => serviceDashboards(model, { environment }));
    }
  collect(() => buildRoutingTree(models));
  const environments = [...new Set(models.flatMap((m) => m.environments))].sort();
  for (const env of environments) issues.push(...stackIdIssues(env, models.filter((m) => m.environments.includes(env))));
  return issues;
}
