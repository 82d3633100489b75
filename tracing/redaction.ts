/**
 * The personal data and credentials the collector redacts from every log record before export, as
 * RE2 patterns: the collector's OTTL `replace_pattern` compiles them with Go's regexp, and
 * `findPii` runs the very same patterns through re2js, so `mlobs logs check` flags exactly what the
 * collector would rewrite. The CloudWatch data-protection policy on each log group is the second
 * line behind this one.
 */
import { RE2JS } from "re2js";

export interface PiiPattern {
  /** Short name, also the replacement tag: `[REDACTED:email]`. */
  readonly kind: string;
  /** RE2 syntax (no look-around, no back-references), as Go's regexp reads it. */
  readonly re2: string;
}

/**
 * Order matters: longer, more specific shapes first, so a JWT is not half-eaten by the token rule
 * and a card number not by the phone rule.
 */
export const PII_PATTERNS: readonly PiiPattern[] = [
  { kind: "jwt", re2: String.raw`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}` },
  { kind: "bearer-token", re2: String.raw`(?i)\bbearer\s+[A-Za-z0-9._~+/-]{16,}=*` },
  { kind: "api-key", re2: String.raw`\b(?:sk|pk|rk)-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}|\bhf_[A-Za-z0-9]{30,}|\bgh[pousr]_[A-Za-z0-9]{36,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bA(?:KIA|SIA)[0-9A-Z]{16}\b` },
  { kind: "email", re2: String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}` },
  { kind: "card", re2: String.raw`\b[0-9]{4}(?:[ -]?[0-9]{4}){2}[ -]?[0-9]{1,7}\b` },
  { kind: "ipv6", re2: String.raw`\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b|(?:\b[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{1,4}\b` },
  { kind: "ipv4", re2: String.raw`\b(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}\b` },
  { kind: "phone", re2: String.raw`(?:\+[0-9]{1,3}[ .-]?)?\(?[0-9]{2,4}\)?[ .-][0-9]{3,4}[ .-][0-9]{3,4}\b` },
];

/** The text that replaces a match of `p` (the collector writes the same). */
export const redactionTag = (p: PiiPattern): string => `[REDACTED:${p.kind}]`;

const COMPILED = PII_PATTERNS.map((p) => ({ p, re: RE2JS.compile(p.re2) }));

export interface PiiFinding {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

/** Every match of every pattern in `text`, in pattern order then position; overlaps are kept. */
export function findPii(text: string): PiiFinding[] {
  const out: PiiFinding[] = [];
  for (const { p, re } of COMPILED) {
    const m = re.matcher(text);
    while (m.find()) out.push({ kind: p.kind, start: m.start(), end: m.end() });
  }
  return out;
}

/** `text` as the collector exports it: each pattern's matches replaced by its tag, in order. */
export function redact(text: string): string {
  return COMPILED.reduce((t, { p, re }) => re.matcher(t).replaceAll(redactionTag(p)), text);
}
