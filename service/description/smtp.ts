/**
 * How an email receiver's notifications leave the Alertmanager: the SMTP relay, the sender and the
 * relay's credentials, the password only ever a secret reference. Read by the Alertmanager config
 * alone: Grafana sends email through its server's own SMTP settings (grafana.ini `[smtp]`), which
 * no Terraform resource sets, so on the Grafana path a synth warning says these settings do nothing
 * there rather than dropping them silently (constructs/grafana/contactPoints.ts).
 */
import { SECRET_REFERENCE_HINT, SECRET_REFERENCE_PATTERN } from "../secretReferences";
import { bool, dflt, obj, req, str } from "../schemaDsl";

/** `host:port`; the host a DNS name or an IPv4 address. */
const SMARTHOST_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?:([1-9][0-9]{0,4})$/;
const emailAddress = (what: string) => str(what, { pattern: /^[^@\s]+@[^@\s]+$/, patternHint: "use an email address" });
export const EMAIL_ADDRESS = emailAddress("Email address.");

export const SMTP_SCHEMA = obj(
  "How the Alertmanager config (`mlobs alertmanager`) sends this receiver's email, in place of the one relay it gives every email receiver (`--smtp-*` flags); without either, `mlobs alertmanager` refuses an email receiver. Alertmanager only: Grafana sends email through its server's own SMTP settings (grafana.ini `[smtp]`), so a synth that deploys this receiver to Grafana warns that these settings do nothing there.",
  {
    smarthost: req(str("SMTP relay, `host:port`, e.g. `smtp.example.com:587`.", { pattern: SMARTHOST_PATTERN, patternHint: 'use host:port, e.g. "smtp.example.com:587"', maxLength: 260 })),
    from: req(emailAddress("Sender address of the notifications.")),
    authUsername: str("User name to authenticate to the relay as; give authPassword with it.", { minLength: 1, maxLength: 200 }),
    authPassword: str(
      "Secret reference to the relay's password (`ssm:/path` or `secretsmanager:name-or-arn`, as for `secret`), never the password; the config reads it from a file (`auth_password_file`) your deployment fills. Give authUsername with it.",
      { pattern: SECRET_REFERENCE_PATTERN, patternHint: SECRET_REFERENCE_HINT, sensitive: true },
    ),
    requireTls: dflt(bool("Require STARTTLS from the relay (Alertmanager's `require_tls`); turn it off only for a relay on a trusted network that offers none."), true),
  },
  {
    refine(s, ctx) {
      const port = s.smarthost === undefined ? undefined : Number(SMARTHOST_PATTERN.exec(s.smarthost)?.[1]);
      if (port !== undefined && port > 65535) ctx.issue("smarthost", `port ${port} is above 65535; use the relay's port, e.g. 587 or 465`);
      if (ctx.given("authUsername") && !ctx.given("authPassword"))
        ctx.issue("authPassword", 'is required with a user name: reference the password, e.g. "ssm:/observability/alertmanager/smtp-password"');
      if (ctx.given("authPassword") && !ctx.given("authUsername"))
        ctx.issue("authUsername", "is required with a password: Alertmanager sends no credentials without a user name");
    },
  },
);
