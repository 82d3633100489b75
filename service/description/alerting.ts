/** The `alerting` section: where pages and tickets go, and how Grafana routes them. */
import { SECRET_REFERENCE_HINT, SECRET_REFERENCE_PATTERN } from "../secretReferences";
import { arr, dflt, num, obj, oneOfStrings, req, str, type Loose, type Output, type RefineContext } from "../schemaDsl";

export const RECEIVER_SCHEMA = obj("Where alerts of this severity go.", {
  type: req(oneOfStrings("Integration kind.", ["pagerduty", "opsgenie", "slack", "email"])),
  secret: str(
    "Secret reference for the routing key, API key or Slack webhook URL, never the secret itself: `ssm:/path` (an SSM Parameter Store name: segments of [A-Za-z0-9_.-], at most 15 levels, not starting with aws or ssm) or `secretsmanager:name-or-arn` (a Secrets Manager name of [A-Za-z0-9/_+=.@-], at most 512 characters, or its full ARN).",
    { pattern: SECRET_REFERENCE_PATTERN, patternHint: SECRET_REFERENCE_HINT, sensitive: true },
  ),
  channel: str("Slack channel, for slack.", { pattern: /^#[a-z0-9_-]+$/, patternHint: 'use a channel such as "#team-alerts"' }),
  addresses: arr("Email addresses, for email.", str("Email address.", { pattern: /^[^@\s]+@[^@\s]+$/, patternHint: "use an email address" }), {
    minItems: 1,
  }),
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
];

/**
 * Each receiver has what its kind needs, and nothing it would ignore. The example values in the fixes name the service and
 * team, so this runs at the service level. A field that was given but malformed is already
 * reported; only what is absent is reported here.
 */
export function checkReceivers(d: { readonly name?: string; readonly team?: string; readonly alerting?: Loose<Output<typeof ALERTING_SCHEMA>> }, ctx: RefineContext): void {
  for (const which of ["page", "ticket"] as const) {
    const type = d.alerting?.[which]?.type;
    if (type === undefined) continue;
    const p = `alerting.${which}`;
    const given = (k: string) => ctx.given("alerting", which, k);
    if (type !== "email" && !given("secret"))
      ctx.issue(`${p}.secret`, `is required for ${type}: reference the key, e.g. "ssm:/observability/${d.name ?? "service"}/${type}"`);
    if (type === "slack" && !given("channel")) ctx.issue(`${p}.channel`, `is required for slack, e.g. "#${d.team ?? "team"}-alerts"`);
    if (type === "email" && !given("addresses")) ctx.issue(`${p}.addresses`, "is required for email: list at least one address");
    for (const [field, kinds] of RECEIVER_FIELD_KINDS)
      if (given(field) && !kinds.includes(type)) ctx.issue(`${p}.${field}`, `is not used by a ${type} receiver (only by ${kinds.join(", ")}); remove it`);
  }
}

/** Alerting as generators read it: the runbook base without a trailing slash. */
export function buildAlerting(a: Output<typeof ALERTING_SCHEMA>) {
  return { ...a, runbookBaseUrl: a.runbookBaseUrl.replace(/\/+$/, "") };
}
