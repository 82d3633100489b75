/**
 * No secret literals anywhere in the synthesized output: every string of every stack is scanned for
 * credential-shaped tokens (service/secrets.ts: AWS, OpenAI, Anthropic, Hugging Face, Google,
 * GitHub, Grafana, Slack and PagerDuty keys, URLs with a password, private keys, `password: …`
 * pairs, tokens in URL queries), and the credential fields of contact points and providers must be Terraform
 * references (an SSM or Secrets Manager read, a variable), never values. Findings mask the value.
 */
import { LABEL } from "../../alerts/conventions";
import { alertsOf } from "../../review/model/alerts";
import { alertRoutes, routingOf } from "../../review/model/routing";
import { findSecrets, mask, SECRET_FIELDS, type SecretFinding } from "../../service/secrets";
import { arr, byString, isObject, obj, referenceExpression, resourcesOf, str, type StackDoc, type SynthOutput } from "../../review/synthOutput";
import type { Finding, LintRule } from "../finding";

export const SECRET_LITERAL: LintRule = {
  id: "secret-literal",
  summary: "no secret literals (cloud and API keys, tokens, Slack webhooks, URLs with credentials, private keys, password pairs); contact-point and provider credential fields are Terraform references",
};

const FIX_REFERENCE =
  'reference the secret instead: alerting.<page|ticket>.secret: "ssm:/…" or "secretsmanager:…" in the service description (the Grafana stack reads it at apply time); then rotate the exposed value, it is in git history';

/**
 * Calls `found` for every string under a JSON value that holds a credential, with its path
 * (`slack[0].url`). The path is joined only for a hit: a 100 MB output has 300,000 strings, and
 * building each one's path would cost more than scanning it.
 */
function scanStrings(x: unknown, path: (string | number)[], found: (path: string, hits: SecretFinding[]) => void): void {
  if (typeof x === "string") {
    const hits = findSecrets(x);
    if (hits.length > 0) found(path.reduce<string>((p, k) => (typeof k === "number" ? `${p}[${k}]` : p ? `${p}.${k}` : k), ""), hits);
  } else if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      path.push(i);
      scanStrings(x[i], path, found);
      path.pop();
    }
  } else if (isObject(x)) {
    for (const k in x) {
      if (k === "//") continue;
      path.push(k);
      scanStrings(x[k], path, found);
      path.pop();
    }
  }
}

/** Services whose alerts reach each contact point of the stack's environment, for naming a finding's service. */
function servicesByContactPoint(output: SynthOutput, stack: StackDoc): Map<string, Set<string>> {
  const routing = routingOf(output, stack.environment);
  const m = new Map<string, Set<string>>();
  for (const a of alertsOf(output, stack.environment))
    for (const t of alertRoutes(routing, a)) m.set(t.contactPoint, (m.get(t.contactPoint) ?? new Set()).add(a.rule.labels[LABEL.service] ?? a.service));
  return m;
}

export function secretFindings(output: SynthOutput): Finding[] {
  const findings: Finding[] = [];
  for (const stack of output.stacks) {
    // Addresses already reported as literal credentials, so the token scan does not report them again.
    const flagged = new Set<string>();
    findings.push(...literalCredentials(stack, credentialBlocks(output, stack), flagged));
    findings.push(...secretTokens(stack, flagged));
  }
  return findings;
}

interface CredentialBlock {
  readonly owner: string;
  readonly service: () => string;
  readonly base: string;
  readonly block: Record<string, unknown>;
  readonly path: string;
}

/** The blocks of the stack's contact points and providers, whose credential fields must be references. */
function credentialBlocks(output: SynthOutput, stack: StackDoc): CredentialBlock[] {
  const blocks: CredentialBlock[] = [];
  // Which services a contact point serves takes every alert of the environment to work out
  // (seconds for 500 services): only done for a finding that names them.
  let reaching: Map<string, Set<string>> | undefined;
  for (const r of resourcesOf(stack, "grafana_contact_point")) {
    const name = str(r.body.name) ?? r.name;
    const services = () => [...((reaching ??= servicesByContactPoint(output, stack)).get(name) ?? [])].sort(byString).join(", ") || stack.part;
    for (const kind of Object.keys(r.body).sort(byString))
      arr(r.body[kind]).forEach((b, i) => {
        if (isObject(b)) blocks.push({ owner: `contact point ${name}`, service: services, base: `${r.address}`, block: b, path: `${kind}[${i}]` });
      });
  }
  for (const [provider, list] of Object.entries(obj(stack.json.provider)).sort(([a], [b]) => byString(a, b)))
    arr(list).forEach((b, i) => {
      if (isObject(b)) blocks.push({ owner: `provider ${provider}`, service: () => stack.part, base: "provider", block: b, path: `${provider}[${i}]` });
    });
  return blocks;
}

/** Credential fields holding a literal instead of a reference; adds each one's address to `flagged`. */
function literalCredentials(stack: StackDoc, blocks: readonly CredentialBlock[], flagged: Set<string>): Finding[] {
  const findings: Finding[] = [];
  for (const c of blocks)
    for (const field of Object.keys(c.block).sort(byString)) {
      const v = c.block[field];
      if (!SECRET_FIELDS.has(field) || typeof v !== "string" || v === "" || referenceExpression(v) !== undefined) continue;
      // A URL with nothing secret-looking in it (the Grafana URL) may be literal.
      if (field === "url" && c.owner.startsWith("provider") && findSecrets(v).length === 0) continue;
      const at = `${stack.name}: ${c.base} ${c.path}.${field}`;
      flagged.add(at);
      const kind = findSecrets(v)[0]?.kind;
      findings.push({
        rule: SECRET_LITERAL.id,
        environment: stack.environment,
        service: c.service(),
        address: at,
        message: `${c.owner}: ${field} holds a literal value${kind ? ` (${kind})` : ""}, masked: ${mask(v)}; credential fields must be Terraform references`,
        fix: FIX_REFERENCE,
      });
    }
  return findings;
}

/** Secret-shaped tokens anywhere in the stack outside the addresses already `flagged`. */
function secretTokens(stack: StackDoc, flagged: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  for (const section of ["resource", "data", "provider", "variable", "output", "locals", "terraform"]) {
    const root = section === "resource" || section === "data" ? [] : [section];
    scanStrings(obj(stack.json)[section], root, (path, hits) => {
      const parts = path.split(".");
      const address = section === "resource" ? `${parts[0]}.${parts[1]}` : section === "data" ? `data.${parts[0]}.${parts[1]}` : parts[0];
      const field = section === "resource" || section === "data" ? parts.slice(2).join(".") : parts.slice(1).join(".");
      const at = `${stack.name}: ${address} ${field}`.trimEnd();
      if (flagged.has(at)) return;
      const tags = section === "resource" ? obj(obj(obj(obj(stack.json.resource)[parts[0]])[parts[1]]).tags) : {};
      findings.push(
        ...hits.map((h) => ({
          rule: SECRET_LITERAL.id,
          environment: stack.environment,
          service: str(tags.service) ?? stack.part,
          address: at,
          message: `${h.kind} in the synthesized output, masked: ${h.masked}`,
          fix: h.kind === "URL with credentials" ? `drop the credentials from the URL and pass them by reference; ${FIX_REFERENCE}` : FIX_REFERENCE,
        })),
      );
    });
  }
  return findings;
}
