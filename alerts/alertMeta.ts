/**
 * One way to make an alert, so none can forget its owner, severity, runbook or dashboard link
 * (the monitoring mixins' "add runbook links" pass, done at construction instead).
 */
import { dashboardUrl, runbookUrl, type DashboardKind } from "../service/links";
import type { ServiceModel } from "../service/model";
import { LABEL, alertName } from "./conventions";
import type { AlertRule, Severity } from "./ruleModel";

/** Where the rules will run: dashboard links depend on the environment and Grafana URL. */
export interface RuleContext {
  readonly environment: string;
  /** Grafana base URL for absolute dashboard links. @default - root-relative links */
  readonly grafanaUrl?: string;
}

export interface AlertSpec {
  /** Name parts after the prefix, e.g. ["rag-assistant", "query-latency", "burn-fast"]. */
  readonly name: readonly string[];
  readonly expr: string;
  readonly for?: string;
  readonly severity: Severity;
  /** SLO name when the alert is an SLO symptom (only those may page). */
  readonly slo?: string;
  /** What the alert is about in one line, without templating. */
  readonly summary: string;
  /** Templated detail; should show the current value (`{{ $value }}`). */
  readonly description: string;
  readonly dashboard: DashboardKind;
  /** Panel key the dashboard link opens. */
  readonly panelKey?: string;
  /** Extra labels (e.g. `cause` for tickets). */
  readonly labels?: Readonly<Record<string, string>>;
}

export function makeAlert(model: ServiceModel, ctx: RuleContext, spec: AlertSpec): AlertRule {
  const name = alertName(...spec.name);
  return {
    alert: name,
    expr: spec.expr,
    ...(spec.for ? { for: spec.for } : {}),
    labels: {
      ...spec.labels,
      [LABEL.service]: model.name,
      [LABEL.team]: model.team,
      [LABEL.severity]: spec.severity,
      ...(spec.slo ? { [LABEL.slo]: spec.slo } : {}),
    },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: runbookUrl(model, name),
      dashboard_url: dashboardUrl(ctx.grafanaUrl, model.name, ctx.environment, spec.dashboard, spec.panelKey),
    },
  };
}
