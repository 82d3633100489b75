/**
 * The routed notification policy as plain data: ONE tree for the whole Grafana org (or
 * Alertmanager), built from the routes every service registers. Alerts route by team, then by
 * severity: pages go to the team's on-call receiver at once and repeat hourly; tickets go to the
 * team's ticket/chat receiver, batched, repeated daily, and muted outside business hours.
 * Both the Alertmanager and the Grafana renderings read this, so they cannot disagree.
 */
import type { ReceiverModel, ServiceModel } from "../service/model";
import type { Issue } from "../service/schemaDsl";
import { ValidationError } from "../service/normalize";
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
  /** Receiver of alerts no team route matches (a misconfigured alert); no integration unless given. */
  readonly defaultReceiver: { readonly name: string; readonly integration?: ReceiverModel };
  readonly teams: readonly TeamRoute[];
  readonly receivers: readonly NamedReceiver[];
  readonly muteTimings: readonly MuteTiming[];
}

export interface RoutingOptions {
  /**
   * Where alerts without a matching team go.
   * @default - a receiver named "unrouted" with no integration (the alerts show in the UI only)
   */
  readonly defaultReceiver?: ReceiverModel;
  /** Time zone of business hours. @default "UTC" */
  readonly businessHoursLocation?: string;
}

export const OUTSIDE_BUSINESS_HOURS = "outside-business-hours";
export const GROUP_BY = ["alertname", LABEL.service, LABEL.slo];

const TIMING: Record<Severity, Timing> = {
  page: { groupWait: "30s", groupInterval: "5m", repeatInterval: "1h" },
  ticket: { groupWait: "5m", groupInterval: "30m", repeatInterval: "24h" },
};

/** Receiver / contact point of a team (policy routing) or a service (per-rule routing) for one severity: `<owner>-<severity>`. */
export const receiverName = (owner: string, severity: Severity): string => `${owner}-${severity}`;

const sameReceiver = (a: ReceiverModel, b: ReceiverModel) => JSON.stringify(a) === JSON.stringify(b);

/** Builds the one tree. Throws ValidationError when two services of a team disagree on a receiver. */
export function buildRoutingTree(services: readonly ServiceModel[], options: RoutingOptions = {}): RoutingTree {
  const issues: Issue[] = [];
  const byTeam = new Map<string, { services: string[]; page: ReceiverModel; ticket: ReceiverModel; from: string }>();
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
  if (issues.length > 0) throw new ValidationError(issues);

  const teams = [...byTeam.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const receivers: NamedReceiver[] = teams.flatMap(([team, t]) => [
    { name: receiverName(team, "page"), ...t.page },
    { name: receiverName(team, "ticket"), ...t.ticket },
  ]);
  return {
    groupBy: GROUP_BY,
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    defaultReceiver: { name: "unrouted", integration: options.defaultReceiver },
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
    muteTimings: [outsideBusinessHours(OUTSIDE_BUSINESS_HOURS, options.businessHoursLocation)],
  };
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
