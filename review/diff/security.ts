/**
 * Security-relevant changes, read from the synthesized JSON and said in the reviewer's words:
 * who can decrypt the observability data (KMS key policy and grants, the key's rotation and
 * deletion window), who can assume or what can the Grafana workspace's IAM role do (trust policy,
 * inline and attached policies), whether anyone is still paged (paging.ts), and whether PII is
 * still masked in the logs (CloudWatch data-protection policies). The review shows them in a
 * section of their own under a caution banner; they do not fail it (a widened policy can be
 * intended), but nobody should approve them unread.
 */
import {
  arr,
  byString,
  canonical,
  describeValue,
  NO_RUNBOOKS,
  obj,
  referenceExpression,
  resourcesOf,
  str,
  type Resource,
  type StackDoc,
  type SynthOutput,
} from "../synthOutput";
import { actionCovers, newGrants, policyGrants, principalText, removedDenies, type Grant } from "../model/policyGrants";
import type { ResourceFinding } from "./finding";
import { pagingFindings } from "./paging";

export type SecurityArea = "KMS key" | "IAM role" | "paging" | "PII masking";

export interface SecurityFinding extends ResourceFinding {
  readonly area: SecurityArea;
}

type Found = Omit<SecurityFinding, "environment" | "service" | "address" | "resource" | "area">;

const at = (r: Resource) => ({ environment: r.stack.environment, service: str(obj(r.body.tags).service) ?? r.stack.part, address: `${r.stack.name}: ${r.address}` });

/** Resources of one type in head, each with its base counterpart (same stack, same address). */
function pairs(base: SynthOutput, head: SynthOutput, type: string): { x?: Resource; y?: Resource }[] {
  const baseStacks = new Map(base.stacks.map((s) => [s.name, s]));
  const headStacks = new Map(head.stacks.map((s) => [s.name, s]));
  const out: { x?: Resource; y?: Resource }[] = [];
  for (const name of [...new Set([...baseStacks.keys(), ...headStacks.keys()])].sort(byString)) {
    const xs = new Map(resourcesOf(baseStacks.get(name) ?? EMPTY(name), type).map((r) => [r.address, r]));
    const ys = new Map(resourcesOf(headStacks.get(name) ?? EMPTY(name), type).map((r) => [r.address, r]));
    for (const a of [...new Set([...xs.keys(), ...ys.keys()])].sort(byString)) out.push({ x: xs.get(a), y: ys.get(a) });
  }
  return out;
}
const EMPTY = (name: string): StackDoc => ({ name, environment: "", part: "", kind: "other", json: {}, runbooks: NO_RUNBOOKS });

const DECRYPT = "kms:Decrypt";

function grantText(gs: readonly Grant[]): string {
  const byPrincipal = new Map<string, Set<string>>();
  for (const g of gs) byPrincipal.set(g.principal, (byPrincipal.get(g.principal) ?? new Set()).add(g.action + (g.condition ? " (with conditions)" : "")));
  return [...byPrincipal.entries()]
    .sort(([a], [b]) => byString(a, b))
    .map(([p, as]) => `${principalText(p)} may now ${[...as].sort(byString).join(", ")}`)
    .join("; ");
}

/** New grants and dropped denies between two policy values, in words; `subject` says what the policy governs. */
function policyChange(x: Resource, y: Resource, attribute: string, kind: "key" | "trust" | "identity"): Found[] {
  const before = policyGrants(x.stack, x.body[attribute]);
  const after = policyGrants(y.stack, y.body[attribute]);
  if (!before || !after) {
    if (canonical(x.body[attribute]) === canonical(y.body[attribute])) return [];
    // Unreadable on either side (a reference we cannot follow): say it changed, unjudged.
    return [{ change: `${attribute} changed and cannot be read as a policy here`, consequence: "check by hand who gains access", attributes: [attribute] }];
  }
  const added = newGrants(before, after);
  const denies = removedDenies(before, after);
  const out: Found[] = [];
  if (added.length) {
    const anyone = added.some((g) => g.principal === "*" || g.principal.startsWith("NOT "));
    const decrypts = added.some((g) => actionCovers(g.action, DECRYPT) || g.action.startsWith("NOT "));
    const consequence =
      kind === "key"
        ? decrypts
          ? `${anyone ? "anyone" : "these principals"} can decrypt the environment's logs, metrics and traces (everything encrypted with this key)`
          : "these principals can use or manage the key"
        : kind === "trust"
          ? `${anyone ? "anyone" : "these principals"} can assume the role and act with its permissions (read every metric, log and trace Grafana can)`
          : "the role can do more than before";
    out.push({ change: `${kind === "key" ? "key policy" : kind === "trust" ? "trust policy" : "policy"} widened: ${grantText(added)}`, consequence, attributes: [attribute] });
  }
  if (denies.length)
    out.push({
      change: `deny removed: ${denies.map((g) => `${principalText(g.principal)} ${g.action}`).join("; ")}`,
      consequence: "what the statement forbade is allowed again where another statement allows it",
      attributes: [attribute],
    });
  // Same grants, different text (reordered, a sid renamed): nothing to call out.
  return out;
}

/**
 * The base counterpart a new aws_kms_key_policy is judged against: it replaces the policy of the
 * key it names, so it is compared with that key's policy in base (else with nothing).
 */
function baselineFor(base: SynthOutput, y: Resource): Resource {
  const empty: Resource = { ...y, body: { policy: '{"Statement":[]}' } };
  if (y.type !== "aws_kms_key_policy") return empty;
  const ref = referenceExpression(str(y.body.key_id) ?? "");
  const m = ref ? /^(aws_kms_key\.[^.]+)\.(?:id|key_id|arn)$/.exec(ref) : null;
  const stack = base.stacks.find((s) => s.name === y.stack.name);
  const key = m && stack ? resourcesOf(stack, "aws_kms_key").find((k) => k.address === m[1]) : undefined;
  return key ?? empty;
}

function kmsKeyFindings(base: SynthOutput, head: SynthOutput): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (const type of ["aws_kms_key", "aws_kms_key_policy"])
    for (const { x: x0, y } of pairs(base, head, type)) {
      if (!y) continue;
      if (!x0 && type === "aws_kms_key") {
        // A new key: only a policy open to anyone is called out (a new environment brings a key).
        const open = (policyGrants(y.stack, y.body.policy) ?? []).filter((g) => g.effect === "Allow" && (g.principal === "*" || g.principal.startsWith("NOT ")));
        if (open.length)
          out.push({ area: "KMS key", ...at(y), resource: `KMS key ${str(y.body.description) ?? y.path}`, change: `new key open to anyone: ${grantText(open)}`, consequence: "anyone can use it; whatever is encrypted with it is not private", attributes: ["policy"] });
        continue;
      }
      const x = x0 ?? baselineFor(base, y);
      const resource = type === "aws_kms_key" ? `KMS key ${str(y.body.description) ?? y.path}` : `key policy ${y.path}`;
      const found: Found[] = [...policyChange(x, y, "policy", "key")];
      if (type === "aws_kms_key" && x0) {
        if (x.body.enable_key_rotation === true && y.body.enable_key_rotation !== true)
          found.push({ change: "key rotation turned off", consequence: "the key material is no longer rotated yearly", attributes: ["enable_key_rotation"] });
        const wb = typeof x.body.deletion_window_in_days === "number" ? x.body.deletion_window_in_days : 30;
        const wa = typeof y.body.deletion_window_in_days === "number" ? y.body.deletion_window_in_days : 30;
        if (wa < wb)
          found.push({ change: `deletion window ${wb} → ${wa} days`, consequence: "less time to notice and cancel a scheduled deletion of the key (and with it, of every log, metric and trace it encrypts)", attributes: ["deletion_window_in_days"] });
      }
      out.push(...found.map((f) => ({ area: "KMS key" as const, ...at(y), resource, ...f })));
    }
  for (const { x, y } of pairs(base, head, "aws_kms_grant")) {
    if (!y) continue;
    const ops = arr(y.body.operations).filter((o): o is string => typeof o === "string");
    const opsBefore = new Set(arr(x?.body.operations).filter((o): o is string => typeof o === "string"));
    const gained = ops.filter((o) => !opsBefore.has(o));
    const grantee = principalText(describeValue(head, y.stack, y.body.grantee_principal));
    if (x && gained.length === 0 && canonical(x.body.grantee_principal) === canonical(y.body.grantee_principal)) continue;
    out.push({
      area: "KMS key",
      ...at(y),
      resource: `KMS grant ${y.path}`,
      change: `${x ? "grant widened" : "grant added"}: ${grantee} may ${(x ? gained : ops).join(", ") || "(no operations)"} on ${describeValue(head, y.stack, y.body.key_id)}`,
      consequence: ops.some((o) => o === "Decrypt") ? "the grantee can decrypt data encrypted with the key, outside the key policy" : "the grantee can use the key outside the key policy",
      attributes: ["operations", "grantee_principal"],
    });
  }
  return out;
}

/** `aws_iam_role.<name>` a value references (`${aws_iam_role.x.name}` / `.id` / `.arn`). */
function roleRef(v: unknown): string | undefined {
  const ref = referenceExpression(str(v) ?? "");
  const m = ref ? /^(aws_iam_role\.[^.]+)\.(?:name|id|arn)$/.exec(ref) : null;
  return m ? m[1] : str(v);
}

function iamFindings(base: SynthOutput, head: SynthOutput): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (const { x, y } of pairs(base, head, "aws_iam_role")) {
    if (!x || !y) continue;
    const resource = `IAM role ${str(y.body.name) ?? y.path}`;
    const found = [...policyChange(x, y, "assume_role_policy", "trust")];
    const inline = (r: Resource) => new Map(arr(r.body.inline_policy).map((p) => [str(obj(p).name) ?? "", str(obj(p).policy)]));
    const ib = inline(x);
    for (const [name, policy] of inline(y)) {
      const fake = (r: Resource, p: string | undefined): Resource => ({ ...r, body: { policy: p } });
      const change = policyChange(fake(x, ib.get(name) ?? '{"Statement":[]}'), fake(y, policy), "policy", "identity");
      found.push(...change.map((c) => ({ ...c, change: `inline policy ${name || "(unnamed)"}: ${c.change}`, attributes: ["inline_policy"] })));
    }
    const managed = (r: Resource) => new Set(arr(r.body.managed_policy_arns).filter((a): a is string => typeof a === "string"));
    const mb = managed(x);
    const addedArns = [...managed(y)].filter((a) => !mb.has(a)).sort(byString);
    if (addedArns.length)
      found.push({ change: `managed policies attached: ${addedArns.map(principalText).join(", ")}`, consequence: "the role can do what those policies allow", attributes: ["managed_policy_arns"] });
    out.push(...found.map((f) => ({ area: "IAM role" as const, ...at(y), resource, ...f })));
  }
  // Separate policy resources: attachments added, inline role policies added or widened.
  const attachments = (o: SynthOutput) => new Set(o.stacks.flatMap((s) => resourcesOf(s, "aws_iam_role_policy_attachment").map((r) => `${s.name}\u0000${roleRef(r.body.role)}\u0000${str(r.body.policy_arn)}`)));
  const before = attachments(base);
  for (const s of head.stacks)
    for (const r of resourcesOf(s, "aws_iam_role_policy_attachment")) {
      const role = roleRef(r.body.role);
      if (before.has(`${s.name}\u0000${role}\u0000${str(r.body.policy_arn)}`)) continue;
      out.push({
        area: "IAM role",
        ...at(r),
        resource: `IAM role ${role}`,
        change: `policy attached: ${principalText(str(r.body.policy_arn) ?? "(none)")}`,
        consequence: "the role can do what that policy allows",
        attributes: ["policy_arn", "role"],
      });
    }
  for (const { x, y } of pairs(base, head, "aws_iam_role_policy")) {
    if (!y) continue;
    const empty: Resource = { ...y, body: { policy: '{"Statement":[]}' } };
    const change = policyChange(x ?? empty, y, "policy", "identity");
    out.push(...change.map((c) => ({ area: "IAM role" as const, ...at(y), resource: `IAM role ${roleRef(y.body.role)} (policy ${str(y.body.name) ?? y.path})`, ...c })));
  }
  return out;
}

/** Data identifiers a data-protection policy masks (Deidentify statements), short names. */
function maskedIdentifiers(policyDocument: unknown): Set<string> {
  try {
    const doc = obj(JSON.parse(str(policyDocument) ?? ""));
    return new Set(
      arr(doc.Statement)
        .map((s) => obj(s))
        .filter((s) => obj(s.Operation).Deidentify !== undefined)
        .flatMap((s) => arr(s.DataIdentifier).filter((d): d is string => typeof d === "string"))
        .map((d) => d.replace(/^.*data-identifier\//, "")),
    );
  } catch {
    return new Set();
  }
}

/** Per service stack: log group address -> identifiers masked by the policies on it. */
function maskingOf(stack: StackDoc): Map<string, { group: Resource; masked: Set<string> }> {
  const groups = resourcesOf(stack, "aws_cloudwatch_log_group");
  const out = new Map(groups.map((g) => [g.address, { group: g, masked: new Set<string>() }]));
  for (const p of resourcesOf(stack, "aws_cloudwatch_log_data_protection_policy")) {
    const target = str(p.body.log_group_name) ?? "";
    const ref = referenceExpression(target);
    const g = groups.find((x) => (ref ? ref === `${x.address}.name` || ref === `${x.address}.id` : target !== "" && target === str(x.body.name)));
    if (g) maskedIdentifiers(p.body.policy_document).forEach((d) => out.get(g.address)!.masked.add(d));
  }
  return out;
}

function piiFindings(base: SynthOutput, head: SynthOutput): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  const baseStacks = new Map(base.stacks.map((s) => [s.name, s]));
  for (const hs of head.stacks) {
    const bs = baseStacks.get(hs.name);
    if (!bs) continue;
    const before = maskingOf(bs);
    const after = maskingOf(hs);
    const anyMaskedBefore = [...before.values()].some((v) => v.masked.size > 0);
    for (const [address, { group, masked }] of after) {
      const was = before.get(address);
      const tier = str(obj(group.body.tags).tier);
      const resource = `log group ${str(group.body.name) ?? group.path}${tier ? ` (${tier} tier)` : ""}`;
      const base0 = { area: "PII masking" as const, ...at(group), resource, attributes: [] as string[] };
      if (!was) {
        if (masked.size === 0 && anyMaskedBefore)
          out.push({ ...base0, change: "new log group without PII masking (the service's other tiers mask)", consequence: "prompts, answers and user data written to it are stored unmasked" });
        continue;
      }
      if (was.masked.size === 0) continue;
      const lost = [...was.masked].filter((d) => !masked.has(d)).sort(byString);
      if (masked.size === 0)
        out.push({ ...base0, change: "PII masking removed (no data-protection policy masks it any more)", consequence: `${[...was.masked].sort(byString).join(", ")} are stored unmasked from now on` });
      else if (lost.length)
        out.push({ ...base0, change: `PII masking weakened: no longer masks ${lost.join(", ")}`, consequence: "those kinds of personal data are stored unmasked from now on" });
    }
  }
  return out;
}

/** Every security-relevant change between base and head, sorted by environment, area, service, resource. */
export function securityFindings(base: SynthOutput, head: SynthOutput): SecurityFinding[] {
  const all = [...kmsKeyFindings(base, head), ...iamFindings(base, head), ...pagingFindings(base, head), ...piiFindings(base, head)];
  const rank = (f: SecurityFinding) => [f.environment, f.area, f.service, f.resource, f.change].join("\u0000");
  return all.sort((a, b) => byString(rank(a), rank(b)));
}
