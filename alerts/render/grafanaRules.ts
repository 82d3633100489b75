/**
 * Renders alert rule groups as Grafana-managed alert rules (the shape of `grafana_rule_group`,
 * camelCase as the generated bindings take it). Pure: no cdktf import.
 *
 * Each Prometheus alert becomes: query A = the same PromQL, instant, on the environment's AMP data
 * source; condition B = `$A == $A`, true for every series A returns (the PromQL already holds the
 * threshold, exactly as in the Prometheus rule file), so both renderings fire on the same data.
 * Recording rules stay in AMP; these alerts read them there.
 */
import { isAlert, sortedRecord, type AlertRule, type RuleGroup } from "../ruleModel";
import { durationSeconds } from "../promql";

export interface GrafanaRuleData {
  readonly refId: string;
  readonly datasourceUid: string;
  readonly relativeTimeRange: { readonly from: number; readonly to: number };
  readonly model: string;
}

export interface GrafanaRule {
  readonly name: string;
  readonly condition: string;
  readonly for: string;
  readonly noDataState: string;
  readonly execErrState: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly data: GrafanaRuleData[];
}

export interface GrafanaRuleGroup {
  readonly name: string;
  readonly intervalSeconds: number;
  readonly rule: GrafanaRule[];
}

/** Grafana templates expose query values as `$values.<refId>.Value`, not Prometheus's `$value`. */
export function toGrafanaTemplate(text: string): string {
  return text.includes("$value") ? text.replace(/\$value\b/g, "$values.A.Value") : text;
}

/** Dashboard uid and panel id an alert links to, read back from its `dashboard_url`. */
function dashboardLink(a: AlertRule): { uid: string; panel?: string } | undefined {
  const m = /\/d\/([^/?]+)\/[^?]*(?:\?viewPanel=(\d+))?/.exec(a.annotations.dashboard_url ?? "");
  return m ? { uid: m[1], panel: m[2] } : undefined;
}

/** Query B's model, the same for every alert: printed once. */
const CONDITION_MODEL = JSON.stringify({ refId: "B", type: "math", expression: "$A == $A", datasource: { type: "__expr__", uid: "__expr__" } });

function grafanaRule(a: AlertRule, datasourceUid: string): GrafanaRule {
  const link = dashboardLink(a);
  const annotations = sortedRecord(a.annotations, toGrafanaTemplate);
  if (link) {
    annotations.__dashboardUid__ = link.uid;
    if (link.panel) annotations.__panelId__ = link.panel;
  }
  return {
    name: a.alert,
    condition: "B",
    for: a.for ?? "0s",
    // An alert whose query returns nothing is resolved, as in Prometheus; missing SLI data has its own absent alert.
    noDataState: "OK",
    execErrState: "Error",
    labels: sortedRecord(a.labels),
    annotations,
    data: [
      {
        refId: "A",
        datasourceUid,
        relativeTimeRange: { from: 600, to: 0 },
        model: JSON.stringify({ refId: "A", expr: a.expr, instant: true, range: false, datasource: { type: "prometheus", uid: datasourceUid } }),
      },
      {
        refId: "B",
        datasourceUid: "__expr__",
        relativeTimeRange: { from: 0, to: 0 },
        model: CONDITION_MODEL,
      },
    ],
  };
}

/** The alert groups of a service as Grafana rule groups (recording rules are left to AMP). */
export function grafanaRuleGroups(groups: readonly RuleGroup[], datasourceUid: string): GrafanaRuleGroup[] {
  return groups
    .map((g) => ({
      name: g.name,
      intervalSeconds: durationSeconds(g.interval),
      rule: g.rules.filter(isAlert).map((a) => grafanaRule(a, datasourceUid)),
    }))
    .filter((g) => g.rule.length > 0);
}
