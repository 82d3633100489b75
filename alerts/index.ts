/**
 * Everything alerts/ generates for one service, checked by the alert-fatigue guard.
 * Pure: model in, rule groups out.
 */
import type { ServiceModel } from "../service/model";
import { ValidationError } from "../service/normalize";
import type { RuleContext } from "./alertMeta";
import { alertPolicyIssues } from "./alertPolicy";
import { forDurationIssues } from "./cadence";
import { causeRuleGroups } from "./causeAlerts";
import { isAlert, type RuleGroup } from "./ruleModel";
import { signalRuleGroups } from "./signals";
import { sloRuleGroups } from "./sloRules";

export type { RuleContext } from "./alertMeta";

/** All rule groups of a service (recording rules and alerts). Throws ValidationError when the guard fails. */
export function serviceRuleGroups(model: ServiceModel, ctx: RuleContext): RuleGroup[] {
  const groups = [...sloRuleGroups(model, ctx), ...causeRuleGroups(model, ctx), ...signalRuleGroups(model, ctx)];
  const names = new Set<string>();
  for (const g of groups) {
    if (names.has(g.name)) throw new Error(`internal: rule group ${g.name} generated twice`);
    names.add(g.name);
  }
  const issues = [...alertPolicyIssues(model, groups), ...forDurationIssues(model.name, groups)];
  if (issues.length > 0) throw new ValidationError(issues);
  return groups;
}

/** Only the recording rules (what an AMP rule-group namespace evaluates for Grafana-managed alerts). */
export function recordingGroups(groups: readonly RuleGroup[]): RuleGroup[] {
  return groups.map((g) => ({ ...g, rules: g.rules.filter((r) => !isAlert(r)) })).filter((g) => g.rules.length > 0);
}

/** Only the alerts. */
export function alertGroups(groups: readonly RuleGroup[]): RuleGroup[] {
  return groups.map((g) => ({ ...g, rules: g.rules.filter(isAlert) })).filter((g) => g.rules.length > 0);
}
