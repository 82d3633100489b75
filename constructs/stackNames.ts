/**
 * Stack names, one rule so pipelines can target them (`obs-<env>-platform`, `obs-<env>-<service>`,
 * `obs-<env>-grafana`, `obs-<env>-<service>-grafana`), and the check that no two stacks share one.
 * No cdktf import: `mlobs validate` runs the check without loading the constructs.
 */
import type { Issue } from "../service/schemaDsl";
import { PLATFORM_STACK_PART, GRAFANA_STACK_PART, grafanaStackPart } from "../service/names";

export const stackId = (env: string, part: string) => `obs-${env}-${part}`;

/** Two stacks with one id (a service named `platform`, `grafana` or `<other service>-grafana`), naming both. */
export function stackIdIssues(env: string, services: readonly { readonly name: string }[]): Issue[] {
  const issues: Issue[] = [];
  const owners = new Map<string, string>([
    [stackId(env, PLATFORM_STACK_PART), "the platform stack"],
    [stackId(env, GRAFANA_STACK_PART), "the shared Grafana stack"],
  ]);
  const claim = (service: string, id: string, owner: string) => {
    const other = owners.get(id);
    if (other) issues.push({ path: `${service}: name`, message: `${owner} would be stack ${id}, which is already ${other}; rename the service` });
    else owners.set(id, owner);
  };
  for (const s of services) claim(s.name, stackId(env, s.name), `the AWS stack of service "${s.name}"`);
  for (const s of services) claim(s.name, stackId(env, grafanaStackPart(s.name)), `the Grafana stack of service "${s.name}"`);
  return issues;
}
