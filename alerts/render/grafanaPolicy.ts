/**
 * Renders the routing tree as Grafana's notification policy, contact points and mute timings
 * (camelCase shapes of the generated bindings). Pure: secrets are passed in as already-resolved
 * references (Terraform expressions of SSM / Secrets Manager reads), never values.
 */
import type { ReceiverModel } from "../../service/model";
import type { RoutingTree } from "../routing";
import { MESSAGE_TEMPLATE_NAME, MESSAGE_TEXT, MESSAGE_TITLE } from "./messageTemplate";

export interface GrafanaPolicyNode {
  readonly matcher?: { readonly label: string; readonly match: string; readonly value: string }[];
  readonly contactPoint?: string;
  readonly groupBy?: string[];
  readonly groupWait?: string;
  readonly groupInterval?: string;
  readonly repeatInterval?: string;
  readonly muteTimings?: string[];
  readonly policy?: GrafanaPolicyNode[];
}

export interface GrafanaPolicy {
  readonly contactPoint: string;
  readonly groupBy: string[];
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
  readonly policy: GrafanaPolicyNode[];
}

export function grafanaNotificationPolicy(tree: RoutingTree): GrafanaPolicy {
  return {
    // The tree's default receiver: a team's contact point, or the catch-all contact point of its own.
    contactPoint: tree.defaultReceiver.name,
    groupBy: [...tree.groupBy],
    groupWait: tree.groupWait,
    groupInterval: tree.groupInterval,
    repeatInterval: tree.repeatInterval,
    policy: tree.teams.map((t) => ({
      matcher: [{ label: "team", match: "=", value: t.team }],
      policy: t.routes.map((r) => ({
        matcher: [{ label: "severity", match: "=", value: r.severity }],
        contactPoint: r.receiver,
        groupWait: r.groupWait,
        groupInterval: r.groupInterval,
        repeatInterval: r.repeatInterval,
        ...(r.muteTimings.length ? { muteTimings: [...r.muteTimings] } : {}),
      })),
    })),
  };
}

/** Title and text of a notification: Go templates, or calls of named templates. */
export interface NotificationText {
  readonly title: string;
  readonly text: string;
}

/** Calls of the shared message template (the environment's Grafana stack defines it). */
export const TEMPLATE_CALLS: NotificationText = {
  title: `{{ template "${MESSAGE_TEMPLATE_NAME}.title" . }}`,
  text: `{{ template "${MESSAGE_TEMPLATE_NAME}.text" . }}`,
};

/** The same text inline, for contact points of a stack that cannot rely on the shared template existing. */
export const INLINE_TEXT: NotificationText = { title: MESSAGE_TITLE, text: MESSAGE_TEXT };

/** The integration block of a contact point; `secret` is a Terraform reference to the resolved secret. */
export function grafanaContactPointIntegration(r: ReceiverModel, secret: string | undefined, message: NotificationText = TEMPLATE_CALLS): Record<string, unknown> {
  const { title, text } = message;
  switch (r.type) {
    case "pagerduty":
      return { pagerduty: [{ integrationKey: secret, summary: title, details: { description: text } }] };
    case "opsgenie":
      return { opsgenie: [{ apiKey: secret, message: title, description: text, autoClose: true }] };
    case "slack":
      return { slack: [{ url: secret, recipient: r.channel, title, text }] };
    case "email":
      return { email: [{ addresses: [...(r.addresses ?? [])], subject: title, message: text, singleEmail: true }] };
  }
}

/** Mute timings of the routing tree, or of one service that routes per rule. */
export function grafanaMuteTimings(tree: Pick<RoutingTree, "muteTimings">) {
  return tree.muteTimings.map((m) => ({
    name: m.name,
    intervals: m.intervals.map((i) => ({
      ...(i.weekdays ? { weekdays: [...i.weekdays] } : {}),
      ...(i.times ? { times: i.times.map((t) => ({ start: t.start, end: t.end })) } : {}),
      location: m.location,
    })),
  }));
}
