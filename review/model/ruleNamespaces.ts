/**
 * Rule groups read back from the synthesized AMP rule-group namespaces (`aws_prometheus_rule_group_namespace.data`,
 * a Prometheus rule file in YAML), in the project's own rule model (alerts/ruleModel.ts).
 */
import { parse } from "yaml";
import type { AlertRule, RecordingRule, Rule, RuleGroup } from "../../alerts/ruleModel";
import { arr, obj, resourcesOf, str, type Json, type Resource, type SynthOutput } from "../synthOutput";

export interface NamespaceGroups {
  readonly resource: Resource;
  readonly groups: readonly RuleGroup[];
  /** Set when the YAML does not parse; the groups are then empty. */
  readonly error?: string;
}

const strings = (x: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(x)).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]));

function rule(x: Json): Rule | undefined {
  const expr = str(x.expr) ?? (typeof x.expr === "number" ? String(x.expr) : undefined);
  if (expr === undefined) return undefined;
  if (typeof x.alert === "string") {
    const a: AlertRule = {
      alert: x.alert,
      expr,
      ...(typeof x.for === "string" ? { for: x.for } : {}),
      labels: strings(x.labels),
      annotations: strings(x.annotations),
    };
    return a;
  }
  if (typeof x.record === "string") {
    const r: RecordingRule = { record: x.record, expr, ...(x.labels ? { labels: strings(x.labels) } : {}) };
    return r;
  }
  return undefined;
}

/**
 * Rule files parsed lately, by text: review reads each changed file for SLOs and again for its
 * recording rules, and YAML parsing is the slow part. Bounded, so a long test run stays small.
 */
const parsed = new Map<string, RuleGroup[]>();
const PARSED_KEPT = 64;

/** Parses a rule file's text into groups; throws on YAML errors. Callers must not modify the result. */
export function parseRuleFile(text: string): RuleGroup[] {
  const hit = parsed.get(text);
  if (hit) return hit;
  const groups = parseRuleText(text);
  if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(text, groups);
  return groups;
}

function parseRuleText(text: string): RuleGroup[] {
  const doc = obj(parse(text));
  return arr(doc.groups).map((g) => {
    const o = obj(g);
    return {
      name: str(o.name) ?? "(unnamed)",
      interval: str(o.interval) ?? "1m",
      rules: arr(o.rules)
        .map((r) => rule(obj(r)))
        .filter((r): r is Rule => r !== undefined),
    };
  });
}

/**
 * Can this rule file hold an alerting rule? Its key `alert` must then be written out (plainly,
 * quoted, in flow style or as a complex key), unless spelt with escapes in a double-quoted key,
 * which need a backslash. Parsing YAML is most of lint's time at scale, and the project puts only
 * recording rules in AMP namespaces, so files that cannot hold one are not parsed for alerts.
 */
export const mayHoldAlerts = (text: string) => text.includes("alert") || text.includes("\\");

/**
 * Every AMP rule-group namespace of an environment with its parsed groups; with `alertsOnly`,
 * files that cannot hold an alerting rule are left out (see mayHoldAlerts).
 */
export function ruleNamespaces(output: SynthOutput, environment: string, alertsOnly = false): NamespaceGroups[] {
  return output.stacks
    .filter((s) => s.environment === environment)
    .flatMap((s) => resourcesOf(s, "aws_prometheus_rule_group_namespace"))
    .filter((resource) => !alertsOnly || mayHoldAlerts(str(resource.body.data) ?? ""))
    .map((resource) => {
      try {
        return { resource, groups: parseRuleFile(str(resource.body.data) ?? "") };
      } catch (e) {
        return { resource, groups: [], error: (e as Error).message.split("\n")[0] };
      }
    });
}
