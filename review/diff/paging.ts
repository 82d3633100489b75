/**
 * Whether anyone is still paged: page alerts removed or lowered to another severity, a service left
 * with no page alert at all, and page alerts whose route (the contact point a per-rule routed rule
 * names, else through the environment's notification policy: review/model/routing.ts alertRoutes)
 * no longer ends at a paging integration: rerouted to a ticket receiver, muted, sent nowhere, or
 * its contact point's paging integration replaced. These are how an outage goes unnoticed, so the
 * review calls them out as security-relevant beside key policy and IAM changes.
 */
import { LABEL } from "../../alerts/conventions";
import { alertsOf, type AlertInfo } from "../model/alerts";
import { alertRoutes, routeText, routingOf, type EnvRouting, type RouteTarget } from "../model/routing";
import { byString, environmentsOf, type SynthOutput } from "../synthOutput";
import type { SecurityFinding } from "./security";

/** Integrations that wake someone up. Slack, email and Teams are read when someone looks. */
export const PAGING_INTEGRATIONS: ReadonlySet<string> = new Set(["pagerduty", "opsgenie", "victorops", "oncall", "pushover", "sns", "webhook"]);

const PAGE = "page";
const severityOf = (a: AlertInfo) => a.rule.labels[LABEL.severity] ?? "(none)";
const key = (a: AlertInfo) => `${a.service}\u0000${a.rule.alert}\u0000${a.group}`;

/** Does the alert reach, unmuted, a contact point with a paging integration? */
function pages(routing: EnvRouting, a: AlertInfo): boolean {
  return alertRoutes(routing, a).some(
    (t) => t.muteTimings.length === 0 && (routing.contactPoints.get(t.contactPoint)?.kinds ?? []).some((k) => PAGING_INTEGRATIONS.has(k)),
  );
}

const integrationKinds = (routing: EnvRouting, targets: readonly RouteTarget[]) =>
  [...new Set(targets.flatMap((t) => routing.contactPoints.get(t.contactPoint)?.kinds ?? []))].sort(byString);

const names = (as: readonly AlertInfo[]) => {
  const xs = [...new Set(as.map((a) => a.rule.alert))].sort(byString);
  return xs.length > 4 ? `${xs.slice(0, 4).join(", ")} and ${xs.length - 4} more` : xs.join(", ");
};

function environmentFindings(base: SynthOutput, head: SynthOutput, environment: string): SecurityFinding[] {
  const before = alertsOf(base, environment);
  const after = alertsOf(head, environment);
  const routingBefore = routingOf(base, environment);
  const routingAfter = routingOf(head, environment);
  const afterByKey = new Map(after.map((a) => [key(a), a]));
  const beforeByKey = new Map(before.map((a) => [key(a), a]));
  const headServices = new Set([...after.map((a) => a.service), ...head.stacks.filter((s) => s.environment === environment && s.kind === "service").map((s) => s.part)]);
  const out: SecurityFinding[] = [];
  const services = [...new Set(before.filter((a) => severityOf(a) === PAGE).map((a) => a.service))].sort(byString);
  for (const service of services) {
    const paged = before.filter((a) => a.service === service && severityOf(a) === PAGE);
    const stillPaging = after.filter((a) => a.service === service && severityOf(a) === PAGE);
    const removed = paged.filter((a) => !afterByKey.has(key(a)));
    const lowered = paged.filter((a) => afterByKey.has(key(a)) && severityOf(afterByKey.get(key(a))!) !== PAGE);
    const where = { area: "paging" as const, environment, service, attributes: [] as string[] };
    const address = [...new Set(paged.map((a) => a.address))].sort(byString).join(", ");
    // A service that is gone altogether is in "Stacks removed"; one that stays but pages no more is this.
    if (stillPaging.length === 0 && headServices.has(service)) {
      const how = [removed.length ? `${removed.length} removed` : "", lowered.length ? `${lowered.length} lowered to ${[...new Set(lowered.map((a) => severityOf(afterByKey.get(key(a))!)))].sort(byString).join("/")}` : ""].filter(Boolean).join(", ");
      out.push({ ...where, resource: `paging of ${service}`, address, change: `paging disabled: none of its ${paged.length} page alerts remain (${how}: ${names(paged)})`, consequence: "an outage of the service pages nobody; it waits for someone to read a ticket" });
      continue;
    }
    for (const a of removed)
      out.push({ ...where, resource: `page alert ${a.rule.alert}`, address: a.address, change: "page alert removed", consequence: `nobody is paged for what it detected (${routeText(alertRoutes(routingBefore, a))} was)` });
    for (const a of lowered)
      out.push({ ...where, resource: `page alert ${a.rule.alert}`, address: a.address, change: `severity page → ${severityOf(afterByKey.get(key(a))!)}`, consequence: `it now goes to ${routeText(alertRoutes(routingAfter, afterByKey.get(key(a))!))} instead of paging` });
  }
  // Page alerts on both sides that paged before and do not now: the route or the contact point changed.
  const rerouted = new Map<string, { service: string; alerts: AlertInfo[]; before: readonly RouteTarget[]; after: readonly RouteTarget[] }>();
  for (const y of after) {
    const x = beforeByKey.get(key(y));
    if (!x || severityOf(x) !== PAGE || severityOf(y) !== PAGE) continue;
    if (!pages(routingBefore, x) || pages(routingAfter, y)) continue;
    const tb = alertRoutes(routingBefore, x);
    const ta = alertRoutes(routingAfter, y);
    const k = `${y.service}\u0000${routeText(tb)}\u0000${routeText(ta)}`;
    const e = rerouted.get(k) ?? { service: y.service, alerts: [], before: tb, after: ta };
    e.alerts.push(y);
    rerouted.set(k, e);
  }
  for (const e of [...rerouted.values()].sort((p, q) => byString(p.service, q.service)))
    out.push({
      area: "paging",
      environment,
      service: e.service,
      resource: `page alerts of ${e.service}`,
      ...reroute(routingBefore, routingAfter, e.before, e.after, e.alerts),
      consequence: "they no longer page anyone: the route ends at a ticket receiver, is muted, or reaches no paging integration",
      attributes: [],
    });
  return out;
}

/** How page alerts stopped paging, and where: the contact point when only what it reaches changed, else what routes them. */
function reroute(routingBefore: EnvRouting, routingAfter: EnvRouting, before: readonly RouteTarget[], after: readonly RouteTarget[], alerts: readonly AlertInfo[]) {
  const b = routeText(before);
  const a = routeText(after);
  const kinds = integrationKinds(routingAfter, after);
  const lead = `${alerts.length} page alert(s)`;
  if (a === b)
    return {
      address: [...new Set(after.map((t) => routingAfter.contactPoints.get(t.contactPoint)?.address ?? t.contactPoint))].join(", "),
      change: `${lead} still go to ${a}, which now reaches ${kinds.length ? kinds.join(", ") : "no integration"} instead of ${integrationKinds(routingBefore, before).join(", ")}: ${names(alerts)}`,
    };
  // A per-rule routed rule names its contact point itself; otherwise the policy routes it.
  const byRule = alerts.some((x) => x.ruleRoute) || !routingAfter.policyAddress;
  return {
    address: byRule ? [...new Set(alerts.map((x) => x.address))].sort(byString).join(", ") : routingAfter.policyAddress!,
    change: `${lead} rerouted from ${b} to ${a}${kinds.length ? ` (${kinds.join(", ")})` : " (no integration here)"}: ${names(alerts)}`,
  };
}

export function pagingFindings(base: SynthOutput, head: SynthOutput): SecurityFinding[] {
  return environmentsOf(base, head).flatMap((env) => environmentFindings(base, head, env));
}
