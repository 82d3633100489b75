/**
 * The routed notification policy as plain data: ONE tree for the whole Grafana org (or
 * Alertmanager), built from the routes every service registers. Alerts route by team, then by
 * severity: pages go to the team's on-call receiver at once and repeat hourly; tickets go to the
 * team's ticket/chat receiver, batched, repeated daily, and muted outside business hours.
 * Both the Alertmanager and the Grafana renderings read this, so they cannot disagree.
 */
import type { ReceiverModel, ServiceModel } from "../service/model";
import type { Issue } from "../service/schemaDsl";
import type { ReceiverDescription } from "../service/types";
import { normalizeReceiver, ValidationError } from "../service/normalize";
import { LABEL } from "./conventions";
import type { Severity } from "./ruleModel";

export interface NamedReceiver extends ReceiverModel {
  /** Receiver / contact point name, `<team>-<severity>`. */
  readonly name: string;
}

export interface Timing {
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
}

export interface SeverityRoute extends Timing {
  readonly severity: Severity;
  readonly receiver: string;
  /** Mute timings that silence this route (tickets: outside business hours). */
  readonly muteTimings: readonly string[];
}

export interface TeamRoute {
  readonly team: string;
  /** Services of the team, for reviewers (routing matches on the team label only). */
  readonly services: readonly string[];
  readonly routes: readonly SeverityRoute[];
}

export interface MuteTiming {
  readonly name: string;
  /** Any of these intervals mutes (Alertmanager time_intervals semantics). */
  readonly intervals: readonly {
    readonly weekdays?: readonly string[];
    readonly times?: readonly { readonly start: string; readonly end: string }[];
  }[];
  readonly location: string;
}

export interface RoutingTree extends Timing {
  /** Labels alerts are grouped by into one notification. Never per-request labels. */
  readonly groupBy: readonly string[];
  /**
   * Receiver of alerts no team route matches (a misrouted alert). With `integration`, a receiver of
   * its own (CATCH_ALL_RECEIVER); without, `name` is one of `receivers`.
   */
  readonly defaultReceiver: { readonly name: string; readonly integration?: ReceiverModel };
  readonly teams: readonly TeamRoute[];
  readonly receivers: readonly NamedReceiver[];
  readonly muteTimings: readonly MuteTiming[];
}

/**
 * Where alerts that match no team route go: alerts whose `team` label no service routes (a rule
 * written by hand, a typo, a team that was renamed). Either the name of one of the tree's own
 * receivers (`<team>-page` or `<team>-ticket`), or a receiver of its own, named CATCH_ALL_RECEIVER.
 * There is no default: a receiver without an integration would drop these alerts unseen.
 */
export type DefaultReceiver = string | ReceiverDescription;

/** Name of the default receiver when it is a receiver of its own. No team receiver ends so. */
export const CATCH_ALL_RECEIVER = "catch-all";

export interface RoutingOptions {
  /** Where alerts that match no team route go (see DefaultReceiver). */
  readonly defaultReceiver: DefaultReceiver;
  /** Time zone of business hours. @default "UTC" */
  readonly businessHoursLocation?: string;
}

export const OUTSIDE_BUSINESS_HOURS = "outside-business-hours";
export const GROUP_BY = ["alertname", LABEL.service, LABEL.slo];

/** Timing of the root route: what alerts no team route matches get. */
export const ROOT_TIMING: Timing = { groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" };

const TIMING: Record<Severity, Timing> = {
  page: { groupWait: "30s", groupInterval: "5m", repeatInterval: "1h" },
  ticket: { groupWait: "5m", groupInterval: "30m", repeatInterval: "24h" },
};

/** Receiver / contact point of a team (policy routing) or a service (per-rule routing) for one severity: `<owner>-<severity>`. */
export const receiverName = (owner: string, severity: Severity): string => `${owner}-${severity}`;

const sameReceiver = (a: ReceiverModel, b: ReceiverModel) => JSON.stringify(a) === JSON.stringify(b);

/** Receivers of the tree the services make, by name: `<team>-page` and `<team>-ticket` of each team, sorted. */
export function receiverNames(services: readonly ServiceModel[]): string[] {
  return [...new Set(services.map((s) => s.team))].sort().flatMap((team) => [receiverName(team, "page"), receiverName(team, "ticket")]);
}

/**
 * Why `name` is no receiver of the tree the services make (undefined when it is one), in words a
 * caller prefixes with where the name came from (a CLI flag, a construct prop). `tree` names the tree.
 */
export function defaultReceiverProblem(services: readonly ServiceModel[], name: string, tree = "the routing tree"): string | undefined {
  const names = receiverNames(services);
  if (names.includes(name)) return undefined;
  if (names.length === 0) return `"${name}" names no receiver: no service routes through ${tree}`;
  return `"${name}" is not a receiver of ${tree}; name one of ${names.join(", ")}`;
}

/** Problems that stop the services sharing one tree: two services of a team with different receivers. */
export function teamReceiverIssues(services: readonly ServiceModel[]): Issue[] {
  return teamsOf(services).issues;
}

type TeamReceivers = { services: string[]; page: ReceiverModel; ticket: ReceiverModel; from: string };

function teamsOf(services: readonly ServiceModel[]): { teams: [string, TeamReceivers][]; issues: Issue[] } {
  const issues: Issue[] = [];
  const byTeam = new Map<string, TeamReceivers>();
  for (const s of [...services].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const t = byTeam.get(s.team);
    if (!t) {
      byTeam.set(s.team, { services: [s.name], page: s.alerting.page, ticket: s.alerting.ticket, from: s.name });
      continue;
    }
    t.services.push(s.name);
    for (const sev of ["page", "ticket"] as const)
      if (!sameReceiver(t[sev], s.alerting[sev]))
        issues.push({
          path: `${s.name}: alerting.${sev}`,
          message: `differs from ${t.from}'s, but both belong to team ${s.team}, which has one ${sev} receiver; use the same receiver or a different team`,
        });
  }
  return { teams: [...byTeam.entries()].sort(([a], [b]) => (a < b ? -1 : 1)), issues };
}

/** The tree's default receiver; a receiver of its own is validated as a description's receivers are. */
function defaultOf(services: readonly ServiceModel[], d: DefaultReceiver): RoutingTree["defaultReceiver"] {
  if (typeof d !== "string") return { name: CATCH_ALL_RECEIVER, integration: normalizeReceiver(d, "defaultReceiver", "the routing options") };
  const problem = defaultReceiverProblem(services, d);
  if (problem) throw new ValidationError([{ path: "defaultReceiver", message: `${problem}, or give a receiver of its own` }], "the routing options");
  return { name: d };
}

/**
 * Builds the one tree. Throws ValidationError when two services of a team disagree on a receiver,
 * or when the default receiver names none of the tree's receivers or is itself invalid.
 */
export function buildRoutingTree(services: readonly ServiceModel[], options: RoutingOptions): RoutingTree {
  const { teams, issues } = teamsOf(services);
  if (issues.length > 0) throw new ValidationError(issues);
  const receivers: NamedReceiver[] = teams.flatMap(([team, t]) => [
    { name: receiverName(team, "page"), ...t.page },
    { name: receiverName(team, "ticket"), ...t.ticket },
  ]);
  return {
    groupBy: GROUP_BY,
    ...ROOT_TIMING,
    defaultReceiver: defaultOf(services, options.defaultReceiver),
    teams: teams.map(([team, t]) => ({
      team,
      services: t.services,
      routes: (["page", "ticket"] as const).map((severity) => ({
        severity,
        receiver: receiverName(team, severity),
        ...TIMING[severity],
        muteTimings: severity === "ticket" ? [OUTSIDE_BUSINESS_HOURS] : [],
      })),
    })),
    receivers,
    muteTimings: treeMuteTimings(options),
  };
}

/** The business-hours mute timing of the tree (tickets wait outside it), for a stack that defines it before any service registers. */
export function treeMuteTimings(options: Pick<RoutingOptions, "businessHoursLocation"> = {}): readonly MuteTiming[] {
  return [outsideBusinessHours(OUTSIDE_BUSINESS_HOURS, options.businessHoursLocation)];
}

/** Weekends and weekday nights: when tickets wait. */
function outsideBusinessHours(name: string, location = "UTC"): MuteTiming {
  return {
    name,
    location,
    intervals: [
      { weekdays: ["saturday", "sunday"] },
      { weekdays: ["monday:friday"], times: [{ start: "00:00", end: "09:00" }, { start: "18:00", end: "24:00" }] },
    ],
  };
}

/**
 * Routing of one service whose alert rules name their contact point themselves (`alerting.routing:
 * per-rule`), for a team deploying from its own repository without the org's notification policy.
 * Same severities, timings, grouping and business hours as its team route in the tree would have;
 * the contact points and the mute timing are the service's own (`<service>-page`,
 * `<service>-ticket`, `<service>-outside-business-hours`), so two repositories never define one
 * name twice and nothing depends on the platform repository's Grafana content.
 */
export interface ServiceRouting {
  readonly groupBy: readonly string[];
  readonly receivers: readonly NamedReceiver[];
  readonly routes: readonly SeverityRoute[];
  readonly muteTimings: readonly MuteTiming[];
}

export function perRuleRouting(service: ServiceModel, options: Pick<RoutingOptions, "businessHoursLocation"> = {}): ServiceRouting {
  const mute = `${service.name}-${OUTSIDE_BUSINESS_HOURS}`;
  return {
    groupBy: GROUP_BY,
    receivers: (["page", "ticket"] as const).map((severity) => ({ name: receiverName(service.name, severity), ...service.alerting[severity] })),
    routes: (["page", "ticket"] as const).map((severity) => ({
      severity,
      receiver: receiverName(service.name, severity),
      ...TIMING[severity],
      muteTimings: severity === "ticket" ? [mute] : [],
    })),
    muteTimings: [outsideBusinessHours(mute, options.businessHoursLocation)],
  };
}

/** Which receiver a set of alert labels reaches: the tree's own matching, for tests and review. */
export function routeFor(tree: RoutingTree, labels: Readonly<Record<string, string>>): string {
  const team = tree.teams.find((t) => t.team === labels[LABEL.team]);
  const route = team?.routes.find((r) => r.severity === labels[LABEL.severity]);
  return route?.receiver ?? tree.defaultReceiver.name;
}
