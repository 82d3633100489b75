/**
 * Alerts added, removed and changed, in the reviewer's terms: threshold, `for`, severity, labels,
 * annotations, the runbook page, and who gets notified (the contact point a per-rule routed rule
 * names, else resolved through each version's notification policy: model/routing.ts alertRoutes).
 */
import { LABEL } from "../../alerts/conventions";
import { arrow, fmt, lineDiff } from "../markdown";
import type { AlertInfo } from "../model/alerts";
import { alertRoutes, routeText, type EnvRouting } from "../model/routing";
import { runbookChange } from "./runbooks";
import type { Status } from "./slos";

export interface AlertChange {
  readonly service: string;
  readonly alert: string;
  readonly status: Status;
  readonly severity: string;
  /** Where it routes (head; base for removed alerts), with a change arrow when it moved. */
  readonly route: string;
  /** Changes in words; for added alerts, what it checks. */
  readonly changes: readonly string[];
  /** Line diff of the query when more than thresholds changed. */
  readonly queryDiff?: string;
  /** Line diff of the alert's runbook page when it changed. */
  readonly runbookDiff?: string;
  /** True when nothing but the route or team changed (then the "who is notified" table says it). */
  readonly routeOnly: boolean;
}

/** Who a service's alerts of one severity reach, before and after. */
export interface NotifyChange {
  readonly service: string;
  readonly severity: string;
  readonly alerts: number;
  readonly before: string;
  readonly after: string;
}

const COMPARISON = /(>=|<=|==|!=|>|<)\s*(?:bool\s+)?(\(\s*[-0-9.eE+*/ ]+\)|-?[0-9][0-9.eE+-]*)/g;

/** `(14.4 * 0.005)` -> 0.072; undefined unless plain arithmetic of numbers. */
function evaluate(rhs: string): number | undefined {
  const inner = rhs.replace(/^\(|\)$/g, "").trim();
  const m = /^(-?[0-9.eE+-]+)\s*([*/])\s*(-?[0-9.eE+-]+)$/.exec(inner);
  if (!m) return undefined;
  const [x, y] = [Number(m[1]), Number(m[3])];
  return m[2] === "*" ? x * y : x / y;
}

/** Distinct comparisons of a query, e.g. `> 0.072 (14.4 × 0.005)`, in order of appearance. */
export function thresholds(expr: string): string[] {
  const seen: string[] = [];
  for (const m of expr.matchAll(COMPARISON)) {
    const value = evaluate(m[2]);
    const rhs = m[2].replace(/\s+/g, " ");
    const text = value === undefined ? `${m[1]} ${rhs}` : `${m[1]} ${fmt(value, 8)} (${rhs.replace(/^\(|\)$/g, "").replace(" * ", " × ")})`;
    if (!seen.includes(text)) seen.push(text);
  }
  return seen;
}

const withoutThresholds = (expr: string) => expr.replace(COMPARISON, "$1 #");

const routeOf = (routing: EnvRouting, a: AlertInfo) => routeText(alertRoutes(routing, a));

/** Contact points with what they reach: `search-ai-page: PagerDuty integration key from ssm:/…`. */
function destinationOf(routing: EnvRouting, a: AlertInfo): string {
  const targets = alertRoutes(routing, a);
  if (targets.length === 0) return "(no notification policy)";
  return targets
    .map((t) => {
      const integrations = routing.contactPoints.get(t.contactPoint)?.integrations ?? [];
      const reach = integrations.length ? `: ${integrations.join(" + ")}` : "";
      const muted = t.muteTimings.length ? ` (muted ${t.muteTimings.join(", ")})` : "";
      return `${t.contactPoint}${reach}${muted}`;
    })
    .join(" + ");
}

function labelChanges(x: AlertInfo, y: AlertInfo): string[] {
  const skip = new Set<string>([LABEL.severity, LABEL.team, LABEL.service]);
  const keys = [...new Set([...Object.keys(x.rule.labels), ...Object.keys(y.rule.labels)])].filter((k) => !skip.has(k)).sort();
  return keys.flatMap((k) => {
    const b = x.rule.labels[k];
    const a = y.rule.labels[k];
    if (b === a) return [];
    if (b === undefined) return [`label +${k}=${a}`];
    if (a === undefined) return [`label −${k}=${b}`];
    return [`label ${k} ${b} → ${a}`];
  });
}

export function diffAlerts(before: readonly AlertInfo[], after: readonly AlertInfo[], routingBefore: EnvRouting, routingAfter: EnvRouting): AlertChange[] {
  const key = (a: AlertInfo) => `${a.service}\u0000${a.rule.alert}\u0000${a.group}`;
  const b = new Map(before.map((a) => [key(a), a]));
  const a = new Map(after.map((x) => [key(x), x]));
  const out: AlertChange[] = [];
  for (const k of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const x = b.get(k);
    const y = a.get(k);
    if (!x && y) out.push(oneSidedAlert(y, routingAfter, "added", [...addedChanges(y), ...(y.runbook ? ["runbook page added"] : [])]));
    else if (x && !y) out.push(oneSidedAlert(x, routingBefore, "removed", ["no longer evaluated", ...(x.runbook ? ["runbook page removed"] : [])]));
    else if (x && y) {
      const c = changedAlert(x, y, routingBefore, routingAfter);
      if (c) out.push(c);
    }
  }
  return out;
}

/** An alert only one side has: added (`info` from after) or removed (`info` from before). */
function oneSidedAlert(info: AlertInfo, routing: EnvRouting, status: "added" | "removed", changes: string[]): AlertChange {
  return { service: info.service, alert: info.rule.alert, status, severity: info.rule.labels[LABEL.severity] ?? "(none)", route: routeOf(routing, info), changes, routeOnly: false };
}

/** What a new alert does: its thresholds and `for`. */
function addedChanges(y: AlertInfo): string[] {
  const th = thresholds(y.rule.expr);
  return [th.length ? `fires at ${th.join(", ")}` : "new query", `for ${y.rule.for ?? "0s"}`];
}

/** What changed in an alert present on both sides; undefined when neither it nor where it routes changed. */
function changedAlert(x: AlertInfo, y: AlertInfo, routingBefore: EnvRouting, routingAfter: EnvRouting): AlertChange | undefined {
  const changes: string[] = [];
  let queryDiff: string | undefined;
  const tb = thresholds(x.rule.expr);
  const ta = thresholds(y.rule.expr);
  if (tb.join(", ") !== ta.join(", ")) changes.push(`threshold ${tb.join(", ") || "(none)"} → ${ta.join(", ") || "(none)"}`);
  if (withoutThresholds(x.rule.expr) !== withoutThresholds(y.rule.expr)) {
    changes.push("query changed");
    queryDiff = lineDiff(x.rule.expr, y.rule.expr);
  }
  if ((x.rule.for ?? "0s") !== (y.rule.for ?? "0s")) changes.push(`for ${x.rule.for ?? "0s"} → ${y.rule.for ?? "0s"}`);
  const sb = x.rule.labels[LABEL.severity] ?? "(none)";
  const sa = y.rule.labels[LABEL.severity] ?? "(none)";
  if (sb !== sa) changes.push(`severity ${sb} → ${sa}`);
  changes.push(...labelChanges(x, y));
  const annotations = [...new Set([...Object.keys(x.rule.annotations), ...Object.keys(y.rule.annotations)])]
    .filter((n) => x.rule.annotations[n] !== y.rule.annotations[n])
    .sort();
  if (annotations.length) changes.push(`annotations changed: ${annotations.join(", ")}`);
  const runbook = runbookChange(x.runbook, y.runbook);
  if (runbook) changes.push(runbook.text);
  const rb = routeOf(routingBefore, x);
  const ra = routeOf(routingAfter, y);
  const teamChanged = x.rule.labels[LABEL.team] !== y.rule.labels[LABEL.team];
  if (changes.length === 0 && rb === ra && !teamChanged) return undefined;
  const routeOnly = changes.length === 0;
  if (teamChanged) changes.push(`team ${x.rule.labels[LABEL.team] ?? "(none)"} → ${y.rule.labels[LABEL.team] ?? "(none)"}`);
  return { service: y.service, alert: y.rule.alert, status: "changed", severity: arrow(sb, sa), route: arrow(rb, ra), changes, queryDiff, runbookDiff: runbook?.diff, routeOnly };
}

/** Per service and severity: the set of destinations, when it differs between the versions. */
export function diffNotify(before: readonly AlertInfo[], after: readonly AlertInfo[], routingBefore: EnvRouting, routingAfter: EnvRouting): NotifyChange[] {
  const collect = (alerts: readonly AlertInfo[], routing: EnvRouting) => {
    const m = new Map<string, { count: number; routes: Set<string> }>();
    for (const a of alerts) {
      const k = `${a.service}\u0000${a.rule.labels[LABEL.severity] ?? "(none)"}`;
      const e = m.get(k) ?? { count: 0, routes: new Set<string>() };
      e.count++;
      e.routes.add(destinationOf(routing, a));
      m.set(k, e);
    }
    return m;
  };
  const b = collect(before, routingBefore);
  const a = collect(after, routingAfter);
  const text = (e?: { routes: Set<string> }) => [...(e?.routes ?? [])].sort().join("; ");
  // Only alerts that exist on both sides move; new and removed alerts are in the alert table.
  return [...b.keys()]
    .filter((k) => a.has(k))
    .sort()
    .filter((k) => text(b.get(k)) !== text(a.get(k)))
    .map((k) => {
      const [service, severity] = k.split("\u0000");
      return { service, severity, alerts: (a.get(k) ?? b.get(k))!.count, before: text(b.get(k)), after: text(a.get(k)) };
    });
}
