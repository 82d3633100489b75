/**
 * The review of a pull request: what changes between the base's and the head's synthesized
 * outputs, per environment and service, in the reviewer's terms. Pure: outputs in, data out.
 */
import { diffAlerts, diffNotify, type AlertChange, type NotifyChange } from "./diff/alerts";
import { diffDashboards, type DashboardChange } from "./diff/dashboards";
import { dataSafety, type SafetyFinding } from "./diff/dataSafety";
import { diffResources, type ResourceChange } from "./diff/resources";
import { diffContactPoints, diffRoutes, type ContactPointChange, type RouteChange } from "./diff/routing";
import { diffSlos, type SloChange } from "./diff/slos";
import { alertsOf } from "./model/alerts";
import { dashboardsOf } from "./model/dashboards";
import { routingOf } from "./model/routing";
import { slosOf } from "./model/slos";
import type { PlanReport } from "./plan";
import type { ReviewScope } from "./changedStacks";
import { securityFindings, type SecurityFinding } from "./diff/security";
import { byString, canonical, environmentsOf, type SynthOutput } from "./synthOutput";

export interface EnvironmentReview {
  readonly environment: string;
  readonly slos: readonly SloChange[];
  readonly alerts: readonly AlertChange[];
  readonly notify: readonly NotifyChange[];
  readonly routes: readonly RouteChange[];
  readonly contactPoints: readonly ContactPointChange[];
  readonly dashboards: readonly DashboardChange[];
  readonly resources: readonly ResourceChange[];
}

export interface Review {
  /** Head synthesizes exactly what base does. */
  readonly identical: boolean;
  readonly stacksAdded: readonly string[];
  readonly stacksRemoved: readonly string[];
  readonly stackCount: { readonly base: number; readonly head: number };
  /** The head manifest's stacks, sorted (the review header names them when few). */
  readonly headStacks: readonly string[];
  readonly safety: readonly SafetyFinding[];
  /** Security-relevant changes: key policy, IAM, paging, PII masking. */
  readonly security: readonly SecurityFinding[];
  /** Environments with at least one change. */
  readonly environments: readonly EnvironmentReview[];
  readonly plan?: PlanReport;
}

export const dataLossCount = (r: Review) => r.safety.filter((f) => f.level === "data-loss").length;

function environmentReview(base: SynthOutput, head: SynthOutput, environment: string, covered: readonly { address: string; attributes: readonly string[] }[]): EnvironmentReview {
  const alertsBefore = alertsOf(base, environment);
  const alertsAfter = alertsOf(head, environment);
  const routingBefore = routingOf(base, environment);
  const routingAfter = routingOf(head, environment);
  const services = (o: SynthOutput, alerts: typeof alertsBefore) =>
    new Set([...o.stacks.filter((s) => s.environment === environment && s.kind === "service").map((s) => s.part), ...alerts.map((a) => a.service)]);
  return {
    environment,
    slos: diffSlos(slosOf(base, environment, alertsBefore), slosOf(head, environment, alertsAfter)),
    alerts: diffAlerts(alertsBefore, alertsAfter, routingBefore, routingAfter),
    notify: diffNotify(alertsBefore, alertsAfter, routingBefore, routingAfter),
    routes: diffRoutes(routingBefore, routingAfter),
    contactPoints: diffContactPoints(routingBefore, routingAfter),
    dashboards: diffDashboards(dashboardsOf(base, environment, services(base, alertsBefore)), dashboardsOf(head, environment, services(head, alertsAfter))),
    resources: diffResources(base, head, environment, covered),
  };
}

const isEmpty = (e: EnvironmentReview) =>
  [e.slos, e.alerts, e.notify, e.routes, e.contactPoints, e.dashboards, e.resources].every((l) => l.length === 0);

/** Plan-detected deletions of data stores the static comparison did not already name. */
function planFindings(plan: PlanReport | undefined, head: SynthOutput, known: readonly SafetyFinding[]): SafetyFinding[] {
  const STORE_TYPES = new Set(["aws_cloudwatch_log_group", "aws_prometheus_workspace", "aws_kms_key"]);
  const seen = new Set(known.filter((f) => f.level === "data-loss").map((f) => f.address));
  return (plan?.planned ?? []).flatMap((p) => {
    const stack = head.stacks.find((s) => s.name === p.stack);
    return p.destroys
      .filter((d) => STORE_TYPES.has(d.type) && !seen.has(`${p.stack}: ${d.address}`))
      .map((d) => ({
        level: "data-loss" as const,
        environment: stack?.environment ?? "(unknown)",
        service: stack?.part ?? p.stack,
        resource: d.type,
        address: `${p.stack}: ${d.address}`,
        change: `terraform plan: ${d.action}`,
        consequence: "the deployed resource is deleted with its data",
        fix: "find why the plan deletes it (drift, a changed ForceNew attribute) before merging",
        attributes: [],
      }));
  });
}

/** The scope of two fully loaded outputs: every stack, changed when its JSON differs. */
function fullScope(base: SynthOutput, head: SynthOutput): ReviewScope {
  const json = (o: SynthOutput) => new Map(o.stacks.map((s) => [s.name, canonical(s.json)]));
  const b = json(base);
  const h = json(head);
  const all = [...new Set([...b.keys(), ...h.keys()])].sort(byString);
  return { baseStacks: [...b.keys()].sort(byString), headStacks: [...h.keys()].sort(byString), changed: all.filter((n) => b.get(n) !== h.get(n)) };
}

/**
 * The review of two outputs. `scope` says which stacks each manifest lists and which changed when
 * `base` and `head` hold only the changed stacks and their context (review/changedStacks.ts);
 * without it, both are complete outputs.
 */
export function buildReview(base: SynthOutput, head: SynthOutput, plan?: PlanReport, scope: ReviewScope = fullScope(base, head)): Review {
  const b = new Set(scope.baseStacks);
  const h = new Set(scope.headStacks);
  const identical = scope.changed.length === 0;
  const staticSafety = identical ? [] : dataSafety(base, head);
  const safety = [...staticSafety, ...planFindings(plan, head, staticSafety)];
  const security = identical ? [] : securityFindings(base, head);
  const covered = [...safety, ...security];
  const environments = identical
    ? []
    : environmentsOf(base, head)
        .map((env) => environmentReview(base, head, env, covered.filter((f) => f.environment === env)))
        .filter((e) => !isEmpty(e));
  return {
    identical,
    stacksAdded: [...h].filter((s) => !b.has(s)).sort(byString),
    stacksRemoved: [...b].filter((s) => !h.has(s)).sort(byString),
    stackCount: { base: b.size, head: h.size },
    headStacks: scope.headStacks,
    safety,
    security,
    environments,
    plan,
  };
}
