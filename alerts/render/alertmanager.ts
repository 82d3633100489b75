/**
 * Renders the routing tree as an Alertmanager configuration, for amtool and for teams running
 * plain Prometheus + Alertmanager. Secrets stay references: each receiver reads its key (and an
 * SMTP relay its password) from a file (`*_file` options) under `secretsDir`, which the deployment
 * fills from SSM / Secrets Manager (e.g. an init container); the config itself holds no secret.
 */
import { stringify } from "yaml";
import type { ReceiverModel } from "../../service/model";
import { ValidationError } from "../../service/normalize";
import { parse, type Input, type Issue, type Output } from "../../service/schemaDsl";
import { SMTP_SCHEMA } from "../../service/description/smtp";
import type { NamedReceiver, RoutingTree } from "../routing";
import { MESSAGE_TEMPLATE_NAME, alertmanagerTemplate } from "./messageTemplate";

/** An SMTP relay as a description's `alerting.<severity>.smtp` gives it. */
export type SmtpSettings = Input<typeof SMTP_SCHEMA>;
type Smtp = Output<typeof SMTP_SCHEMA>;

export interface AlertmanagerOptions {
  /** Folder where the deployment writes the referenced secrets. @default "/etc/alertmanager/secrets" */
  readonly secretsDir?: string;
  /** Path of the message template file. @default "/etc/alertmanager/templates/mlobs.tmpl" */
  readonly templatePath?: string;
  /**
   * The one SMTP relay of every email receiver that names none of its own (`smtp` on the
   * receiver), written to the config's `global` section. Required when such a receiver exists:
   * without it Alertmanager could send none of their email.
   * @default - no relay in `global`; every email receiver must carry its own
   */
  readonly smtp?: SmtpSettings;
}

/** File name a secret reference is materialized to: `ssm:/a/b` -> `ssm_a_b`. */
export function secretFileName(ref: string): string {
  return ref.replace(/^(ssm|secretsmanager):\/?/, "$1_").replace(/[^A-Za-z0-9_.-]+/g, "_");
}

const title = `{{ template "${MESSAGE_TEMPLATE_NAME}.title" . }}`;
const text = `{{ template "${MESSAGE_TEMPLATE_NAME}.text" . }}`;

/** Where the deployment writes a referenced secret. */
const secretFile = (ref: string, secretsDir: string) => `${secretsDir}/${secretFileName(ref)}`;

/** An email config's own relay (`email_configs[]`), or the same keys with `smtp_` for `global`. */
function smtpKeys(smtp: Smtp, secretsDir: string, prefix: "" | "smtp_"): Record<string, unknown> {
  return {
    [`${prefix}smarthost`]: smtp.smarthost,
    [`${prefix}from`]: smtp.from,
    ...(smtp.authUsername !== undefined ? { [`${prefix}auth_username`]: smtp.authUsername } : {}),
    ...(smtp.authPassword !== undefined ? { [`${prefix}auth_password_file`]: secretFile(smtp.authPassword, secretsDir) } : {}),
    [`${prefix}require_tls`]: smtp.requireTls,
  };
}

function integration(r: ReceiverModel, secretsDir: string): Record<string, unknown> {
  const file = r.secret ? secretFile(r.secret, secretsDir) : undefined;
  switch (r.type) {
    case "pagerduty":
      return { pagerduty_configs: [{ routing_key_file: file, description: title, details: { summary: text }, send_resolved: true }] };
    case "opsgenie":
      return { opsgenie_configs: [{ api_key_file: file, message: title, description: text, send_resolved: true }] };
    case "slack":
      return { slack_configs: [{ api_url_file: file, channel: r.channel, title, text, send_resolved: true }] };
    case "email":
      return {
        email_configs: (r.addresses ?? []).map((to) => ({
          to,
          ...(r.smtp ? smtpKeys(r.smtp, secretsDir, "") : {}),
          headers: { Subject: title },
          html: text,
          send_resolved: true,
        })),
      };
  }
}

function receiver(r: NamedReceiver, secretsDir: string): Record<string, unknown> {
  return { name: r.name, ...integration(r, secretsDir) };
}

/**
 * Email receivers that name no relay of their own while the options give none: Alertmanager could
 * send none of their email. Each is reported at its description field (the first service of the
 * team that owns it), with both fixes.
 */
export function missingRelayIssues(tree: RoutingTree, options: Pick<AlertmanagerOptions, "smtp"> = {}): Issue[] {
  if (options.smtp !== undefined) return [];
  const fix =
    "is required for an email receiver in the Alertmanager config: give it a relay here (smarthost and from), or give every email receiver one (mlobs alertmanager --smtp-smarthost HOST:PORT --smtp-from ADDRESS; AlertmanagerOptions.smtp)";
  const issues: Issue[] = [];
  const d = tree.defaultReceiver.integration;
  if (d?.type === "email" && !d.smtp) issues.push({ path: "defaultReceiver.smtp", message: fix });
  for (const t of tree.teams)
    for (const route of t.routes) {
      const r = tree.receivers.find((x) => x.name === route.receiver);
      if (r?.type === "email" && !r.smtp) issues.push({ path: `${t.services[0]}: alerting.${route.severity}.smtp`, message: fix });
    }
  return issues;
}

/** The global relay, checked as a description's `smtp` is; problems are named `smtp.<field>`. */
function globalRelay(smtp: SmtpSettings | undefined): Smtp | undefined {
  if (smtp === undefined) return undefined;
  const issues: Issue[] = [];
  const parsed = parse(SMTP_SCHEMA, smtp, "smtp", issues);
  if (issues.length > 0 || !parsed) throw new ValidationError(issues, "the Alertmanager options");
  return parsed;
}

/** The Alertmanager config as data. Throws ValidationError when an email receiver has no relay (missingRelayIssues). */
export function alertmanagerConfig(tree: RoutingTree, options: AlertmanagerOptions = {}): Record<string, unknown> {
  const secretsDir = options.secretsDir ?? "/etc/alertmanager/secrets";
  const relay = globalRelay(options.smtp);
  const missing = missingRelayIssues(tree, options);
  if (missing.length > 0) throw new ValidationError(missing);
  const d = tree.defaultReceiver;
  return {
    global: { resolve_timeout: "5m", ...(relay ? smtpKeys(relay, secretsDir, "smtp_") : {}) },
    templates: [options.templatePath ?? "/etc/alertmanager/templates/mlobs.tmpl"],
    route: {
      receiver: d.name,
      group_by: [...tree.groupBy],
      group_wait: tree.groupWait,
      group_interval: tree.groupInterval,
      repeat_interval: tree.repeatInterval,
      routes: tree.teams.map((t) => ({
        matchers: [`team="${t.team}"`],
        routes: t.routes.map((r) => ({
          receiver: r.receiver,
          matchers: [`severity="${r.severity}"`],
          group_wait: r.groupWait,
          group_interval: r.groupInterval,
          repeat_interval: r.repeatInterval,
          ...(r.muteTimings.length ? { mute_time_intervals: [...r.muteTimings] } : {}),
        })),
      })),
    },
    receivers: [
      // A default receiver of its own; else the root names one of the teams' receivers.
      ...(d.integration ? [receiver({ name: d.name, ...d.integration }, secretsDir)] : []),
      ...tree.receivers.map((r) => receiver(r, secretsDir)),
    ],
    time_intervals: tree.muteTimings.map((m) => ({
      name: m.name,
      time_intervals: m.intervals.map((i) => ({
        ...(i.weekdays ? { weekdays: [...i.weekdays] } : {}),
        ...(i.times ? { times: i.times.map((t) => ({ start_time: t.start, end_time: t.end })) } : {}),
        location: m.location,
      })),
    })),
  };
}

export function renderAlertmanagerConfig(tree: RoutingTree, options: AlertmanagerOptions = {}): string {
  return "# Generated by ml-observability-stack from the service descriptions; do not edit.\n" +
    stringify(alertmanagerConfig(tree, options), { lineWidth: 0 });
}

export { alertmanagerTemplate };
