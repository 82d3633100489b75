/**
 * A scenario's timeline as an SVG a person reads at a glance: each SLO's burn rate (1-hour error
 * ratio over its error budget, log scale, with the 1x pace and the 14.4x fast-page line), the
 * share of each SLO's period budget spent since the replay started, and one row of bars per alert
 * over the minutes it was firing (pages red, tickets amber), with the incident start and the time
 * users notice marked. Every text is XML-escaped; bars carry their alert and minutes as data
 * attributes, so a test can read them back. Pure: outcome in, text out.
 */
import type { ServiceModel } from "../../service/model";
import type { ScenarioOutcome } from "./outcome";

const W = 960;
const LEFT = 250;
const RIGHT = 20;
const PLOT = W - LEFT - RIGHT;
const PANEL = 120;
const ROW = 18;
const COLORS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#7f7f7f", "#bcbd22", "#e377c2"];
const SEVERITY_COLOR: Record<string, string> = { page: "#d62728", ticket: "#ff9f1a" };

/** Text for an SVG/XML text node or attribute value. */
export function xmlText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const n = (x: number) => String(Math.round(x * 10) / 10);

function hoursLabel(minutes: number): string {
  const h = minutes / 60;
  return `${h > 0 ? "+" : ""}${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

interface Frame {
  readonly x: (minute: number) => number;
  readonly o: ScenarioOutcome;
}

function axis(f: Frame, top: number, bottom: number): string[] {
  const span = f.o.totalMinutes;
  const candidates = [15, 30, 60, 120, 180, 360, 720, 1440, 2880, 7200];
  const every = candidates.find((c) => span / c <= 12) ?? 14400;
  const out: string[] = [];
  for (let m = f.o.leadInMinutes % every; m <= span; m += every) {
    out.push(`<line x1="${n(f.x(m))}" y1="${top}" x2="${n(f.x(m))}" y2="${bottom}" stroke="#eee"/>`);
    out.push(`<text x="${n(f.x(m))}" y="${bottom + 14}" font-size="10" text-anchor="middle">${xmlText(hoursLabel(m - f.o.leadInMinutes))}</text>`);
  }
  return out;
}

function burnPanel(f: Frame, model: ServiceModel, top: number): string[] {
  const lo = -1;
  const hi = Math.max(2, Math.ceil(Math.log10(Math.max(1, ...f.o.sli.flatMap((s) => s.points.map(([, v]) => v / budgetOf(model, s.slo)))))));
  const y = (burn: number) => top + PANEL - ((Math.log10(Math.max(burn, 10 ** lo)) - lo) / (hi - lo)) * PANEL;
  const out = [`<text x="10" y="${top + 12}" font-size="12" font-weight="bold">Burn rate (1h, log)</text>`];
  for (const [v, label] of [[1, "1x budget pace"], [14.4, "14.4x fast page"]] as const)
    out.push(`<line x1="${LEFT}" y1="${n(y(v))}" x2="${W - RIGHT}" y2="${n(y(v))}" stroke="#999" stroke-dasharray="2,3"/><text x="${LEFT - 4}" y="${n(y(v) + 3)}" font-size="10" text-anchor="end">${label}</text>`);
  f.o.sli.forEach((s, i) => {
    const budget = budgetOf(model, s.slo);
    const pts = s.points.map(([m, v]) => `${n(f.x(m))},${n(y(v / budget))}`).join(" ");
    out.push(`<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5" points="${pts}"><title>${xmlText(s.slo)}</title></polyline>`);
  });
  return out;
}

const budgetOf = (model: ServiceModel, slo: string) => 1 - (model.slos.find((s) => s.name === slo)?.objective ?? 0.999);
const periodOf = (model: ServiceModel, slo: string) => (model.slos.find((s) => s.name === slo)?.periodDays ?? 30) * 1440;

function budgetPanel(f: Frame, model: ServiceModel, top: number): string[] {
  const spent = f.o.sli.map((s) => {
    let total = 0;
    let prev = 0;
    const points = s.points.map(([m, v]) => {
      total += ((v / budgetOf(model, s.slo)) * (m - prev)) / periodOf(model, s.slo);
      prev = m;
      return [m, total] as const;
    });
    return { slo: s.slo, points };
  });
  const max = Math.max(0.1, ...spent.flatMap((s) => s.points.map(([, v]) => v)));
  const y = (v: number) => top + PANEL - (v / max) * PANEL;
  const out = [
    `<text x="10" y="${top + 12}" font-size="12" font-weight="bold">Error budget spent</text>`,
    `<text x="${LEFT - 4}" y="${top + 10}" font-size="10" text-anchor="end">${n(max * 100)}% of the period</text>`,
  ];
  spent.forEach((s, i) => {
    const pts = s.points.map(([m, v]) => `${n(f.x(m))},${n(y(v))}`).join(" ");
    out.push(`<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5" points="${pts}"><title>${xmlText(s.slo)}</title></polyline>`);
  });
  return out;
}

function legend(f: Frame, top: number): string[] {
  return f.o.sli.map((s, i) => {
    const x = LEFT + (i % 4) * 170;
    const y = top + Math.floor(i / 4) * 14;
    return `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${x + 14}" y="${y + 1}" font-size="11">${xmlText(s.slo)}</text>`;
  });
}

function alertRows(f: Frame, top: number): string[] {
  const out = [`<text x="10" y="${top - 4}" font-size="12" font-weight="bold">Alerts firing</text>`];
  f.o.alerts.forEach((a, i) => {
    const y = top + i * ROW;
    out.push(`<text x="${LEFT - 4}" y="${y + 12}" font-size="11" text-anchor="end">${xmlText(`${a.alert} (${a.severity})`)}</text>`);
    for (const [s, e] of a.windows)
      out.push(
        `<rect class="firing" data-alert="${xmlText(a.alert)}" data-severity="${xmlText(a.severity)}" data-start="${s}" data-end="${e}" ` +
          `x="${n(f.x(s))}" y="${y + 2}" width="${n(Math.max(1, f.x(e) - f.x(s)))}" height="${ROW - 4}" fill="${SEVERITY_COLOR[a.severity] ?? "#555"}"/>`,
      );
  });
  if (f.o.alerts.length === 0) out.push(`<text x="${LEFT}" y="${top + 12}" font-size="11">no alert fired</text>`);
  return out;
}

function markers(f: Frame, top: number, bottom: number): string[] {
  const out: string[] = [];
  const mark = (m: number, color: string, label: string) =>
    out.push(
      `<line x1="${n(f.x(m))}" y1="${top}" x2="${n(f.x(m))}" y2="${bottom}" stroke="${color}" stroke-width="1.5" stroke-dasharray="5,3"/>`,
      `<text x="${n(f.x(m) + 3)}" y="${top + 10}" font-size="10" fill="${color}">${xmlText(label)}</text>`,
    );
  if (f.o.leadInMinutes > 0) mark(f.o.leadInMinutes, "#555", "incident starts");
  if (f.o.impact) mark(f.o.leadInMinutes + f.o.impact.minute, "#d62728", `users notice: ${f.o.impact.what}`);
  return out;
}

export function timelineSvg(model: ServiceModel, o: ScenarioOutcome): string {
  const f: Frame = { o, x: (m) => LEFT + (m / o.totalMinutes) * PLOT };
  const burnTop = 50;
  const budgetTop = burnTop + PANEL + 30;
  const legendTop = budgetTop + PANEL + 34;
  const rowsTop = legendTop + Math.ceil(o.sli.length / 4) * 14 + 24;
  const bottom = rowsTop + Math.max(1, o.alerts.length) * ROW;
  const height = bottom + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif">`,
    `<rect width="${W}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${xmlText(`${model.name}: ${o.id}`)}</text>`,
    `<text x="10" y="38" font-size="11">${xmlText(o.title)}</text>`,
    ...axis(f, burnTop, bottom),
    ...burnPanel(f, model, burnTop),
    ...budgetPanel(f, model, budgetTop),
    ...legend(f, legendTop),
    ...alertRows(f, rowsTop),
    ...markers(f, burnTop, bottom),
    "</svg>",
    "",
  ].join("\n");
}
