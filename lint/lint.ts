/**
 * `mlobs lint`: policy checks on a synthesized output (`cdktf.out`), independent of how it was
 * generated. Pure: parsed stacks in, sorted findings out.
 *
 * One pass over the stacks, each seen whole once and then let go: the rules that judge a stack on
 * its own (templates, PII masking, owner tags, secrets in a stack without contact points) run on
 * it there; what the environment-wide rules need (alert rule groups, folders, the notification
 * policy and contact points, AMP files that can hold alerts, paging-budget tags) is kept in a slim
 * copy, and stacks with contact points are kept whole (the secret rule names the services that
 * reach each contact point). At 500 services the parsed stacks need not all be held at once
 * (peak RSS 235 MiB against 265 MiB holding them all; the time is about the same).
 */
import { mayHoldAlerts } from "../review/model/ruleNamespaces";
import { byString, obj, resourcesOf, str, type Json, type StackDoc } from "../review/synthOutput";
import { sortFindings, type Finding, type LintRule } from "./finding";
import { PAGING_BUDGET_TAG } from "../service/names";
import { ALERT_FATIGUE, alertFatigueFindings } from "./rules/alertFatigue";
import { cardinalityFindings, HIGH_CARDINALITY } from "./rules/cardinality";
import { ownerTagFindings, runbookFindings, SERVICE_OWNERSHIP } from "./rules/ownership";
import { PII_MASKING, piiFindings } from "./rules/piiMasking";
import { SECRET_LITERAL, secretFindings } from "./rules/secrets";
import { templateFindings, UNESCAPED_TEMPLATE } from "./rules/templates";

export interface LintOptions {
  /**
   * Most paging rules a service may have.
   * @default - the service's `paging-budget` tag when synthesized, else 6 (the project's default)
   */
  readonly pagingBudget?: number;
}

export const LINT_RULES: readonly LintRule[] = [ALERT_FATIGUE, SECRET_LITERAL, HIGH_CARDINALITY, SERVICE_OWNERSHIP, PII_MASKING, UNESCAPED_TEMPLATE];

/** Resource types the environment-wide rules read, kept whole in a slim stack. */
const WIDE_TYPES = new Set(["grafana_folder", "grafana_notification_policy", "grafana_contact_point"]);

/**
 * What alert-fatigue, cardinality and runbook checks read of a stack: rule groups (without their
 * query models), folders, routing, AMP files that can hold alerting rules, paging-budget tags.
 */
function slim(stack: StackDoc): StackDoc {
  const resource: Record<string, Record<string, Json>> = {};
  const keep = (type: string, name: string, body: Json) => ((resource[type] ??= {})[name] = body);
  for (const [type, byName] of Object.entries(obj(stack.json.resource)))
    for (const [name, b] of Object.entries(obj(byName))) {
      const body = obj(b);
      if (WIDE_TYPES.has(type)) keep(type, name, body);
      else if (type === "grafana_rule_group") keep(type, name, { ...body, rule: (Array.isArray(body.rule) ? body.rule : []).map((x) => ({ ...obj(x), data: [] })) });
      else if (type === "aws_prometheus_rule_group_namespace" && mayHoldAlerts(str(body.data) ?? "")) keep(type, name, body);
      else if (str(obj(body.tags)[PAGING_BUDGET_TAG]) !== undefined) keep(type, name, { tags: body.tags });
    }
  return { ...stack, json: { resource } };
}

/** Lints stacks one at a time (any iterable: a loader can read each file when asked). */
export function lintStacks(stacks: Iterable<StackDoc>, options: LintOptions = {}): { findings: Finding[]; stacks: number } {
  const findings: Finding[] = [];
  const kept: StackDoc[] = [];
  let count = 0;
  for (const stack of stacks) {
    count++;
    const alone = { stacks: [stack] };
    findings.push(...templateFindings(stack), ...piiFindings(alone), ...ownerTagFindings(stack));
    if (resourcesOf(stack, "grafana_contact_point").length > 0) kept.push(stack);
    else {
      findings.push(...secretFindings(alone));
      kept.push(slim(stack));
    }
  }
  const wide = { stacks: kept.sort((a, b) => byString(a.name, b.name)) };
  // Secrets of the stacks kept whole, with the slim ones beside them for routing and alerts (what
  // the slim stacks still hold was scanned above; sortFindings drops the repeats).
  findings.push(...alertFatigueFindings(wide, options), ...cardinalityFindings(wide), ...runbookFindings(wide), ...secretFindings(wide));
  return { findings: sortFindings(findings), stacks: count };
}

export function lintOutput(output: { readonly stacks: readonly StackDoc[] }, options: LintOptions = {}): Finding[] {
  return lintStacks(output.stacks, options).findings;
}
