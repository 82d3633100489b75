/** A lint finding: which rule, where (environment, service, resource address), what is wrong, and the fix. */

export interface Finding {
  /** Rule id, e.g. `pii-masking`. */
  readonly rule: string;
  readonly environment: string;
  /** The service it concerns, or `platform` / `grafana` for environment-wide resources. */
  readonly service: string;
  /** `<stack>: <type>.<name>`, with a field path when it helps (`… slack[0].url`). */
  readonly address: string;
  readonly message: string;
  readonly fix: string;
}

export interface LintRule {
  readonly id: string;
  /** One line for `mlobs lint --help` and the docs. */
  readonly summary: string;
}

const key = (f: Finding) => [f.rule, f.environment, f.service, f.address, f.message].join("\u0000");

export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return [...findings]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .filter((f) => (seen.has(key(f)) ? false : (seen.add(key(f)), true)));
}

/** `[rule] service (env) address` then the message and the fix, indented. */
export function formatFinding(f: Finding): string {
  return `[${f.rule}] ${f.service} (${f.environment}) ${f.address}\n    ${f.message}\n    fix: ${f.fix}`;
}
