/**
 * No per-request labels in alert grouping: a `request_id`, `trace_id`, `user_id` or `session_id`
 * in the notification policy's `group_by` (or `...`, group by every label) or in an alert's labels
 * makes one notification per request, which is an alert storm and a cardinality bill.
 */
import { alertsOf } from "../../review/model/alerts";
import { routingOf, type PolicyNode } from "../../review/model/routing";
import { environmentsOf, type SynthOutput } from "../../review/synthOutput";
import type { Finding, LintRule } from "../finding";

export const HIGH_CARDINALITY: LintRule = {
  id: "high-cardinality-label",
  summary: "no request_id, trace_id, user_id or session_id (nor `...`) in notification-policy group_by or alert labels",
};

export const HIGH_CARDINALITY_LABELS: readonly string[] = ["request_id", "trace_id", "user_id", "session_id"];

export function cardinalityFindings(output: SynthOutput): Finding[] {
  const findings: Finding[] = [];
  for (const environment of environmentsOf(output)) {
    const routing = routingOf(output, environment);
    const walk = (n: PolicyNode, path: string[]) => {
      const where = path.length ? path.join(" › ") : "root";
      for (const label of n.groupBy ?? []) {
        if (!HIGH_CARDINALITY_LABELS.includes(label) && label !== "...") continue;
        findings.push({
          rule: HIGH_CARDINALITY.id,
          environment,
          service: "grafana",
          address: `${routing.policyAddress} (${where} group_by)`,
          message:
            label === "..."
              ? `the notification policy groups by every label ("...") at ${where}: each distinct label set is its own notification`
              : `the notification policy groups by "${label}" at ${where}: one notification per ${label.replace(/_id$/, "")}, an alert storm`,
          fix: "group by alertname, service and slo (alerts/routing.ts GROUP_BY); keep per-request ids in logs and traces",
        });
      }
      n.children.forEach((c) => walk(c, [...path, c.matchers.map((m) => `${m.label}${m.match}${m.value}`).join(", ")]));
    };
    if (routing.root) walk(routing.root, []);
    for (const a of alertsOf(output, environment))
      for (const label of Object.keys(a.rule.labels).filter((l) => HIGH_CARDINALITY_LABELS.includes(l)))
        findings.push({
          rule: HIGH_CARDINALITY.id,
          environment,
          service: a.service,
          address: `${a.address} (${a.rule.alert})`,
          message: `alert ${a.rule.alert} carries the per-request label "${label}": every value is a separate alert instance`,
          fix: `drop "${label}" from the alert's labels; aggregate it away in the query (sum by service) and link traces from the dashboard instead`,
        });
  }
  return findings;
}
