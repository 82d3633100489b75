/** Dashboards added, removed and changed: panels added or removed, queries changed, retitled. */
import { clip, lineDiff } from "../markdown";
import type { DashboardInfo, PanelInfo } from "../model/dashboards";
import type { Status } from "./slos";

export interface QueryChange {
  readonly panel: string;
  readonly diff: string;
}

export interface DashboardChange {
  readonly service: string;
  readonly uid: string;
  readonly title: string;
  readonly status: Status;
  readonly panelsAdded: readonly string[];
  readonly panelsRemoved: readonly string[];
  readonly panelsRetitled: readonly string[];
  readonly queriesChanged: readonly QueryChange[];
  /** Other panel edits in words: `P99.5 latency (5m): thresholds red 3 → red 2.56; description`. */
  readonly otherPanelChanges: readonly string[];
  readonly titleChange?: string;
}

const queryText = (p: PanelInfo) => p.queries.map((q) => `${q.refId}: ${q.expr}`).join("\n");

/** Panel titles for a list; a whole row added or removed is one item, `row "…" (n panels)`. */
function panelList(panels: readonly PanelInfo[]): string[] {
  const rows = new Map<string, number>();
  for (const p of panels) if (p.type === "row") rows.set(p.name, 0);
  for (const p of panels) if (p.type !== "row" && p.row !== undefined && rows.has(p.row)) rows.set(p.row, rows.get(p.row)! + 1);
  return panels
    .filter((p) => p.type === "row" || p.row === undefined || !rows.has(p.row))
    .map((p) => (p.type === "row" ? `row "${clip(p.name, 50)}" (${rows.get(p.name)} panels)` : p.title));
}

/** Settings that differ, thresholds spelt out: `thresholds red 3 → red 2.56, description`. */
function settingChanges(x: PanelInfo, y: PanelInfo): string[] {
  const out: string[] = [];
  if (x.thresholds !== y.thresholds) out.push(`thresholds ${x.thresholds || "none"} → ${y.thresholds || "none"}`);
  const keys = [...new Set([...Object.keys(x.settings), ...Object.keys(y.settings)])].sort();
  for (const k of keys) {
    if (x.settings[k] === y.settings[k]) continue;
    // fieldConfig changes that are only the thresholds were said above.
    if (k === "fieldConfig" && x.thresholds !== y.thresholds && x.settings[k].replace(/"steps":\[[^\]]*\]/, "") === y.settings[k].replace(/"steps":\[[^\]]*\]/, "")) continue;
    out.push(k === "fieldConfig" ? "field config" : k);
  }
  return out;
}

export function diffDashboards(before: readonly DashboardInfo[], after: readonly DashboardInfo[]): DashboardChange[] {
  const b = new Map(before.map((d) => [d.uid, d]));
  const a = new Map(after.map((d) => [d.uid, d]));
  const out: DashboardChange[] = [];
  for (const uid of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const x = b.get(uid);
    const y = a.get(uid);
    const d = (y ?? x)!;
    const empty = { panelsAdded: [], panelsRemoved: [], panelsRetitled: [], queriesChanged: [], otherPanelChanges: [] };
    if (!x) {
      out.push({ service: d.service, uid, title: d.title, status: "added", ...empty, panelsAdded: panelList(d.panels) });
      continue;
    }
    if (!y) {
      out.push({ service: d.service, uid, title: d.title, status: "removed", ...empty });
      continue;
    }
    const pb = new Map(x.panels.map((p) => [p.key, p]));
    const pa = new Map(y.panels.map((p) => [p.key, p]));
    const panelsAdded = panelList(y.panels.filter((p) => !pb.has(p.key)));
    const panelsRemoved = panelList(x.panels.filter((p) => !pa.has(p.key)));
    const panelsRetitled: string[] = [];
    const queriesChanged: QueryChange[] = [];
    const otherPanelChanges: string[] = [];
    for (const p of y.panels) {
      const old = pb.get(p.key);
      if (!old) continue;
      const retitled = old.name !== p.name;
      if (retitled) panelsRetitled.push(`${old.name} → ${p.name}`);
      const queriesDiffer = queryText(old) !== queryText(p);
      if (queriesDiffer) queriesChanged.push({ panel: p.title, diff: lineDiff(queryText(old), queryText(p)) });
      const other = settingChanges(old, p);
      if (other.length) otherPanelChanges.push(`${p.name}: ${other.join(", ")}`);
    }
    const titleChange = x.title !== y.title ? `${x.title} → ${y.title}` : undefined;
    const changed = panelsAdded.length + panelsRemoved.length + panelsRetitled.length + queriesChanged.length + otherPanelChanges.length > 0 || titleChange;
    if (changed)
      out.push({ service: d.service, uid, title: y.title, status: "changed", panelsAdded, panelsRemoved, panelsRetitled, queriesChanged, otherPanelChanges, titleChange });
  }
  return out;
}
