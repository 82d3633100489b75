/** SLOs added, removed and changed between two versions of one environment. */
import { arrow, fmt, percent, signed } from "../markdown";
import { budgetMinutes, type SloInfo } from "../model/slos";

export type Status = "added" | "removed" | "changed";

export interface SloChange {
  readonly service: string;
  readonly slo: string;
  readonly status: Status;
  readonly before?: SloInfo;
  readonly after?: SloInfo;
  /** What changed, in words (`objective 99.5% → 99.9%`). */
  readonly changes: readonly string[];
}

/** `latency ≤ 3 s`, `quality: bad at ≤ 0.7`, `availability`. */
export function sliText(s: SloInfo): string {
  if (!s.sli) return "(unknown)";
  if (s.threshold === undefined) return s.sli;
  if (s.sli === "latency") return `latency ≤ ${fmt(s.threshold, 4)} s`;
  if (s.sli === "quality") return `quality: bad at score ≤ ${fmt(s.threshold, 4)}`;
  return `${s.sli} (le ${fmt(s.threshold, 4)})`;
}

export const objectiveText = (s?: SloInfo) => (s?.objective === undefined ? "?" : percent(s.objective));
export const periodText = (s?: SloInfo) => (s?.periodDays === undefined ? "?" : `${s.periodDays} d`);

/** `216 min`, or `216 → 43.2 min (−172.8 min)` between two versions. */
export function budgetText(before: SloInfo | undefined, after: SloInfo | undefined): string {
  const b = before ? budgetMinutes(before) : undefined;
  const a = after ? budgetMinutes(after) : undefined;
  if (a === undefined && b === undefined) return "?";
  if (b === undefined) return `${fmt(a!)} min`;
  if (a === undefined) return `${fmt(b)} min`;
  if (a === b) return `${fmt(a)} min`;
  return `${fmt(b)} → ${fmt(a)} min (${signed(a - b)} min)`;
}

export function diffSlos(before: readonly SloInfo[], after: readonly SloInfo[]): SloChange[] {
  const key = (s: SloInfo) => `${s.service}\u0000${s.slo}`;
  const b = new Map(before.map((s) => [key(s), s]));
  const a = new Map(after.map((s) => [key(s), s]));
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  const out: SloChange[] = [];
  for (const k of keys) {
    const x = b.get(k);
    const y = a.get(k);
    const id = (x ?? y)!;
    if (!x) out.push({ service: id.service, slo: id.slo, status: "added", after: y, changes: [] });
    else if (!y) out.push({ service: id.service, slo: id.slo, status: "removed", before: x, changes: [] });
    else {
      const changes: string[] = [];
      if (x.objective !== y.objective) {
        const tighter = (y.objective ?? 0) > (x.objective ?? 0);
        changes.push(`objective ${arrow(objectiveText(x), objectiveText(y))} (${tighter ? "tighter: less error budget" : "looser: more error budget"})`);
      }
      if (x.periodDays !== y.periodDays) changes.push(`period ${arrow(periodText(x), periodText(y))}`);
      if (x.sli !== y.sli || x.threshold !== y.threshold) changes.push(`SLI ${arrow(sliText(x), sliText(y))}`);
      else if (x.sliQuery !== y.sliQuery) changes.push("SLI query changed");
      if (x.description !== y.description) changes.push("description changed");
      if (changes.length > 0) out.push({ service: id.service, slo: id.slo, status: "changed", before: x, after: y, changes });
    }
  }
  return out;
}
