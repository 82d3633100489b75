/**
 * The family tables of docs/detection.md: per degrading family, each member's user impact (SLO
 * threshold crossing, outage point), first ticket and first page, and the issue's targets; per
 * healthy family, the pages and tickets of each month.
 */
import { formatMinutes } from "../detection";
import type { FamilyResult } from "./measure";

const at = (m?: number) => (m === undefined ? "—" : formatMinutes(m));
const verdictText = (r: FamilyResult) => (r.verdicts.length ? r.verdicts.map((v) => `${v.met ? "met" : "**missed**"}: ${v.what}`).join("; ") : "—");

function degradingTable(rows: readonly FamilyResult[]): string {
  const line = (r: FamilyResult) => {
    const s = r.scenario;
    const first = (f?: FamilyResult["firstTicket"]) => (f ? `${formatMinutes(f.minute)} (${f.alert})` : "none");
    const falseAlarms = Object.entries(r.leadInEpisodes).map(([a, n]) => `${a} ×${n}`).join(", ") || "none";
    return `| ${s.variant} | ${s.slo?.name ?? "—"} | ${at(s.impact.crossing)} | ${at(s.impact.outage)} | ${first(r.firstTicket)} | ${first(r.firstPage)} | ${verdictText(r)} | ${falseAlarms} |`;
  };
  return [
    "| Member | SLO | Threshold crossing | Outage point | First ticket | First page | Targets | Alerts in the healthy lead-in |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(line),
  ].join("\n");
}

function healthyTable(rows: readonly FamilyResult[]): string {
  const line = (r: FamilyResult) => {
    const list = (sev: string) => r.episodes.filter((e) => e.severity === sev);
    const text = (sev: string) => {
      const l = list(sev);
      const n = l.reduce((a, e) => a + e.count, 0);
      return n === 0 ? "0" : `${n} (${l.map((e) => `${e.alert} ×${e.count}`).join(", ")})`;
    };
    return `| ${r.scenario.service.name} | ${r.scenario.variant} | ${text("page")} | ${text("ticket")} | ${verdictText(r)} |`;
  };
  return ["| Service | Month | Pages | Tickets | Targets |", "|---|---|---|---|---|", ...rows.map(line)].join("\n");
}

/** One table per family, in the order the families were run. */
export function familyTables(results: readonly FamilyResult[]): string {
  const families = [...new Set(results.map((r) => r.scenario.family))];
  return families
    .map((f) => {
      const rows = results.filter((r) => r.scenario.family === f);
      const met = rows.filter((r) => r.verdicts.every((v) => v.met)).length;
      const table = f === "healthy" ? healthyTable(rows) : degradingTable(rows);
      return `### ${f} (${met} of ${rows.length} members meet every target)\n\n${table}`;
    })
    .join("\n\n");
}

/** One line per family for the README. */
export function familySummary(results: readonly FamilyResult[]): string[] {
  const families = [...new Set(results.map((r) => r.scenario.family))];
  return families.map((f) => {
    const rows = results.filter((r) => r.scenario.family === f);
    const met = rows.filter((r) => r.verdicts.every((v) => v.met)).length;
    return `${f}: ${met} of ${rows.length} members meet every target`;
  });
}
