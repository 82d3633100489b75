/**
 * The alert-fatigue guard: checks run on every generated rule set, so a build fails before
 * 200 noisy alerts bury the one that matters.
 *  - only SLO symptoms page (a paging alert must carry an `slo` label);
 *  - every alert has owner (team), severity, service, summary, runbook and dashboard links;
 *  - a service stays within its paging budget (`alerting.pagingBudget`, default 6).
 * Each issue says in `kind` which check failed, so callers (lint) act on the check, not the words.
 */
import type { ServiceModel } from "../service/model";
import type { Issue } from "../service/schemaDsl";
import { LABEL } from "./conventions";
import { isAlert, type RuleGroup } from "./ruleModel";

const REQUIRED_LABELS = [LABEL.service, LABEL.team, LABEL.severity];
const REQUIRED_ANNOTATIONS = ["summary", "description", "runbook_url", "dashboard_url"];

/** What the guard needs of a service (lint passes what it reads back from synthesized output). */
export type AlertPolicySubject = Pick<ServiceModel, "name"> & { readonly alerting: Pick<ServiceModel["alerting"], "pagingBudget"> };

/** Which check an issue failed. */
export type AlertPolicyKind = "missing-label" | "missing-annotation" | "unknown-severity" | "page-without-slo" | "over-paging-budget";

export interface AlertPolicyIssue extends Issue {
  readonly kind: AlertPolicyKind;
  /** The alert at fault; none for the paging budget, which the service exceeds as a whole. */
  readonly alert?: { readonly group: string; readonly name: string };
  /** The missing label or annotation (`missing-label`, `missing-annotation`). */
  readonly field?: string;
  /** What is wrong, without the advice that follows it in `message`. */
  readonly problem: string;
}

export function alertPolicyIssues(model: AlertPolicySubject, groups: readonly RuleGroup[]): AlertPolicyIssue[] {
  const issues: AlertPolicyIssue[] = [];
  const alerts = groups.flatMap((g) => g.rules.filter(isAlert).map((a) => ({ group: g.name, a })));
  for (const { group, a } of alerts) {
    const add = (kind: AlertPolicyKind, problem: string, advice?: string, field?: string) =>
      issues.push({
        path: `${model.name}: ${group}/${a.alert}`,
        message: advice ? `${problem}; ${advice}` : problem,
        kind,
        alert: { group, name: a.alert },
        ...(field !== undefined ? { field } : {}),
        problem,
      });
    for (const l of REQUIRED_LABELS) if (!a.labels[l]) add("missing-label", `has no "${l}" label`, "every alert needs owner, severity and service", l);
    for (const n of REQUIRED_ANNOTATIONS) if (!a.annotations[n]) add("missing-annotation", `has no "${n}" annotation`, "responders need it first", n);
    const sev = a.labels[LABEL.severity];
    if (sev && sev !== "page" && sev !== "ticket") add("unknown-severity", `severity "${sev}" is neither "page" nor "ticket"`);
    if (sev === "page" && !a.labels[LABEL.slo])
      add("page-without-slo", "pages but is not an SLO symptom", "make it a ticket (causes open tickets) or express it as an SLO");
  }
  const paging = alerts.filter(({ a }) => a.labels[LABEL.severity] === "page");
  if (paging.length > model.alerting.pagingBudget) {
    const problem = `${paging.length} paging rules exceed the budget of ${model.alerting.pagingBudget} (${listed(paging.map(({ a }) => a.alert))})`;
    issues.push({
      path: `${model.name}: alerting.pagingBudget`,
      message: `${problem}; merge SLOs, make some tickets, or raise pagingBudget deliberately`,
      kind: "over-paging-budget",
      problem,
    });
  }
  return issues;
}

/** Names for a message: the first ten and a count of the rest, so a long list cannot flood the output. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 10).join(", ");
  return names.length > 10 ? `${shown} and ${names.length - 10} more` : shown;
}
