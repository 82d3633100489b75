/**
 * Renders rule groups as a Prometheus rule file (YAML), the format promtool, Prometheus and
 * Amazon Managed Prometheus rule-group namespaces all read. Deterministic: keys in a fixed
 * order, labels and annotations sorted.
 */
import { stringify } from "yaml";
import { isAlert, type Rule, type RuleGroup } from "../ruleModel";

const sorted = (o: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function ruleToYaml(r: Rule): Record<string, unknown> {
  if (isAlert(r))
    return {
      alert: r.alert,
      expr: r.expr,
      ...(r.for ? { for: r.for } : {}),
      labels: sorted(r.labels),
      annotations: sorted(r.annotations),
    };
  return { record: r.record, expr: r.expr, ...(r.labels ? { labels: sorted(r.labels) } : {}) };
}

/** The data structure of a rule file, for renderers that want an object rather than text. */
export function ruleFileData(groups: readonly RuleGroup[]): { groups: Record<string, unknown>[] } {
  return { groups: groups.map((g) => ({ name: g.name, interval: g.interval, rules: g.rules.map(ruleToYaml) })) };
}

/** A complete rule file. `header` lines become comments on top (e.g. "generated, do not edit"). */
export function renderRuleFile(groups: readonly RuleGroup[], header: readonly string[] = []): string {
  const body = stringify(ruleFileData(groups), { lineWidth: 0, sortMapEntries: false });
  return header.map((h) => `# ${h}\n`).join("") + body;
}
