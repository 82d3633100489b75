/**
 * A rule file split into independent parts: alerts that share no recording rule (directly or
 * through the recordings they read) and no rule group can be evaluated apart without changing any result, so each
 * part runs as its own promtool process (the two cores work at once) and is cached on its own
 * (an SLO change leaves the cause and signal tickets' results valid). Recording rules no alert
 * reads are left out: they change no alert.
 */
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import { isAlert, type AlertRule, type RecordingRule, type RuleGroup } from "../../alerts/ruleModel";

export interface RuleComponent {
  readonly groups: readonly RuleGroup[];
  /** The part as a Prometheus rule file; its hash keys the cache. */
  readonly text: string;
}

export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Matches an expression that mentions `name` as a whole metric name (not inside a longer name). */
export const nameMention = (name: string) => new RegExp(`(?:^|[^a-zA-Z0-9_:])${escapeRegex(name)}(?![a-zA-Z0-9_:])`);

/** Recording rules an expression reads, transitively (by recorded name). */
function closure(expr: string, byName: ReadonlyMap<string, readonly RecordingRule[]>, names: readonly { name: string; re: RegExp }[]): Set<RecordingRule> {
  const found = new Set<RecordingRule>();
  const visit = (e: string) => {
    for (const n of names)
      if (n.re.test(e))
        for (const r of byName.get(n.name)!)
          if (!found.has(r)) {
            found.add(r);
            visit(r.expr);
          }
  };
  visit(expr);
  return found;
}

/** The groups' recording rules by recorded name, and a matcher per name. */
function recordingIndex(groups: readonly RuleGroup[]) {
  const byName = new Map<string, RecordingRule[]>();
  for (const g of groups) for (const r of g.rules) if (!isAlert(r)) byName.set(r.record, [...(byName.get(r.record) ?? []), r]);
  return { byName, names: [...byName.keys()].map((name) => ({ name, re: nameMention(name) })) };
}

/** The recording rules that record `wanted` names and every recording they read, transitively; alerts left out, the groups' order kept. */
export function recordingsFor(groups: readonly RuleGroup[], wanted: readonly string[]): RuleGroup[] {
  const { byName, names } = recordingIndex(groups);
  const needed = new Set<RecordingRule>();
  for (const w of wanted)
    for (const r of byName.get(w) ?? []) {
      needed.add(r);
      for (const read of closure(r.expr, byName, names)) needed.add(read);
    }
  return groups.map((g) => ({ ...g, rules: g.rules.filter((r) => !isAlert(r) && needed.has(r)) })).filter((g) => g.rules.length > 0);
}

/** The independent parts of `groups`, in the order of their first alert; each keeps the groups' order. */
export function independentComponents(groups: readonly RuleGroup[]): RuleComponent[] {
  const { byName, names } = recordingIndex(groups);
  const alerts = groups.flatMap((g) => g.rules.filter(isAlert));
  const reads = new Map<AlertRule, Set<RecordingRule>>(alerts.map((a) => [a, closure(a.expr, byName, names)]));
  // Union-find over alerts: two alerts sharing a recording rule are in one part.
  const parent = new Map<AlertRule, AlertRule>(alerts.map((a) => [a, a]));
  const root = (a: AlertRule): AlertRule => (parent.get(a) === a ? a : root(parent.get(a)!));
  // Alerts of one group stay together too: fewer, larger parts (a promtool run costs about half a
  // second before it evaluates anything), each still cached on its own.
  for (const g of groups) {
    const inGroup = g.rules.filter(isAlert);
    for (const a of inGroup.slice(1)) parent.set(root(a), root(inGroup[0]));
  }
  const owner = new Map<RecordingRule, AlertRule>();
  for (const a of alerts)
    for (const r of reads.get(a)!) {
      const o = owner.get(r);
      if (o) parent.set(root(a), root(o));
      else owner.set(r, a);
    }
  const roots = [...new Set(alerts.map(root))];
  return roots.map((top) => {
    const members = new Set(alerts.filter((a) => root(a) === top));
    const needed = new Set([...members].flatMap((a) => [...reads.get(a)!]));
    const part = groups
      .map((g) => ({ ...g, rules: g.rules.filter((r) => (isAlert(r) ? members.has(r) : needed.has(r))) }))
      .filter((g) => g.rules.length > 0);
    return { groups: part, text: renderRuleFile(part) };
  });
}
