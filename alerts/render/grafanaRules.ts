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
import type { ServiceRouting } from "../routing";
import { dashboardTarget } from "../../service/links";

/**
 * Where one rule's notifications go when the rule routes itself (`notification_settings`, Grafana
 * 10.4+ with simplified routing; on by default from Grafana 11): it then bypasses the org's
 * notification policy.
 */
export interface GrafanaNotificationSettings {
  readonly contactPoint: string;
  readonly groupBy: string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  readonly muteTimings?: string[];
}

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
  readonly notificationSettings?: GrafanaNotificationSettings;
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

/** Query B's model, the same for every alert: printed once. */
const CONDITION_MODEL = JSON.stringify({ refId: "B", type: "math", expression: "$A == $A", datasource: { type: "__expr__", uid: "__expr__" } });

/** Grafana requires a rule's own grouping to include these two labels. */
const GRAFANA_REQUIRED_GROUP_BY = ["alertname", "grafana_folder"];

/** The rule's notification settings: its severity's contact point and timings. */
function notificationSettings(a: AlertRule, routing: ServiceRouting): GrafanaNotificationSettings {
  const route = routing.routes.find((r) => r.severity === a.labels.severity);
  // Every alert carries a severity the routing knows (ruleModel's Severity); a new severity
  // without a route must fail the synth, not page nobody.
  if (!route) throw new Error(`alert ${a.alert} has severity "${a.labels.severity}", which per-rule routing has no contact point for`);
  return {
    contactPoint: route.receiver,
    groupBy: [...GRAFANA_REQUIRED_GROUP_BY, ...routing.groupBy.filter((l) => !GRAFANA_REQUIRED_GROUP_BY.includes(l))],
    groupWait: route.groupWait,
    groupInterval: route.groupInterval,
    repeatInterval: route.repeatInterval,
    ...(route.muteTimings.length ? { muteTimings: [...route.muteTimings] } : {}),
  };
}

function grafanaRule(a: AlertRule, datasourceUid: string, routing: ServiceRouting | undefined): GrafanaRule {
  const link = dashboardTarget(a.annotations.dashboard_url ?? "");
  const annotations = sortedRecord(a.annotations, toGrafanaTemplate);
  if (link) {
    annotations.__dashboardUid__ = link.uid;
    if (link.panelId) annotations.__panelId__ = link.panelId;
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
    ...(routing ? { notificationSettings: notificationSettings(a, routing) } : {}),
  };
}

/**
 * The alert groups of a service as Grafana rule groups (recording rules are left to AMP). With
 * `routing` (a service that routes per rule), each rule names its contact point and timings;
 * without, the org's notification policy routes it by its team and severity labels.
 */
export function grafanaRuleGroups(groups: readonly RuleGroup[], datasourceUid: string, routing?: ServiceRouting): GrafanaRuleGroup[] {
  return groups
    .map((g) => ({
      name: g.name,
      intervalSeconds: durationSeconds(g.interval),
      rule: g.rules.filter(isAlert).map((a) => grafanaRule(a, datasourceUid, routing)),
    }))
    .filter((g) => g.rule.length > 0);
}
