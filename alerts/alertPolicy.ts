/**
 * The alert-fatigue guard: checks run on every generated rule set, so a build fails before
 * 200 noisy alerts bury the one that matters.
 *  - only SLO symptoms page (a paging alert must carry an `slo` label);
 *  - every alert has owner (team), severity, service, summary, runbook and dashboard links;
 *  - a service stays within its paging budget (`alerting.pagingBudget`, default 6).
 */
import type { ServiceModel } from "../service/model";
import type { Issue } from "../service/schemaDsl";
import { LABEL } from "./conventions";
import { isAlert, type RuleGroup } from "./ruleModel";

const REQUIRED_LABELS = [LABEL.service, LABEL.team, LABEL.severity];
const REQUIRED_ANNOTATIONS = ["summary", "description", "runbook_url", "dashboard_url"];

/** What the guard needs of a service (lint passes what it reads back from synthesized output). */
export type AlertPolicySubject = Pick<ServiceModel, "name"> & { readonly alerting: Pick<ServiceModel["alerting"], "pagingBudget"> };

export function alertPolicyIssues(model: AlertPolicySubject, groups: readonly RuleGroup[]): Issue[] {
  const issues: Issue[] = [];
  const alerts = groups.flatMap((g) => g.rules.filter(isAlert).map((a) => ({ group: g.name, a })));
  for (const { group, a } of alerts) {
    const at = `${model.name}: ${group}/${a.alert}`;
    for (const l of REQUIRED_LABELS)
      if (!a.labels[l]) issues.push({ path: at, message: `has no "${l}" label; every alert needs owner, severity and service` });
    for (const n of REQUIRED_ANNOTATIONS)
      if (!a.annotations[n]) issues.push({ path: at, message: `has no "${n}" annotation; responders need it first` });
    const sev = a.labels[LABEL.severity];
    if (sev && sev !== "page" && sev !== "ticket")
      issues.push({ path: at, message: `severity "${sev}" is neither "page" nor "ticket"` });
    if (sev === "page" && !a.labels[LABEL.slo])
      issues.push({ path: at, message: `pages but is not an SLO symptom; make it a ticket (causes open tickets) or express it as an SLO` });
  }
  const paging = alerts.filter(({ a }) => a.labels[LABEL.severity] === "page");
  if (paging.length > model.alerting.pagingBudget)
    issues.push({
      path: `${model.name}: alerting.pagingBudget`,
      message: `${paging.length} paging rules exceed the budget of ${model.alerting.pagingBudget} (${listed(paging.map(({ a }) => a.alert))}); merge SLOs, make some tickets, or raise pagingBudget deliberately`,
    });
  return issues;
}

/** Names for a message: the first ten and a count of the rest, so a long list cannot flood the output. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 10).join(", ");
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}
