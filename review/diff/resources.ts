/**
 * Everything else that changed: resources added, removed or changed that the SLO, alert, routing and
 * dashboard sections do not already explain, with the attributes that differ (values shown when
 * short, secrets masked, references described). Recording rules are summarized by rule.
 */
import { isAlert, type RecordingRule } from "../../alerts/ruleModel";
import { clip, lineDiff } from "../markdown";
import { parseRuleFile } from "../model/ruleNamespaces";
import { printable } from "../../service/secrets";
import { serviceOfFolderTitle } from "../../service/names";
import {
  byString,
  canonical,
  describeValue,
  isObject,
  resourcesOf,
  str,
  obj,
  withoutMetadata,
  type Resource,
  type StackDoc,
  type SynthOutput,
} from "../synthOutput";
import type { SafetyFinding } from "./dataSafety";
import type { Status } from "./slos";

export interface ResourceChange {
  readonly environment: string;
  /** Service name, `platform` or `grafana`. */
  readonly service: string;
  /** `<stack>: <type>.<name>`. */
  readonly address: string;
  /** Construct path, e.g. `service/tracing/sampling`. */
  readonly path: string;
  readonly type: string;
  readonly status: Status;
  readonly attributes: readonly string[];
  /** Line diffs of long text attributes (a collector config, a policy document). */
  readonly diffs: readonly { readonly attribute: string; readonly diff: string }[];
}

/** Types the other sections explain. */
const EXPLAINED = new Set(["grafana_rule_group", "grafana_dashboard", "grafana_notification_policy", "grafana_contact_point"]);
const MAX_VALUE = 60;

function valueText(output: SynthOutput, stack: StackDoc, v: unknown, field: string): string | undefined {
  if (typeof v === "string") {
    const d = describeValue(output, stack, v);
    const p = d === v ? printable(v, field) : d;
    return p.length <= MAX_VALUE && !p.includes("\n") ? p : undefined;
  }
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === undefined) return "(unset)";
  const c = canonical(v);
  return c.length <= MAX_VALUE ? printable(c, field) : undefined;
}

/** Labels that describe a recorded series rather than identify it (slo:info carries them). */
const DESCRIPTIVE_LABELS = new Set(["team", "objective", "description", "sli"]);

function recordingRules(text: string): Map<string, RecordingRule> {
  try {
    const rules = parseRuleFile(text).flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlert(r)));
    const identity = (r: RecordingRule) =>
      r.record + canonical(Object.fromEntries(Object.entries(r.labels ?? {}).filter(([k]) => !DESCRIPTIVE_LABELS.has(k))));
    return new Map(rules.map((r) => [identity(r), r]));
  } catch {
    return new Map();
  }
}

function ruleName(r: RecordingRule): string {
  const slo = r.labels?.slo;
  return slo ? `${r.record}{slo=${slo}}` : r.record;
}

function recordingRuleChanges(before: string, after: string): string[] {
  const b = recordingRules(before);
  const a = recordingRules(after);
  const added = [...a.keys()].filter((k) => !b.has(k));
  const removed = [...b.keys()].filter((k) => !a.has(k));
  const changed = [...a.keys()].filter((k) => b.has(k) && canonical(b.get(k)) !== canonical(a.get(k)));
  const list = (keys: string[], m: Map<string, RecordingRule>) => {
    const names = [...new Set(keys.map((k) => ruleName(m.get(k)!)))].sort(byString);
    return names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
  };
  const out: string[] = [];
  if (added.length) out.push(`recording rules added (${added.length}): ${list(added, a)}`);
  if (removed.length) out.push(`recording rules removed (${removed.length}): ${list(removed, b)}`);
  if (changed.length) out.push(`recording rules changed (${changed.length}): ${list(changed, a)}`);
  if (out.length === 0 && before !== after) out.push("rule file changed (comments or order)");
  return out;
}

/** Long text worth a line diff: several lines. Secret-looking lines are masked when the review is rendered. */
const diffable = (v: unknown): v is string => typeof v === "string" && v.includes("\n");

function attributeChanges(base: SynthOutput, head: SynthOutput, x: Resource, y: Resource, skip: ReadonlySet<string>) {
  const bx = withoutMetadata(x.body);
  const by = withoutMetadata(y.body);
  const out: string[] = [];
  const rules: string[] = [];
  const diffs: { attribute: string; diff: string }[] = [];
  for (const k of [...new Set([...Object.keys(bx), ...Object.keys(by)])].sort(byString)) {
    if (skip.has(k) || canonical(bx[k]) === canonical(by[k])) continue;
    if (x.type === "aws_prometheus_rule_group_namespace" && k === "data") {
      rules.push(...recordingRuleChanges(str(bx[k]) ?? "", str(by[k]) ?? ""));
      continue;
    }
    if (isObject(bx[k]) && isObject(by[k])) {
      const inner = obj(bx[k]);
      const innerY = obj(by[k]);
      for (const ik of [...new Set([...Object.keys(inner), ...Object.keys(innerY)])].sort(byString)) {
        if (canonical(inner[ik]) === canonical(innerY[ik])) continue;
        const vb = valueText(base, x.stack, inner[ik], ik);
        const va = valueText(head, y.stack, innerY[ik], ik);
        out.push(vb !== undefined && va !== undefined ? `${k}.${ik} ${vb} → ${va}` : `${k}.${ik} changed`);
      }
      continue;
    }
    const vb = valueText(base, x.stack, bx[k], k);
    const va = valueText(head, y.stack, by[k], k);
    out.push(vb !== undefined && va !== undefined ? `${k} ${vb} → ${va}` : `${k} changed`);
    if (diffable(bx[k]) && diffable(by[k])) diffs.push({ attribute: k, diff: lineDiff(bx[k], by[k]) });
  }
  return { attributes: [...rules, ...out.map((s) => clip(s, 160))], diffs };
}

function serviceOf(r: Resource): string {
  const tagged = str(obj(r.body.tags).service);
  if (tagged) return tagged;
  if (r.type === "grafana_folder") return serviceOfFolderTitle(str(r.body.title) ?? r.name);
  return r.stack.part;
}

/**
 * Resource changes of one environment not explained elsewhere; attributes a data-safety or security
 * finding covers are left out.
 */
export function diffResources(
  base: SynthOutput,
  head: SynthOutput,
  environment: string,
  safety: readonly Pick<SafetyFinding, "address" | "attributes">[],
): ResourceChange[] {
  const covered = new Map<string, Set<string>>();
  for (const f of safety) {
    const s = covered.get(f.address) ?? new Set<string>();
    f.attributes.forEach((a) => s.add(a));
    covered.set(f.address, s);
  }
  const stacks = [...new Set([...base.stacks, ...head.stacks].filter((s) => s.environment === environment).map((s) => s.name))].sort(byString);
  const out: ResourceChange[] = [];
  for (const name of stacks) {
    const bs = base.stacks.find((s) => s.name === name);
    const hs = head.stacks.find((s) => s.name === name);
    const bres = new Map((bs ? resourcesOf(bs) : []).filter((r) => !EXPLAINED.has(r.type)).map((r) => [r.address, r]));
    const hres = new Map((hs ? resourcesOf(hs) : []).filter((r) => !EXPLAINED.has(r.type)).map((r) => [r.address, r]));
    for (const address of [...new Set([...bres.keys(), ...hres.keys()])].sort(byString)) {
      const x = bres.get(address);
      const y = hres.get(address);
      const r = (y ?? x)!;
      const at = { environment, service: serviceOf(r), address: `${name}: ${address}`, path: r.path, type: r.type };
      if (!x) out.push({ ...at, status: "added", attributes: [], diffs: [] });
      else if (!y) {
        // A removed data store is already in the data-safety table.
        if (!covered.has(at.address)) out.push({ ...at, status: "removed", attributes: [], diffs: [] });
      } else {
        const { attributes, diffs } = attributeChanges(base, head, x, y, covered.get(at.address) ?? new Set());
        if (attributes.length > 0) out.push({ ...at, status: "changed", attributes, diffs });
      }
    }
  }
  return out;
}
