/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per code area, so a
 * missed target names the function to fix.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly share: number;
}

/** Which part of the code a script URL belongs to: a package, a project folder, or node itself. */
export function codeArea(url: string, root: string): string {
  if (!url) return "(native / GC / idle)";
  if (url.startsWith("node:")) return "node internals";
  const path = url.replace(/^file:\/\//, "");
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return nm[1];
  const rel = relative(root, path);
  return rel.startsWith("..") ? path : rel.split("/").slice(0, rel.startsWith(".gen") ? 3 : 1).join("/");
}

/**
 * `file:line` for JavaScript; for TypeScript only the file, since ts-node's transpiled line
 * numbers do not match the source.
 */
function location(url: string, lineNumber: number, root: string): string {
  if (url.startsWith("node:")) return `${url}:${lineNumber + 1}`;
  const rel = relative(root, url.replace(/^file:\/\//, ""));
  return rel.endsWith(".ts") ? rel : `${rel}:${lineNumber + 1}`;
}

/** True for the project's own source (not packages, not generated bindings, not node). */
function isProjectCode(url: string, root: string): boolean {
  if (!url || url.startsWith("node:")) return false;
  const rel = relative(root, url.replace(/^file:\/\//, ""));
  return !rel.startsWith("..") && !rel.startsWith("node_modules") && !rel.startsWith(".gen");
}

export interface ProfileSummaryData {
  readonly totalMs: number;
  /** Self time per function. */
  readonly functions: HotSpot[];
  /** Self time per code area (package or project folder). */
  readonly areas: HotSpot[];
  /**
   * Time per innermost project function on the stack: everything a project function causes in
   * libraries (yaml, cdktf, the foundation SDK) is charged to it, so the cause is named.
   */
  readonly causes: HotSpot[];
}

export function summarizeProfile(file: string, root: string, top = 12): ProfileSummaryData {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  // Sample-accurate self time: each sample's delta belongs to the node it hit.
  if (p.samples && p.timeDeltas) {
    for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
  }
  const totalMs = (p.endTime - p.startTime) / 1000;
  const fn = new Map<string, { name: string; where: string; ms: number }>();
  const area = new Map<string, number>();
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const a = codeArea(url, root);
    const where = url ? location(url, lineNumber, root) : "";
    const key = `${functionName}@${where}`;
    const e = fn.get(key) ?? { name: functionName || "(anonymous)", where, ms: 0 };
    e.ms += ms;
    fn.set(key, e);
    area.set(a, (area.get(a) ?? 0) + ms);
  }
  const cause = new Map<string, { name: string; where: string; ms: number }>();
  for (const [id, ms] of self) {
    let cur: number | undefined = id;
    while (cur !== undefined && !isProjectCode(byId.get(cur)!.callFrame.url, root)) cur = parent.get(cur);
    const n = cur === undefined ? undefined : byId.get(cur)!;
    const where = n ? location(n.callFrame.url, n.callFrame.lineNumber, root) : "";
    const key = n ? `${n.callFrame.functionName}@${where}` : "(no project frame)";
    const e = cause.get(key) ?? { name: n ? n.callFrame.functionName || "(anonymous)" : "(no project frame: module loading, GC, idle)", where, ms: 0 };
    e.ms += ms;
    cause.set(key, e);
  }
  const pct = (ms: number) => ms / totalMs;
  return {
    totalMs,
    functions: [...fn.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((e) => ({ name: e.name, where: e.where, selfMs: e.ms, share: pct(e.ms) })),
    causes: [...cause.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((e) => ({ name: e.name, where: e.where, selfMs: e.ms, share: pct(e.ms) })),
    areas: [...area.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([a, ms]) => ({ name: a, where: "", selfMs: ms, share: pct(ms) })),
  };
}
