/**
 * `--smtp-*` flags of `mlobs alertmanager`: the one SMTP relay of every email receiver that names
 * none of its own, checked as a description's `alerting.<severity>.smtp` is, each problem named
 * by its flag.
 */
import type { SmtpSettings } from "../alerts/render/alertmanager";
import { SMTP_SCHEMA } from "../service/description/smtp";
import { parse, type Issue } from "../service/schemaDsl";
import { UsageError } from "./usageError";

/** Each flag and the field of SMTP_SCHEMA it sets. */
const FIELD_OF_FLAG = {
  "--smtp-smarthost": "smarthost",
  "--smtp-from": "from",
  "--smtp-auth-username": "authUsername",
  "--smtp-auth-password": "authPassword",
  "--smtp-require-tls": "requireTls",
} as const;

export const SMTP_FLAGS = Object.keys(FIELD_OF_FLAG);
export const SMTP_USAGE = "[--smtp-smarthost HOST:PORT --smtp-from ADDRESS [--smtp-auth-username NAME --smtp-auth-password REF] [--smtp-require-tls false]]";

const flagOf = (field: string): string => Object.entries(FIELD_OF_FLAG).find(([, f]) => f === field)?.[0] ?? field;

/** The relay the flags give, checked; undefined when no `--smtp-*` flag is given. */
export function smtpFromFlags(values: Readonly<Record<string, string>>): SmtpSettings | undefined {
  const given = Object.entries(FIELD_OF_FLAG).filter(([flag]) => values[flag] !== undefined);
  if (given.length === 0) return undefined;
  const raw: Record<string, unknown> = {};
  for (const [flag, field] of given) {
    const v = values[flag];
    if (field !== "requireTls") raw[field] = v;
    else if (v === "true" || v === "false") raw[field] = v === "true";
    else throw new UsageError(`--smtp-require-tls takes true or false, got "${v.slice(0, 20)}"`);
  }
  const issues: Issue[] = [];
  const relay = parse(SMTP_SCHEMA, raw, "", issues);
  if (issues.length > 0 || !relay) throw new UsageError(issues.map((i) => `${flagOf(i.path)}: ${i.message}`).join("\n  "));
  return relay;
}
