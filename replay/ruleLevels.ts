/**
 * Recording rules in dependency levels, for `promtool tsdb create-blocks-from rules`. The
 * backfiller evaluates every rule against what the Prometheus server already holds, so a rule
 * cannot read a series another rule of the same run records (promtool's documentation says so:
 * "rules that refer to other rules being backfilled is not supported"). Level 0 reads only raw
 * series; level n reads series recorded at levels under n. Backfilling level by level, with the
 * server reloaded in between, makes every recorded series available to the next level.
 */
import { isAlert, type RecordingRule, type RuleGroup } from "../alerts/ruleModel";

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Recording groups split by level: `levels[n]` holds each group's rules of level n (empty groups left out). */
export function recordingLevels(groups: readonly RuleGroup[]): RuleGroup[][] {
  const rules = groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlert(r)).map((r) => ({ group: g, rule: r })));
  const recordedNames = [...new Set(rules.map((r) => r.rule.record))];
  const reads = new Map(
    rules.map(({ rule }) => [
      rule,
      recordedNames.filter((n) => new RegExp(`(?:^|[^a-zA-Z0-9_:])${escapeRegex(n)}(?:$|[^a-zA-Z0-9_:])`).test(rule.expr)),
    ]),
  );
  const levelOfName = new Map<string, number>();
  const levelOfRule = new Map<RecordingRule, number>();
  // Relax until stable; a cycle (a rule reading its own name) would never settle, so bound it.
  for (let pass = 0; pass <= rules.length; pass++) {
    let changed = false;
    for (const { rule } of rules) {
      const level = Math.max(-1, ...reads.get(rule)!.filter((n) => n !== rule.record).map((n) => levelOfName.get(n) ?? 0)) + 1;
      if (levelOfRule.get(rule) !== level) {
        levelOfRule.set(rule, level);
        changed = true;
      }
      if ((levelOfName.get(rule.record) ?? -1) < level) levelOfName.set(rule.record, level);
    }
    if (!changed) break;
    if (pass === rules.length) throw new Error("recordingLevels: recording rules depend on each other in a cycle");
  }
  const depth = Math.max(0, ...levelOfRule.values()) + 1;
  return Array.from({ length: depth }, (_, level) =>
    groups
      .map((g) => ({ ...g, rules: g.rules.filter((r) => !isAlert(r) && levelOfRule.get(r as RecordingRule) === level) }))
      .filter((g) => g.rules.length > 0),
  );
}

/** The recording rules (transitively) read by the alerts `keep` selects, with those alerts: e.g. only the paging rules. */
export function rulesFor(groups: readonly RuleGroup[], keep: (alert: { alert: string; labels: Readonly<Record<string, string>> }) => boolean): RuleGroup[] {
  const recorded = groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlert(r)));
  const needed = new Set<RecordingRule>();
  const visit = (expr: string) => {
    for (const r of recorded)
      if (!needed.has(r) && new RegExp(`(?:^|[^a-zA-Z0-9_:])${escapeRegex(r.record)}(?:$|[^a-zA-Z0-9_:])`).test(expr)) {
        needed.add(r);
        visit(r.expr);
      }
  };
  for (const g of groups) for (const r of g.rules) if (isAlert(r) && keep(r)) visit(r.expr);
  return groups
    .map((g) => ({ ...g, rules: g.rules.filter((r) => (isAlert(r) ? keep(r) : needed.has(r as RecordingRule))) }))
    .filter((g) => g.rules.length > 0);
}
