/**
 * An IAM or KMS key policy as a flat list of grants (effect, principal, action, condition), read
 * from either form the synthesized output can hold: a reference to an `aws_iam_policy_document`
 * data source (its `statement` blocks, and any source/override documents) or literal policy JSON.
 * Review compares grant lists to say who gained which permission, whatever the policy's layout.
 */
import { arr, dataSource, isObject, obj, referenceExpression, str, canonical, type Json, type StackDoc } from "../synthOutput";

export interface Grant {
  readonly effect: "Allow" | "Deny";
  /** `AWS:<arn>`, `Service:<name>`, `*` (anyone); empty for identity policies (the role itself). */
  readonly principal: string;
  /** `kms:Decrypt`, `kms:*`, or `NOT kms:Decrypt` for a NotAction statement. */
  readonly action: string;
  /** Stable text of the statement's conditions; empty when unconditional. */
  readonly condition: string;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

function principalKey(type: string, id: string): string {
  return id === "*" && (type === "AWS" || type === "*") ? "*" : `${type}:${id}`;
}

function expand(effect: string | undefined, principals: string[], actions: string[], condition: string): Grant[] {
  const e = effect === "Deny" ? "Deny" : "Allow";
  const ps = principals.length ? principals : [""];
  return ps.flatMap((principal) => actions.map((action) => ({ effect: e, principal, action, condition }) as Grant));
}

/** Grants of one `statement` block of an aws_iam_policy_document data source. */
function documentStatement(s: Json): Grant[] {
  const principals = arr(s.principals).flatMap((p) => list(obj(p).identifiers).map((id) => principalKey(str(obj(p).type) ?? "AWS", id)));
  const notPrincipals = arr(s.not_principals).flatMap((p) => list(obj(p).identifiers).map((id) => `NOT ${principalKey(str(obj(p).type) ?? "AWS", id)}`));
  const actions = [...list(s.actions), ...list(s.not_actions).map((a) => `NOT ${a}`)];
  const condition = arr(s.condition).length ? canonical([...arr(s.condition)].map((c) => canonical(c)).sort()) : "";
  return expand(str(s.effect), [...principals, ...notPrincipals], actions, condition);
}

/** Grants of one statement of literal policy JSON. */
function jsonStatement(s: Json): Grant[] {
  const principals = (p: unknown, prefix: string): string[] =>
    p === "*" ? [`${prefix}*`] : Object.entries(obj(p)).flatMap(([type, ids]) => list(ids).map((id) => `${prefix}${principalKey(type, id)}`));
  const actions = [...list(s.Action), ...list(s.NotAction).map((a) => `NOT ${a}`)];
  const condition = isObject(s.Condition) && Object.keys(s.Condition).length ? canonical(s.Condition) : "";
  return expand(str(s.Effect), [...principals(s.Principal, ""), ...principals(s.NotPrincipal, "NOT ")], actions, condition);
}

/**
 * The grants of a policy attribute's value, or undefined when it cannot be read (a reference to
 * something other than a policy document, or text that is not JSON): callers then compare text.
 */
export function policyGrants(stack: StackDoc, value: unknown, depth = 0): Grant[] | undefined {
  if (typeof value !== "string" || depth > 3) return undefined;
  const ref = referenceExpression(value);
  if (ref) {
    const m = /^data\.aws_iam_policy_document\.([^.]+)\.json$/.exec(ref);
    const doc = m ? dataSource(stack, "aws_iam_policy_document", m[1]) : undefined;
    if (!doc) return undefined;
    const nested = [...list(doc.source_policy_documents), ...list(doc.override_policy_documents)].map((d) => policyGrants(stack, d, depth + 1) ?? []);
    return [...nested.flat(), ...arr(doc.statement).flatMap((s) => documentStatement(obj(s)))];
  }
  try {
    const doc = JSON.parse(value) as unknown;
    const statements = obj(doc).Statement;
    return (Array.isArray(statements) ? statements : [statements]).filter(isObject).flatMap(jsonStatement);
  } catch {
    return undefined;
  }
}

/** Does IAM wildcard `pattern` (`kms:*`, `kms:Decrypt*`, `*`) cover `action` (itself maybe a pattern)? */
export function actionCovers(pattern: string, action: string): boolean {
  if (pattern.startsWith("NOT ") || action.startsWith("NOT ")) return pattern === action;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");
  return re.test(action);
}

/** Head grants of `Allow` that no base grant already gave (same or wider principal and action, no stricter condition). */
export function newGrants(before: readonly Grant[], after: readonly Grant[]): Grant[] {
  const allows = before.filter((g) => g.effect === "Allow");
  return after.filter(
    (g) =>
      g.effect === "Allow" &&
      !allows.some((b) => (b.principal === g.principal || b.principal === "*") && actionCovers(b.action, g.action) && (b.condition === "" || b.condition === g.condition)),
  );
}

/** Deny grants of base that head no longer has. */
export function removedDenies(before: readonly Grant[], after: readonly Grant[]): Grant[] {
  const key = (g: Grant) => `${g.principal}\u0000${g.action}\u0000${g.condition}`;
  const kept = new Set(after.filter((g) => g.effect === "Deny").map(key));
  return before.filter((g) => g.effect === "Deny" && !kept.has(key(g)));
}

/** A principal as a reviewer reads it: references to this account and partition spelt out. */
export function principalText(p: string): string {
  if (p === "*") return "anyone (`*`)";
  if (p === "") return "the role";
  return p
    .replace(/\$\{data\.aws_caller_identity\.[^}]+\.account_id\}/g, "<this account>")
    .replace(/\$\{data\.aws_partition\.[^}]+\.partition\}/g, "aws")
    .replace(/\$\{data\.aws_region\.[^}]+\.name\}/g, "<region>")
    .replace(/^AWS:/, "")
    .replace(/^Service:/, "service ");
}
