/**
 * The Grafana notification policy and contact points of one environment, read back from its
 * Grafana stacks, and where an alert's notifications go: to the contact point its rule names when
 * the rule routes itself (per-rule routing, `notification_settings`), else through the policy by
 * its labels (Alertmanager semantics: depth first, first matching child wins unless it says
 * `continue`, settings inherit).
 */
import type { Timing } from "../../alerts/routing";
import { printable, SECRET_FIELDS } from "../../service/secrets";
import { arr, byString, describeValue, first, obj, resourcesOf, str, type Json, type StackDoc, type SynthOutput } from "../synthOutput";
import type { AlertInfo } from "./alerts";

export interface Matcher {
  readonly label: string;
  readonly match: string;
  readonly value: string;
}

/** One policy of the tree; timings it leaves unset are inherited from its parent. */
export interface PolicyNode extends Partial<Timing> {
  readonly matchers: readonly Matcher[];
  readonly contactPoint?: string;
  readonly groupBy?: readonly string[];
  readonly muteTimings: readonly string[];
  readonly continue: boolean;
  readonly children: readonly PolicyNode[];
}

export interface ContactPointInfo {
  readonly name: string;
  /** One line per integration, e.g. `PagerDuty (key ssm:/observability/search-ai/pagerduty-routing-key)`. */
  readonly integrations: readonly string[];
  /** Integration block types (`pagerduty`, `slack`, …), sorted. */
  readonly kinds: readonly string[];
  readonly address: string;
}

export interface EnvRouting {
  readonly environment: string;
  readonly stack?: StackDoc;
  readonly root?: PolicyNode;
  readonly policyAddress?: string;
  /** Every contact point of the environment: the policy's, and those per-rule services bring in their own stacks. */
  readonly contactPoints: ReadonlyMap<string, ContactPointInfo>;
}

/** Where one route ends: the contact point and what shapes its notifications. */
export interface RouteTarget {
  readonly contactPoint: string;
  readonly muteTimings: readonly string[];
  readonly groupWait?: string;
  readonly repeatInterval?: string;
}

function node(x: Json): PolicyNode {
  const strings = (v: unknown) => arr(v).filter((s): s is string => typeof s === "string");
  return {
    matchers: arr(x.matcher).map((m) => {
      const o = obj(m);
      return { label: str(o.label) ?? "", match: str(o.match) ?? "=", value: str(o.value) ?? "" };
    }),
    contactPoint: str(x.contact_point),
    groupBy: x.group_by === undefined ? undefined : strings(x.group_by),
    groupWait: str(x.group_wait),
    groupInterval: str(x.group_interval),
    repeatInterval: str(x.repeat_interval),
    muteTimings: strings(x.mute_timings),
    continue: x.continue === true,
    children: arr(x.policy).map((p) => node(obj(p))),
  };
}

const INTEGRATION_NAMES: Record<string, string> = {
  pagerduty: "PagerDuty",
  opsgenie: "Opsgenie",
  slack: "Slack",
  email: "email",
  webhook: "webhook",
  teams: "Microsoft Teams",
  sns: "Amazon SNS",
};

/** Who an integration reaches, without ever printing a literal credential. */
function describeIntegration(output: SynthOutput, stack: StackDoc, kind: string, block: Json): string {
  const name = INTEGRATION_NAMES[kind] ?? kind;
  const parts: string[] = [];
  if (kind === "slack" && str(block.recipient)) parts.push(str(block.recipient)!);
  if (kind === "email") parts.push(arr(block.addresses).filter((a) => typeof a === "string").join(", "));
  for (const field of Object.keys(block).sort(byString)) {
    if (!SECRET_FIELDS.has(field)) continue;
    const v = str(block[field]);
    if (v === undefined) continue;
    const described = describeValue(output, stack, v);
    parts.push(described === v ? `${field} ${printable(v, field)}` : `${field.replace(/_/g, " ")} from ${described}`);
  }
  return parts.length > 0 ? `${name} ${parts.join(", ")}` : name;
}

/** routingOf per output and environment (lint's rules ask once per stack). */
const cache = new WeakMap<SynthOutput, Map<string, EnvRouting>>();

export function routingOf(output: SynthOutput, environment: string): EnvRouting {
  const byEnv = cache.get(output) ?? new Map<string, EnvRouting>();
  cache.set(output, byEnv);
  let routing = byEnv.get(environment);
  if (!routing) byEnv.set(environment, (routing = computeRouting(output, environment)));
  return routing;
}

function computeRouting(output: SynthOutput, environment: string): EnvRouting {
  // The environment's shared Grafana stack holds the policy and the teams' contact points; the
  // per-service Grafana stacks hold folders, dashboards and rules, and a per-rule service's own
  // contact points (with `--team`, there is no shared stack at all).
  const grafana = output.stacks.filter((s) => s.environment === environment && s.kind === "grafana");
  const stack = grafana.find((s) => resourcesOf(s, "grafana_notification_policy").length > 0) ?? grafana[0];
  if (!stack) return { environment, contactPoints: new Map() };
  const policies = resourcesOf(stack, "grafana_notification_policy");
  const contactPoints = new Map<string, ContactPointInfo>();
  // Names are unique in a Grafana org (ObservabilityGrafana refuses a clash); should two stacks
  // still define one, the policy's stack wins, then stack order.
  for (const s of [stack, ...grafana.filter((g) => g !== stack)])
    for (const r of resourcesOf(s, "grafana_contact_point")) {
      const name = str(r.body.name) ?? r.name;
      if (contactPoints.has(name)) continue;
      const kinds = Object.keys(r.body)
        .filter((k) => Array.isArray(r.body[k]) && arr(r.body[k]).length > 0 && arr(r.body[k]).every((b) => typeof b === "object"))
        .sort(byString);
      const integrations = kinds.flatMap((k) => arr(r.body[k]).map((b) => describeIntegration(output, s, k, obj(b))));
      contactPoints.set(name, { name, integrations, kinds, address: `${s.name}: ${r.address}` });
    }
  const policy = policies[0];
  return {
    environment,
    stack,
    root: policy ? node(policy.body) : undefined,
    policyAddress: policy ? `${stack.name}: ${policy.address}` : undefined,
    contactPoints,
  };
}

function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[m.label] ?? "";
  switch (m.match) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(v);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(v);
    default:
      return false;
  }
}

/**
 * The route a Grafana rule names itself (`notification_settings`, per-rule routing), or undefined
 * when it has none and the policy routes it. Timings it leaves unset are Grafana's defaults.
 */
export function ruleRouteOf(rule: Json): RouteTarget | undefined {
  const settings = first(rule.notification_settings);
  const contactPoint = str(settings.contact_point);
  if (contactPoint === undefined) return undefined;
  return {
    contactPoint,
    muteTimings: arr(settings.mute_timings).filter((s): s is string => typeof s === "string"),
    groupWait: str(settings.group_wait),
    repeatInterval: str(settings.repeat_interval),
  };
}

/**
 * Where an alert's notifications go: the contact point its rule names when it routes itself (it
 * then bypasses the policy), else every contact point its labels reach through the policy. Review
 * and its paging checks resolve alerts only through this.
 */
export function alertRoutes(routing: EnvRouting, alert: Pick<AlertInfo, "rule" | "ruleRoute">): RouteTarget[] {
  return alert.ruleRoute ? [alert.ruleRoute] : resolveRoutes(routing, alert.rule.labels);
}

/** Every contact point the labels reach through the notification policy (usually one), as Grafana would route them. */
export function resolveRoutes(routing: EnvRouting, labels: Readonly<Record<string, string>>): RouteTarget[] {
  if (!routing.root) return [];
  const walk = (n: PolicyNode, inherited: RouteTarget): RouteTarget[] => {
    const here: RouteTarget = {
      contactPoint: n.contactPoint ?? inherited.contactPoint,
      muteTimings: n.muteTimings.length > 0 ? n.muteTimings : inherited.muteTimings,
      groupWait: n.groupWait ?? inherited.groupWait,
      repeatInterval: n.repeatInterval ?? inherited.repeatInterval,
    };
    const found: RouteTarget[] = [];
    for (const c of n.children) {
      if (!c.matchers.every((m) => matches(m, labels))) continue;
      found.push(...walk(c, here));
      if (!c.continue) break;
    }
    return found.length > 0 ? found : [here];
  };
  return walk(routing.root, { contactPoint: "(none)", muteTimings: [] });
}

/** Short text of a route's destination, e.g. `search-ai-ticket (muted outside-business-hours)`. */
export function routeText(targets: readonly RouteTarget[]): string {
  if (targets.length === 0) return "(no notification policy)";
  return targets.map((t) => (t.muteTimings.length ? `${t.contactPoint} (muted ${t.muteTimings.join(", ")})` : t.contactPoint)).join(" + ");
}

export interface RouteRow {
  /** Matchers from the root, e.g. `team=search-ai › severity=page`; `(root)` for the default route. */
  readonly path: string;
  readonly contactPoint: string;
  /** Timing and muting, e.g. `wait 30s, repeat 1h`. */
  readonly settings: string;
}

/** The policy tree flattened to one row per node, in tree order. */
export function routeRows(routing: EnvRouting): RouteRow[] {
  if (!routing.root) return [];
  const rows: RouteRow[] = [];
  const walk = (n: PolicyNode, prefix: string[], inherited: RouteTarget) => {
    const matcherText = n.matchers.map((m) => `${m.label}${m.match}${m.value}`).join(", ");
    const path = matcherText ? [...prefix, matcherText] : prefix;
    const target: RouteTarget = {
      contactPoint: n.contactPoint ?? inherited.contactPoint,
      muteTimings: n.muteTimings.length > 0 ? n.muteTimings : inherited.muteTimings,
      groupWait: n.groupWait ?? inherited.groupWait,
      repeatInterval: n.repeatInterval ?? inherited.repeatInterval,
    };
    const settings = [
      target.groupWait ? `wait ${target.groupWait}` : "",
      target.repeatInterval ? `repeat ${target.repeatInterval}` : "",
      n.groupBy ? `group by ${n.groupBy.join(", ")}` : "",
      target.muteTimings.length ? `muted ${target.muteTimings.join(", ")}` : "",
      n.continue ? "continue" : "",
    ].filter(Boolean);
    // Intermediate nodes that only narrow the match (team, then severity) say nothing on their own.
    const leaf = n.children.length === 0;
    if (leaf || path.length === 0 || n.contactPoint !== undefined)
      rows.push({ path: path.length ? path.join(" › ") : "(root)", contactPoint: target.contactPoint, settings: settings.join("; ") });
    for (const c of n.children) walk(c, path, target);
  };
  walk(routing.root, [], { contactPoint: "(none)", muteTimings: [] });
  return rows;
}
