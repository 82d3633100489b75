/**
 * What a pasted secret looks like, for the lint's no-secret-literal rule and so the review never
 * prints one. A match is described by its kind and a masked prefix, never echoed whole.
 */

export interface SecretPattern {
  readonly kind: string;
  readonly re: RegExp;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { kind: "AWS access key id", re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: "Slack webhook URL", re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,}/ },
  { kind: "Slack token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  // user:password@ in a URL, unless the password is itself a Terraform reference.
  { kind: "URL with credentials", re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'${}]+:(?!\$\{)[^\s/@"']+@[^\s/"']+/i },
  { kind: "private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { kind: "GitHub token", re: /\bgh[pousr]_[A-Za-z0-9]{30,}\b/ },
  { kind: "Grafana service-account token", re: /\bglsa_[A-Za-z0-9_]{20,}\b/ },
];

/** Fields of a Grafana contact point (or provider) that hold a credential: they must be references. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "integration_key",
  "api_key",
  "api_token",
  "token",
  "bot_token",
  "password",
  "basic_auth_password",
  "authorization_credentials",
  "routing_key",
  "secret",
  "secret_key",
  "access_key",
  "auth",
  "url",
  "webhook_url",
]);

export interface SecretMatch {
  readonly kind: string;
  /** The first few characters and the length, safe to print. */
  readonly masked: string;
}

export const mask = (s: string) => `${s.slice(0, 4)}… (${s.length} characters)`;

/** Secret-looking tokens in a text (deduplicated by kind). */
export function findSecrets(text: string): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const p of SECRET_PATTERNS) {
    const m = p.re.exec(text);
    if (m) found.push({ kind: p.kind, masked: mask(m[0]) });
  }
  return found;
}

/** A value safe to print in a review: secret-looking text is masked. */
export function printable(value: string, field?: string): string {
  const hits = findSecrets(value);
  if (hits.length > 0) return `(${hits[0].kind}, masked: ${hits[0].masked})`;
  if (field && SECRET_FIELDS.has(field) && field !== "url" && !value.startsWith("${")) return `(literal value, masked: ${mask(value)})`;
  return value;
}
