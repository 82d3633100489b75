/**
 * The simulation as text for the terminal: per scenario, when users notice, the first ticket and
 * page, and the alerts that fired; the healthy month's false pages and tickets; the families left
 * out with their reason. Pure.
 */
import { formatMinutes } from "../detection";
import type { ScenarioOutcome } from "./outcome";

const at = (x?: { minute: number; alert?: string; what?: string }) => (x ? `${formatMinutes(x.minute)} (${x.alert ?? x.what})` : "none");

/** A table with columns padded to their widest cell. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

export function firedList(o: ScenarioOutcome): string {
  const starts = o.alerts
    .flatMap((a) => a.windows.filter(([, e]) => e > o.leadInMinutes).slice(0, 1).map(([s]) => ({ a, m: Math.max(0, s - o.leadInMinutes) })))
    .sort((x, y) => x.m - y.m || (x.a.alert < y.a.alert ? -1 : 1));
  return starts.length ? starts.map(({ a, m }) => `${a.alert} (${a.severity}) at ${formatMinutes(m)}`).join(", ") : "no alert fired";
}

export function simulationReport(service: string, outcomes: readonly ScenarioOutcome[], skipped: readonly { family: string; reason: string }[]): string[] {
  const incidents = outcomes.filter((o) => !o.healthy);
  const healthy = outcomes.filter((o) => o.healthy);
  const out = [`${service}: ${outcomes.length} scenario(s)${skipped.length ? `, ${skipped.length} skipped` : ""} (times from the incident start)`, ""];
  if (incidents.length)
    out.push(...textTable(["scenario", "users notice", "first ticket", "first page"], incidents.map((o) => [o.id, at(o.impact), at(o.firstTicket), at(o.firstPage)])), "");
  for (const o of incidents) out.push(`${o.id}: ${firedList(o)}`);
  for (const o of healthy) out.push(`${o.id}: ${o.perMonth!.pages} pages and ${o.perMonth!.tickets} tickets per 30 days of healthy traffic`);
  for (const s of skipped) out.push(`skipped ${s.family}: ${s.reason}`);
  return out;
}
