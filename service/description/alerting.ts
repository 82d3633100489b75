/** The `alerting` section: where pages and tickets go, and how Grafana routes them. */
import { SECRET_REFERENCE_HINT, SECRET_REFERENCE_PATTERN } from "../secretReferences";
import { EMAIL_ADDRESS, SMTP_SCHEMA } from "./smtp";
import { arr, dflt, joinPath, num, obj, oneOfStrings, parse, req, str, type Issue, type Loose, type Output, type RefineContext } from "../schemaDsl";

/** Integration kinds of a receiver. */
export const RECEIVER_TYPES = ["pagerduty", "opsgenie", "slack", "email"] as const;

export const RECEIVER_SCHEMA = obj("Where alerts of this severity go.", {
  type: req(oneOfStrings("Integration kind.", RECEIVER_TYPES)),
  secret: str(
    "Secret reference for the routing key, API key or Slack webhook URL, never the secret itself: `ssm:/path` (an SSM Parameter Store name: segments of [A-Za-z0-9_.-], at most 15 levels, not starting with aws or ssm) or `secretsmanager:name-or-arn` (a Secrets Manager name of [A-Za-z0-9/_+=.@-], at most 512 characters, or its full ARN).",
    { pattern: SECRET_REFERENCE_PATTERN, patternHint: SECRET_REFERENCE_HINT, sensitive: true },
  ),
  channel: str("Slack channel, for slack.", { pattern: /^#[a-z0-9_-]+$/, patternHint: 'use a channel such as "#team-alerts"' }),
  addresses: arr("Email addresses, for email.", EMAIL_ADDRESS, { minItems: 1 }),
  smtp: SMTP_SCHEMA,
});

/** Most paging rules a service may have unless it says otherwise. */
export const DEFAULT_PAGING_BUDGET = 6;

/** Values of `alerting.routing`; the first is the default. */
export const ALERT_ROUTINGS = ["policy", "per-rule"] as const;

export const ALERTING_SCHEMA = obj("Alert routing and links.", {
  page: req(RECEIVER_SCHEMA),
  ticket: req(RECEIVER_SCHEMA),
  runbookBaseUrl: req(str("Base URL of the runbooks; each alert links `<base>/<alert-name>`.", { pattern: /^https:\/\/[^\s]+$/, patternHint: "use an https:// URL", maxLength: 500, httpsUrl: true })),
  pagingBudget: dflt(num("Most paging rules the service may have (alert-fatigue guard).", { integer: true, minimum: 1, maximum: 20 }), DEFAULT_PAGING_BUDGET),
  routing: dflt(
    oneOfStrings(
      'How Grafana routes the alerts: "policy" = a team route in the org\'s one notification policy, for one repository holding every service; "per-rule" = each rule names the service\'s own contact point, for teams deploying from their own repositories.',
      ALERT_ROUTINGS,
    ),
    ALERT_ROUTINGS[0],
  ),
});

/** Which receiver kinds read each optional field; on any other kind the field would do nothing. */
const RECEIVER_FIELD_KINDS: readonly (readonly [string, readonly string[]])[] = [
  ["secret", ["pagerduty", "opsgenie", "slack"]],
  ["channel", ["slack"]],
  ["addresses", ["email"]],
  ["smtp", ["email"]],
];

/** Example values for the fixes a receiver's messages suggest. */
interface ReceiverHints {
  readonly service: string;
  readonly team: string;
}

/**
 * The receiver at `at` has what its kind needs, and nothing it would ignore. `given(field)` says
 * whether the user wrote the field; a field given but malformed is already reported, so only what
 * is absent is reported here.
 */
function checkReceiverKind(type: string, at: string, given: (field: string) => boolean, issue: (path: string, message: string) => void, hints: ReceiverHints): void {
  const fieldAt = (field: string) => joinPath(at, field);
  if (type !== "email" && !given("secret")) issue(fieldAt("secret"), `is required for ${type}: reference the key, e.g. "ssm:/observability/${hints.service}/${type}"`);
  if (type === "slack" && !given("channel")) issue(fieldAt("channel"), `is required for slack, e.g. "#${hints.team}-alerts"`);
  if (type === "email" && !given("addresses")) issue(fieldAt("addresses"), "is required for email: list at least one address");
  for (const [field, kinds] of RECEIVER_FIELD_KINDS)
    if (given(field) && !kinds.includes(type)) issue(fieldAt(field), `is not used by a ${type} receiver (only by ${kinds.join(", ")}); remove it`);
}

/**
 * Each receiver of a description has what its kind needs. The example values in the fixes name the
 * service and team, so this runs at the service level.
 */
export function checkReceivers(d: { readonly name?: string; readonly team?: string; readonly alerting?: Loose<Output<typeof ALERTING_SCHEMA>> }, ctx: RefineContext): void {
  for (const which of ["page", "ticket"] as const) {
    const type = d.alerting?.[which]?.type;
    if (type !== undefined)
      checkReceiverKind(type, `alerting.${which}`, (k) => ctx.given("alerting", which, k), ctx.issue, { service: d.name ?? "service", team: d.team ?? "team" });
  }
}

/**
 * A receiver given outside a description (a construct prop, a routing option), checked as a
 * description's receivers are; every problem is appended to `issues` at `path`.
 */
export function parseReceiver(raw: unknown, path: string, issues: Issue[]): Output<typeof RECEIVER_SCHEMA> | undefined {
  const before = issues.length;
  const receiver = parse(RECEIVER_SCHEMA, raw, path, issues);
  const type = (raw as { type?: unknown } | undefined)?.type;
  if (typeof type === "string" && RECEIVER_TYPES.includes(type as never)) {
    const given = (k: string) => raw !== null && typeof raw === "object" && (raw as Record<string, unknown>)[k] !== undefined;
    checkReceiverKind(type, path, given, (p, message) => issues.push({ path: p, message }), { service: "platform", team: "platform" });
  }
  return issues.length === before ? receiver : undefined;
}

/** Alerting as generators read it: the runbook base without a trailing slash. */
export function buildAlerting(a: Output<typeof ALERTING_SCHEMA>) {
  return { ...a, runbookBaseUrl: a.runbookBaseUrl.replace(/\/+$/, "") };
}
