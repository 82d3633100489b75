/**
 * A service's rules as they will run, read back from a synthesized output for simulation: the
 * recording rules of its AMP rule-group namespaces and its Grafana-managed alerts as Prometheus
 * alerting rules (query A is the PromQL and condition B, `$A == $A`, fires on every series A
 * returns: alerts/render/grafanaRules.ts), in groups named `grafana/<group>` after the recording
 * groups (a group may hold both, split between AMP and Grafana). Annotations are left out (they change no firing), so
 * two outputs whose rules differ only in texts and links compare equal.
 */
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import { isAlert, type AlertRule, type RuleGroup } from "../../alerts/ruleModel";
import { alertsOf } from "../model/alerts";
import { ruleNamespaces } from "../model/ruleNamespaces";
import { byString, obj, str, type SynthOutput } from "../synthOutput";

export interface ServiceRules {
  readonly service: string;
  readonly groups: readonly RuleGroup[];
  /** The groups as one rule file: what is compared and hashed. */
  readonly text: string;
  /** Alerts left out, with the reason (a Grafana condition that is more than the query). */
  readonly notes: readonly string[];
}

/** Every service's rules in an environment, by service. */
export function serviceRules(output: SynthOutput, environment: string): Map<string, ServiceRules> {
  const groups = new Map<string, RuleGroup[]>();
  const notes = new Map<string, string[]>();
  const add = (service: string, g: RuleGroup) => groups.set(service, [...(groups.get(service) ?? []), g]);
  for (const ns of ruleNamespaces(output, environment)) {
    const service = str(obj(ns.resource.body.tags).service) ?? str(ns.resource.body.name) ?? "(no service)";
    for (const g of ns.groups) add(service, { ...g, rules: g.rules.map((r) => (isAlert(r) ? withoutAnnotations(r) : r)) });
  }
  const alertGroups = new Map<string, { service: string; name: string; interval: string; rules: AlertRule[] }>();
  for (const a of alertsOf(output, environment)) {
    if (a.source !== "grafana") continue;
    if (a.rule.expr.includes("\n# ")) {
      notes.set(a.service, [...(notes.get(a.service) ?? []), `${a.rule.alert}: its Grafana condition is more than its query, so it is not simulated`]);
      continue;
    }
    const key = `${a.service}\u0000${a.group}`;
    const g = alertGroups.get(key) ?? { service: a.service, name: a.group, interval: a.interval, rules: [] };
    g.rules.push(withoutAnnotations(a.rule));
    alertGroups.set(key, g);
  }
  for (const g of [...alertGroups.values()].sort((x, y) => byString(x.name, y.name))) add(g.service, { name: `grafana/${g.name}`, interval: g.interval, rules: g.rules });
  return new Map(
    [...groups.entries()].map(([service, gs]) => [service, { service, groups: gs, text: renderRuleFile(gs), notes: notes.get(service) ?? [] }]),
  );
}

const withoutAnnotations = (a: AlertRule): AlertRule => ({ alert: a.alert, expr: a.expr, ...(a.for ? { for: a.for } : {}), labels: a.labels, annotations: {} });
