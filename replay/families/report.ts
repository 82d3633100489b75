/**
 * The family tables of docs/detection.md: per degrading family, each member's user impact (SLO
 * threshold crossing, outage point), first ticket and first page, and the issue's targets; per
 * healthy family, the pages and tickets of each month.
 */
import { formatMinutes } from "../detection";
import type { DeadlineEvidence, DeadlineStatistic } from "./limits";
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

const statValue = (v: number | null, unit: "z" | "x") => (v === null || !Number.isFinite(v) ? "—" : unit === "z" ? `${v.toFixed(2)} standard errors` : `${v.toFixed(3)}x`);

/**
 * For each member that missed its ticket lead: what its SLI (and latency) held when the ticket was
 * due, against the same statistic over the service's healthy months, and what that says.
 */
export function deadlineSection(evidence: readonly DeadlineEvidence[]): string {
  if (evidence.length === 0) return "";
  const blocks = evidence.map((e) => {
    const s = e.member;
    const where = (x: DeadlineStatistic) => (x.monthsReaching.length ? `: ${x.monthsReaching.map((m) => `${m.month} ×${m.times}`).join("; ")}` : "");
    const rows = e.statistics.map(
      (x) => `| ${x.what} | ${statValue(x.atDeadline, x.unit)} | ${statValue(x.healthyMax, x.unit)} (${x.healthyMaxMonth || "—"}) | ${x.healthyReaches} in ${x.monthsReaching.length} of ${e.months} months${where(x)} |`,
    );
    const clear = e.statistics.filter((x) => x.healthyReaches === 0);
    const closest = [...e.statistics].sort((a, b) => a.monthsReaching.length - b.monthsReaching.length || a.healthyReaches - b.healthyReaches)[0];
    const verdict =
      clear.length > 0
        ? `${clear.map((x) => `"${x.what}"`).join(" and ")} held more than any healthy month ever did: on this seed a detector reading ${clear.length === 1 ? "it" : "them"} could have ticketed in time without ticketing these months. The evidence was there; what the rules put between it and the ticket (the forecast's horizon and floor, 6 h medians, the hold) cost the lead. One seed's margin, not a proof for others.`
        : `Every statistic was reached on healthy traffic. The closest to telling them apart, "${closest.what}", was reached in ${closest.monthsReaching.length} of ${e.months} months: ` +
          `a detector sensitive enough to ticket this member in time would have ticketed ${closest.monthsReaching.length === 1 ? "that month" : "those months"} too, unless it can tell what makes them reach it from the degradation.`;
    return [
      `**${s.family}, ${s.variant}** (SLO ${s.slo?.name ?? "—"}): the ticket was due at ${formatMinutes(e.deadline)}, 24 h before the crossing at ${formatMinutes(s.impact.crossing ?? 0)}.`,
      "",
      `| Statistic | At the deadline | Highest on ${e.months} healthy months (month) | Times healthy months reached it |`,
      "|---|---|---|---|",
      ...rows,
      "",
      verdict,
    ].join("\n");
  });
  return [
    "### What the missed members held when their tickets were due",
    "",
    "For each member that misses its ticket lead (replay/families/limits.ts): at the deadline, its SLI's bad share against the same hours a day earlier",
    "(in standard errors of the difference, from the counts of the whole window: no median, no hold, no floor; raw, then with each 5 minutes' blips cut) and, for a latency SLO, its mean",
    "latency against the same hour a day earlier; then the same statistic over every healthy month of the service, after their first day.",
    "Each time a healthy month rises to the member's value is a ticket that a detector sensitive enough to catch the member would have raised there.",
    "",
    ...blocks.flatMap((b) => [b, ""]),
  ].join("\n").trimEnd();
}
