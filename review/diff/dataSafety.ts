/**
 * Data-safety findings: changes to where observability data lives (CloudWatch log groups, the AMP
 * workspace and its retention, the KMS key that encrypts both) that delete data on apply, or put it
 * at risk. A `data-loss` finding fails the review unless data loss is allowed; a `warning` does not.
 *
 * The key's rotation and deletion window are security matters (security.ts).
 *
 * ForceNew attributes (a change replaces the resource) are those of AWS provider 5.x: a log
 * group's name, name prefix and class; a workspace's KMS key; a KMS key's spec, usage and region mode.
 */
import { arrow } from "../markdown";
import type { ResourceFinding } from "./finding";
import {
  arr,
  byString,
  canonical,
  describeValue,
  first,
  obj,
  resourcesOf,
  str,
  type Json,
  type Resource,
  type StackDoc,
  type SynthOutput,
} from "../synthOutput";

export type SafetyLevel = "data-loss" | "warning";

export interface SafetyFinding extends ResourceFinding {
  readonly level: SafetyLevel;
  readonly fix: string;
}

interface StoreKind {
  readonly label: string;
  readonly identity: (body: Json) => string | undefined;
  readonly forceNew: readonly string[];
  readonly retention?: string;
  readonly kms?: string;
  readonly holds: string;
}

const STORES: Readonly<Record<string, StoreKind>> = {
  aws_cloudwatch_log_group: {
    label: "log group",
    identity: (b) => str(b.name) ?? str(b.name_prefix),
    forceNew: ["name", "name_prefix", "log_group_class"],
    retention: "retention_in_days",
    kms: "kms_key_id",
    holds: "its log events",
  },
  aws_prometheus_workspace: {
    label: "AMP workspace",
    identity: (b) => str(b.alias),
    forceNew: ["kms_key_arn"],
    kms: "kms_key_arn",
    holds: "every metric sample and rule namespace in it",
  },
  aws_prometheus_workspace_configuration: {
    label: "AMP workspace configuration",
    identity: (b) => str(b.workspace_id),
    forceNew: [],
    retention: "retention_period_in_days",
    holds: "",
  },
  aws_kms_key: {
    label: "KMS key",
    identity: (b) => str(b.description),
    forceNew: ["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"],
    holds: "",
  },
};

const KEY_LOSS = "KMS schedules the key for deletion; once deleted, everything encrypted with it (log groups, the AMP workspace, traces) is unreadable";

/** Days a retention attribute means: absent or 0 is "never expire". */
function retentionDays(v: unknown): number {
  return typeof v === "number" && v > 0 ? v : Number.POSITIVE_INFINITY;
}
const daysText = (d: number) => (d === Number.POSITIVE_INFINITY ? "never expire" : `${d} days`);

function serviceOf(r: Resource): string {
  return str(obj(r.body.tags).service) ?? r.stack.part;
}

function describe(r: Resource, kind: StoreKind): string {
  const id = kind.identity(r.body);
  const tier = str(obj(r.body.tags).tier);
  const named = id && !id.startsWith("${") ? `${kind.label} ${id}` : `${kind.label} ${r.path}`;
  return tier ? `${named} (${tier} tier)` : named;
}

function protections(body: Json): { skipDestroy: boolean; preventDestroy: boolean } {
  return { skipDestroy: body.skip_destroy === true, preventDestroy: obj(body.lifecycle).prevent_destroy === true };
}

/** `moved` blocks of a stack: from-address -> to-address. */
function movedBlocks(stack: StackDoc | undefined): Map<string, string> {
  return new Map(arr(stack?.json.moved).map((m) => [str(obj(m).from) ?? "", str(obj(m).to) ?? ""]));
}

/** `removed` blocks that keep the object (`lifecycle.destroy = false`). */
function keptByRemovedBlock(stack: StackDoc | undefined, address: string): boolean {
  return arr(stack?.json.removed).some((x) => str(obj(x).from) === address && first(obj(x).lifecycle).destroy === false);
}

type Finding = Omit<SafetyFinding, "environment" | "service" | "resource" | "address">;

function removedFindings(r: Resource, kind: StoreKind, head: SynthOutput, headStack: StackDoc | undefined): Finding[] {
  if (r.type === "aws_prometheus_workspace_configuration")
    return [{ level: "warning", change: "removed", consequence: "retention is no longer managed here; AMP keeps the last setting", fix: "keep the configuration resource, or set retention elsewhere", attributes: [] }];
  if (keptByRemovedBlock(headStack, r.address))
    return [{ level: "warning", change: "removed from Terraform by a `removed` block (destroy = false)", consequence: "the data stays, unmanaged", fix: "none needed if intended", attributes: [] }];
  const id = kind.identity(r.body);
  const elsewhere = head.stacks
    .filter((s) => s.environment === r.stack.environment)
    .flatMap((s) => resourcesOf(s, r.type))
    .find((x) => id !== undefined && kind.identity(x.body) === id);
  const { skipDestroy } = protections(r.body);
  if (r.type === "aws_kms_key")
    return [{ level: "data-loss", change: elsewhere ? `moves to ${elsewhere.stack.name}: ${elsewhere.address} (a new key)` : "removed", consequence: KEY_LOSS, fix: "keep the key; to retire it, re-encrypt the data with the new key first and schedule the old key's deletion deliberately", attributes: [] }];
  if (skipDestroy)
    return [{ level: "warning", change: elsewhere ? `moves to ${elsewhere.stack.name}: ${elsewhere.address}` : "removed", consequence: `skip_destroy keeps it in AWS, unmanaged; ${kind.holds} stay${elsewhere ? ", but creating it again at the new address fails while the old one exists" : ""}`, fix: "keep the construct id, or move the state (`terraform state mv`, or a `moved` block via cdktf's `moveTo`)", attributes: [] }];
  if (!headStack)
    return [{ level: "data-loss", change: `its stack ${r.stack.name} is no longer synthesized`, consequence: `the stack stays deployed until destroyed; \`cdktf destroy ${r.stack.name}\` deletes ${kind.holds}`, fix: "keep the service in this environment, or export what must be kept before destroying the stack", attributes: [] }];
  return [{
    level: "data-loss",
    change: elsewhere ? `moves to ${elsewhere.stack.name}: ${elsewhere.address} (construct id or stack changed)` : "removed (destroyed on apply)",
    consequence: elsewhere ? `Terraform destroys it with ${kind.holds} and creates an empty one` : `Terraform deletes it with ${kind.holds}`,
    fix: elsewhere ? "keep the construct id, or move the state (a `moved` block via cdktf's `moveTo`, or `terraform state mv`)" : "keep the resource, or export what must be kept first",
    attributes: [],
  }];
}

function changedFindings(base: SynthOutput, head: SynthOutput, x: Resource, y: Resource, kind: StoreKind): Finding[] {
  const out: Finding[] = [];
  const replaced = kind.forceNew.filter((a) => canonical(x.body[a]) !== canonical(y.body[a]));
  if (replaced.length > 0) {
    const what = replaced.map((a) => `${a} ${arrow(describeValue(base, x.stack, x.body[a]), describeValue(head, y.stack, y.body[a]))}`).join("; ");
    out.push(
      x.type === "aws_kms_key"
        ? { level: "data-loss", change: `replaced: ${what}`, consequence: KEY_LOSS, fix: "keep the key's spec; create a second key and migrate instead", attributes: replaced }
        : {
            level: "data-loss",
            change: `replaced: ${what}`,
            consequence: `Terraform destroys it with ${kind.holds} and creates an empty one${protections(x.body).preventDestroy ? " (prevent_destroy makes the apply fail first)" : ""}`,
            fix: x.type === "aws_cloudwatch_log_group" ? "keep the name (CloudWatch cannot rename a log group); add a new group beside it if needed" : "keep the attribute as it is",
            attributes: replaced,
          },
    );
  }
  if (kind.retention) {
    const b = retentionDays(x.body[kind.retention]);
    const a = retentionDays(y.body[kind.retention]);
    if (a < b)
      out.push({
        level: "data-loss",
        change: `retention ${daysText(b)} → ${daysText(a)}`,
        consequence: `${x.type === "aws_cloudwatch_log_group" ? "events" : "samples"} older than ${daysText(a)} are deleted on apply`,
        fix: `keep ${daysText(b)} (or export what must be kept first)`,
        attributes: [kind.retention],
      });
  }
  if (kind.kms && !replaced.includes(kind.kms)) {
    const b = x.body[kind.kms];
    const a = y.body[kind.kms];
    if (canonical(b) !== canonical(a)) {
      const removed = a === undefined || a === "";
      out.push({
        level: "warning",
        change: removed ? `KMS key removed (was ${describeValue(base, x.stack, b)})` : `KMS key ${describeValue(base, x.stack, b)} → ${describeValue(head, y.stack, a)}`,
        consequence: removed
          ? "new data is no longer encrypted with the customer-managed key"
          : "data already written stays encrypted with the old key: disabling or deleting it makes that data unreadable",
        fix: removed ? "keep kms_key_id" : "keep the old key enabled until the data it encrypts has expired",
        attributes: [kind.kms],
      });
    }
  }
  const pb = protections(x.body);
  const pa = protections(y.body);
  const lost = [pb.skipDestroy && !pa.skipDestroy ? "skip_destroy" : "", pb.preventDestroy && !pa.preventDestroy ? "lifecycle.prevent_destroy" : ""].filter(Boolean);
  if (lost.length > 0)
    out.push({
      level: "data-loss",
      change: `protection removed: ${lost.join(", ")}`,
      consequence: "a later destroy or replacement deletes the log group and its events instead of keeping them",
      fix: "keep skip_destroy and prevent_destroy on the audit tier (ServiceObservability sets both)",
      attributes: lost.map((l) => (l.startsWith("lifecycle") ? "lifecycle" : l)),
    });
  return out;
}

/** Every data-safety finding between base and head, sorted by level, environment, service, resource. */
export function dataSafety(base: SynthOutput, head: SynthOutput): SafetyFinding[] {
  const findings: SafetyFinding[] = [];
  for (const baseStack of base.stacks) {
    const headStack = head.stacks.find((s) => s.name === baseStack.name);
    const moved = movedBlocks(headStack);
    for (const type of Object.keys(STORES).sort(byString)) {
      const kind = STORES[type];
      for (const x of resourcesOf(baseStack, type)) {
        const at = { environment: baseStack.environment, service: serviceOf(x), resource: describe(x, kind), address: `${baseStack.name}: ${x.address}` };
        const target = moved.get(x.address) ?? x.address;
        const y = headStack ? resourcesOf(headStack, type).find((r) => r.address === target) : undefined;
        const found = y ? changedFindings(base, head, x, y, kind) : removedFindings(x, kind, head, headStack);
        findings.push(...found.map((f) => ({ ...at, ...f })));
      }
    }
  }
  const rank = (f: SafetyFinding) => `${f.level === "data-loss" ? 0 : 1}\u0000${f.environment}\u0000${f.service}\u0000${f.resource}\u0000${f.change}`;
  return findings.sort((a, b) => byString(rank(a), rank(b)));
}
