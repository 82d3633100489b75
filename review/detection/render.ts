/**
 * The detection impact as PR-comment Markdown: a warning banner for what a reviewer must not miss
 * (a page more than 10% later, a scenario that stops paging, pages added on healthy traffic), per
 * changed service a table of scenario × base, head and delta for the first ticket and the first
 * page (and the healthy month's pages and tickets), and a Mermaid gantt chart, which GitHub
 * renders, of the base's and head's firing windows in the scenario that changed most.
 */
import { WARM_UP_MINUTES } from "../../replay/scenario";
import type { FirstAlert, ScenarioOutcome } from "../../replay/simulate/outcome";
import { code, fmt, mermaidText, table } from "../markdown";
import type { ScenarioComparison, ServiceDetection } from "./impact";

/** Gantt bars drawn at most (base and head together). */
const MAX_BARS = 40;

const minutes = (m: number) => (Math.abs(m) < 120 ? `${Math.round(m)} min` : `${fmt(m / 60, 1)} h`);

function firstCell(f?: FirstAlert): string {
  return f ? `${minutes(f.minute)}\n${code(f.alert)}` : "none";
}

function delta(b?: FirstAlert, h?: FirstAlert): string {
  if (!b && !h) return "—";
  if (!h) return "**no longer fires**";
  if (!b) return "new";
  const d = h.minute - b.minute;
  return d === 0 ? "±0" : d > 0 ? `${minutes(d)} later` : `${minutes(-d)} earlier`;
}

const countDelta = (b: number, h: number) => (h === b ? "±0" : `${h > b ? "+" : "−"}${fmt(Math.abs(h - b), 1)}`);

function rows(scenarios: readonly ScenarioComparison[]): string[][] {
  return scenarios.map(({ base: b, head: h }) =>
    b.healthy
      ? [`${b.id} (per 30 days)`, `${b.perMonth!.tickets} tickets`, `${h.perMonth!.tickets} tickets`, countDelta(b.perMonth!.tickets, h.perMonth!.tickets), `${b.perMonth!.pages} pages`, `${h.perMonth!.pages} pages`, countDelta(b.perMonth!.pages, h.perMonth!.pages)]
      : [b.id, firstCell(b.firstTicket), firstCell(h.firstTicket), delta(b.firstTicket, h.firstTicket), firstCell(b.firstPage), firstCell(h.firstPage), delta(b.firstPage, h.firstPage)],
  );
}

/** Firing minutes after the warm-up, as `alert\u0000severity\u0000minute` keys. */
function firingMinutes(o: ScenarioOutcome): Set<string> {
  const from = Math.max(o.leadInMinutes, WARM_UP_MINUTES);
  const out = new Set<string>();
  for (const a of o.alerts) for (const [s, e] of a.windows) for (let m = Math.max(s, from); m < e; m += o.stepMinutes) out.add(`${a.alert}\u0000${a.severity}\u0000${m}`);
  return out;
}

/** The scenario whose firing differs in the most alert-minutes (incidents before healthy traffic at equal scores). */
export function mostChanged(scenarios: readonly ScenarioComparison[]): ScenarioComparison | undefined {
  let best: { c: ScenarioComparison; score: number } | undefined;
  for (const c of scenarios) {
    const b = firingMinutes(c.base);
    const h = firingMinutes(c.head);
    const score = [...b].filter((k) => !h.has(k)).length + [...h].filter((k) => !b.has(k)).length;
    if (score > 0 && (!best || score > best.score || (score === best.score && best.c.base.healthy && !c.base.healthy))) best = { c, score };
  }
  return best?.c;
}

/** `2024-01-01 00:00` plus minutes since the incident, in Mermaid's parse format (local time, so no zone shift). */
function at(minute: number): string {
  const d = new Date(Date.UTC(2024, 0, 1, 0, minute));
  const p = (x: number) => String(x).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

export function gantt(service: string, c: ScenarioComparison): string[] {
  const bars = (o: ScenarioOutcome) =>
    o.alerts.flatMap((a) =>
      a.windows
        .filter(([, e]) => e > Math.max(o.leadInMinutes, WARM_UP_MINUTES))
        .map(([s, e]) => `    ${mermaidText(`${a.alert} (${a.severity})`)} :${a.severity === "page" ? "crit, " : ""}${at(Math.max(s, o.leadInMinutes) - o.leadInMinutes)}, ${at(e - o.leadInMinutes)}`),
    );
  const b = bars(c.base);
  const h = bars(c.head);
  const cut = b.length + h.length > MAX_BARS;
  const long = c.base.totalMinutes - c.base.leadInMinutes > 1440;
  return [
    "```mermaid",
    "gantt",
    `    title ${mermaidText(`${service} ${c.base.id} firing windows, base vs head (the incident starts on Jan 1 at midnight)`)}`,
    "    dateFormat YYYY-MM-DD HH:mm",
    `    axisFormat ${long ? "%b %e %H:%M" : "%H:%M"}`,
    "    section base",
    ...(b.length ? b.slice(0, MAX_BARS / 2) : ["    nothing fires :milestone, " + at(0) + ", 0m"]),
    "    section head",
    ...(h.length ? h.slice(0, MAX_BARS / 2) : ["    nothing fires :milestone, " + at(0) + ", 0m"]),
    "```",
    ...(cut ? ["", `(${b.length + h.length - MAX_BARS} more firing windows not drawn)`] : []),
  ];
}

/** The banner over the review when any change detects later, stops paging or pages on healthy traffic. */
export function detectionBanner(ds: readonly ServiceDetection[]): string[] {
  const warnings = ds.flatMap((d) => d.warnings.map((w) => `${d.service} (${d.environments.join(", ")}): ${w}`));
  if (warnings.length === 0) return [];
  return ["> [!WARNING]", "> **This change detects incidents later or pages more** (see *Detection impact*):", ...warnings.map((w) => `> - ${w}`)];
}

export function detectionSection(ds: readonly ServiceDetection[]): string[] {
  if (ds.length === 0) return [];
  const out = ["### Detection impact", "", "The base's and the head's rules replayed over the same incidents and healthy traffic (`mlobs simulate`); times from the incident start.", ""];
  for (const d of ds) {
    out.push(`#### ${d.service} (${d.environments.join(", ")})`, "");
    if (d.notSimulated) {
      out.push(`Rules changed; not simulated: ${d.notSimulated}.`, "");
      continue;
    }
    out.push(table(["Scenario", "First ticket (base)", "First ticket (head)", "Δ", "First page (base)", "First page (head)", "Δ"], rows(d.scenarios)), "");
    const changed = mostChanged(d.scenarios);
    if (changed) out.push(`Firing windows in ${code(changed.base.id)}, the scenario that changed most:`, "", ...gantt(d.service, changed), "");
    else out.push("No scenario fires differently.", "");
    for (const s of d.skipped) out.push(`- ${code(s.family)} not replayed: ${s.reason}`);
    for (const n of d.notes) out.push(`- ${n}`);
    if (d.skipped.length + d.notes.length) out.push("");
  }
  return out;
}
