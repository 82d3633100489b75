/**
 * The alert-fatigue guard (alerts/alertPolicy.ts) run on what was synthesized: the Grafana rule
 * groups (and any alerting rules in AMP namespaces) are parsed back into the rule model, per
 * service, so hand edits and other generators face the same checks as the project's own rules.
 */
import { DEFAULT_PAGING_BUDGET as SCHEMA_PAGING_BUDGET } from "../../service/defaults";
import { PAGING_BUDGET_TAG, pagingBudgetOfTag } from "../../service/names";
import { alertPolicyIssues, type AlertPolicyIssue } from "../../alerts/alertPolicy";
import type { RuleGroup } from "../../alerts/ruleModel";
import { alertsByService, type AlertInfo } from "../../review/model/alerts";
import { byString, environmentsOf, obj, resourcesOf, str, type SynthOutput } from "../../review/synthOutput";
import type { Finding, LintRule } from "../finding";

export const ALERT_FATIGUE: LintRule = {
  id: "alert-fatigue",
  summary: "paging alerts carry an `slo` label; every alert has service/team/severity labels and summary/description/runbook_url/dashboard_url annotations; paging rules per service within budget",
};

/** The project's default `alerting.pagingBudget`. */
export const DEFAULT_PAGING_BUDGET = SCHEMA_PAGING_BUDGET;

/** How to fix each failed check. */
function fixFor(issue: AlertPolicyIssue): string {
  switch (issue.kind) {
    case "missing-label":
      return `add the "${issue.field}" label to the rule; alerts made with alerts/alertMeta.ts makeAlert always carry service, team and severity`;
    case "missing-annotation":
      return `add the "${issue.field}" annotation; makeAlert derives runbook_url from alerting.runbookBaseUrl and dashboard_url from the service's dashboards`;
    case "unknown-severity":
      return 'use severity "page" (SLO symptoms) or "ticket" (causes)';
    case "page-without-slo":
      return 'make it severity "ticket" (causes open tickets), or express the symptom as an SLO';
    case "over-paging-budget":
      return "merge SLOs, turn some pages into tickets, or raise alerting.pagingBudget deliberately (lint: --paging-budget N)";
  }
}

/** The budget each service of an environment declares in its synthesized tags (first in stack and address order). */
function synthesizedBudgets(output: SynthOutput, environment: string): Map<string, number> {
  const budgets = new Map<string, number>();
  for (const s of output.stacks.filter((x) => x.environment === environment))
    for (const r of resourcesOf(s)) {
      const tags = obj(r.body.tags);
      const budget = pagingBudgetOfTag(str(tags[PAGING_BUDGET_TAG]));
      const service = str(tags.service);
      if (budget !== undefined && service !== undefined && !budgets.has(service)) budgets.set(service, budget);
    }
  return budgets;
}

export function alertFatigueFindings(output: SynthOutput, options: { pagingBudget?: number } = {}): Finding[] {
  const findings: Finding[] = [];
  for (const environment of environmentsOf(output)) {
    const budgets = options.pagingBudget === undefined ? synthesizedBudgets(output, environment) : new Map<string, number>();
    for (const [service, alerts] of alertsByService(output, environment)) {
      const groups = new Map<string, AlertInfo[]>();
      for (const a of alerts) groups.set(a.group, [...(groups.get(a.group) ?? []), a]);
      const ruleGroups: RuleGroup[] = [...groups.entries()].map(([name, as]) => ({ name, interval: as[0].interval, rules: as.map((a) => a.rule) }));
      const pagingBudget = options.pagingBudget ?? budgets.get(service) ?? DEFAULT_PAGING_BUDGET;
      const model = { name: service, alerting: { pagingBudget } };
      for (const issue of alertPolicyIssues(model, ruleGroups)) {
        const at = issue.alert;
        const alert = at ? alerts.find((a) => a.group === at.group && a.rule.alert === at.name) : undefined;
        const paging = alerts.filter((a) => a.rule.labels.severity === "page");
        const address = alert
          ? `${alert.address} (${alert.rule.alert})`
          : [...new Set(paging.map((a) => a.address))].sort(byString).join(", ") || alerts[0].address;
        findings.push({
          rule: ALERT_FATIGUE.id,
          environment,
          service,
          address,
          message: alert ? `alert ${alert.rule.alert} ${issue.message}` : `${issue.problem} (budget ${pagingBudget})`,
          fix: fixFor(issue),
        });
      }
    }
  }
  return findings;
}
