/**
 * The review as Markdown for a PR comment: a verdict, a summary per environment, the data-safety
 * table, then per environment the routing and, per service, SLOs, alerts, who is notified,
 * dashboards and other resources; the terraform plan last. Sorted, capped, no timestamps or paths.
 */
import type { AlertChange } from "./diff/alerts";
import type { DashboardChange } from "./diff/dashboards";
import type { SafetyFinding } from "./diff/dataSafety";
import type { ResourceChange } from "./diff/resources";
import type { SecurityFinding } from "./diff/security";
import { budgetText, objectiveText, periodText, sliText, type SloChange } from "./diff/slos";
import { arrow, capComment, clip, code, details, table } from "./markdown";
import { planSection } from "./renderPlan";
import { detectionBanner, detectionSection } from "./detection/render";
import type { ServiceDetection } from "./detection/impact";
import { dataLossCount, type EnvironmentReview, type Review } from "./review";
import { GRAFANA_STACK_PART, PLATFORM_STACK_PART } from "../service/names";
import { maskSecrets } from "../service/secrets";
import { byString } from "./synthOutput";

export interface RenderOptions {
  /** Data loss was allowed (`--allow-data-loss`, the `allow-data-loss` label). @default false */
  readonly allowDataLoss?: boolean;
  /** The changed services' rules replayed (review/detection/). @default - no detection section */
  readonly detection?: readonly ServiceDetection[];
}

/** Query diffs shown per section before the rest are only counted. */
const MAX_DIFFS = 5;
/** Alerts with one and the same change that are listed one per row; more share a row. */
const SAME_CHANGE_ROWS = 4;
export const REVIEW_MARKER = "<!-- mlobs-review -->";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function counts(items: readonly { status: string }[]): string {
  if (items.length === 0) return "—";
  const by = (s: string) => items.filter((i) => i.status === s).length;
  return (["added", "removed", "changed"] as const)
    .filter((s) => by(s) > 0)
    .map((s) => `${by(s)} ${s}`)
    .join(", ");
}

/** Stack names listed in the header up to this many; more are counted. */
const NAMED_STACKS = 12;

/** The caution banner over security-relevant changes (it does not fail the review). */
function securityBanner(review: Review): string[] {
  const n = review.security.length;
  if (n === 0) return [];
  const areas = [...new Set(review.security.map((f) => f.area))].sort(byString).join(", ");
  return [
    "> [!CAUTION]",
    `> **${plural(n, "security-relevant change")}** (${areas}; see *Security-relevant changes*): who can decrypt or reach the data, who is paged, what is masked. ` +
      "Approve only after reading them.",
  ];
}

function verdict(review: Review, options: RenderOptions): string[] {
  const loss = dataLossCount(review);
  const warnings = review.safety.length - loss;
  if (loss > 0 && !options.allowDataLoss)
    return [
      "> [!CAUTION]",
      `> **${plural(loss, "change")} delete${loss === 1 ? "s" : ""} observability data on apply** (see *Data safety*). ` +
        "If that is intended, add the `allow-data-loss` label (or run `mlobs review --allow-data-loss`).",
    ];
  if (loss > 0)
    return ["> [!WARNING]", `> **${plural(loss, "change")} delete${loss === 1 ? "s" : ""} observability data on apply**; allowed for this review (\`allow-data-loss\`).`];
  if (warnings > 0) return ["> [!NOTE]", `> No data loss; ${plural(warnings, "data-safety warning")} below.`];
  return [];
}

function summary(review: Review): string {
  const rows = review.environments.map((e) => {
    const safety = review.safety.filter((f) => f.environment === e.environment);
    const loss = safety.filter((f) => f.level === "data-loss").length;
    return [
      e.environment,
      counts(e.slos),
      counts(e.alerts.filter((a) => !a.routeOnly)),
      [
        e.routes.length ? plural(e.routes.length, "route") : "",
        e.contactPoints.length ? plural(e.contactPoints.length, "contact point") : "",
        e.notify.length ? `${e.notify.length} re-routed` : "",
      ]
        .filter(Boolean)
        .join(", ") || "—",
      counts(e.dashboards),
      counts(e.resources),
      safety.length === 0 ? "—" : [loss ? `${loss} data loss` : "", safety.length - loss ? plural(safety.length - loss, "warning") : ""].filter(Boolean).join(", "),
    ];
  });
  return table(["Environment", "SLOs", "Alerts", "Routing", "Dashboards", "Other resources", "Data safety"], rows);
}

function safetyTable(findings: readonly SafetyFinding[]): string {
  return table(
    ["", "Where", "Resource", "Change", "What happens", "Fix"],
    findings.map((f) => [
      f.level === "data-loss" ? "⛔ data loss" : "⚠️ warning",
      `${f.environment} / ${f.service}`,
      `${clip(f.resource, 90)}\n${code(f.address)}`,
      f.change,
      f.consequence,
      f.fix,
    ]),
  );
}

function securityTable(findings: readonly SecurityFinding[]): string {
  return table(
    ["", "Where", "Resource", "Change", "What it means"],
    findings.map((f) => [f.area, `${f.environment} / ${f.service}`, `${clip(f.resource, 90)}\n${code(clip(f.address, 200))}`, f.change, f.consequence]),
  );
}

/** `12 stacks: a, b, …` or `1002 stacks`, from the head's manifest. */
function stacksLine(review: Review): string {
  const n = review.headStacks.length;
  const list = n > 0 && n <= NAMED_STACKS ? `: ${review.headStacks.map(code).join(", ")}` : "";
  return `Head manifest: ${plural(n, "stack")}${list}.`;
}

function sloSection(changes: readonly SloChange[]): string[] {
  if (changes.length === 0) return [];
  const rows = changes.map((c) => [
    code(c.slo),
    c.status,
    c.before && c.after ? arrow(objectiveText(c.before), objectiveText(c.after)) : objectiveText(c.after ?? c.before),
    c.before && c.after ? arrow(periodText(c.before), periodText(c.after)) : periodText(c.after ?? c.before),
    budgetText(c.before, c.after),
    c.before && c.after ? arrow(sliText(c.before), sliText(c.after)) : sliText((c.after ?? c.before)!),
  ]);
  const notes = changes.flatMap((c) =>
    c.changes.filter((t) => t === "SLI query changed" || t === "description changed").map((t) => `- ${code(c.slo)}: ${t}`),
  );
  return ["**SLOs**", "", table(["SLO", "", "Objective", "Period", "Error budget per period", "SLI"], rows), ...(notes.length ? ["", ...notes] : []), ""];
}

function alertSection(changes: readonly AlertChange[]): string[] {
  const shown = changes.filter((a) => !a.routeOnly);
  if (shown.length === 0) return [];
  const order = { removed: 0, added: 1, changed: 2 };
  const sorted = [...shown].sort((a, b) => order[a.status] - order[b.status] || byString(a.alert, b.alert));
  // Many alerts with the very same change (a new runbook host) share one row.
  const groups = new Map<string, AlertChange[]>();
  for (const a of sorted) {
    const k = a.status === "changed" ? `${a.status}\u0000${a.changes.join("; ")}` : `${a.status}\u0000${a.alert}`;
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  const distinct = (xs: readonly string[]) => [...new Set(xs)].sort(byString).join("; ");
  const rows = [...groups.values()].map((g) =>
    g.length < SAME_CHANGE_ROWS
      ? g.map((a) => [code(a.alert), a.status, a.severity, a.route, a.changes.join("; ")])
      : [[`${g.length} alerts: ${clip(g.map((a) => a.alert).join(", "), 160)}`, g[0].status, distinct(g.map((a) => a.severity)), distinct(g.map((a) => a.route)), g[0].changes.join("; ")]],
  ).flat();
  const diffs = sorted.flatMap((a) => [
    ...(a.queryDiff ? [{ what: `query of ${a.alert}`, diff: a.queryDiff }] : []),
    ...(a.runbookDiff ? [{ what: `runbook of ${a.alert}`, diff: a.runbookDiff }] : []),
  ]);
  const blocks = diffs.slice(0, MAX_DIFFS).map((d) => details(d.what, d.diff, "diff"));
  if (diffs.length > MAX_DIFFS) blocks.push(`… and ${diffs.length - MAX_DIFFS} more diffs of queries and runbooks.`);
  return [`**Alerts** (${counts(shown)})`, "", table(["Alert", "", "Severity", "Notifies", "Change"], rows), ...(blocks.length ? ["", ...blocks] : []), ""];
}

function notifySection(e: EnvironmentReview, service: string): string[] {
  const rows = e.notify.filter((n) => n.service === service).map((n) => [n.severity, String(n.alerts), n.before, n.after]);
  if (rows.length === 0) return [];
  return ["**Who is notified**", "", table(["Severity", "Alerts", "Before", "After"], rows), ""];
}

function dashboardSection(changes: readonly DashboardChange[]): string[] {
  if (changes.length === 0) return [];
  const list = (all: readonly string[]) => {
    const xs = all.map((x) => (x.startsWith("row ") ? x : clip(x, 70)));
    return xs.length === 0 ? "—" : xs.length > 8 ? `${xs.slice(0, 8).join(", ")} and ${xs.length - 8} more` : xs.join(", ");
  };
  const rows = changes.map((d) => {
    const other = [
      d.titleChange ? `title ${d.titleChange}` : "",
      d.panelsRetitled.length ? `retitled: ${list(d.panelsRetitled)}` : "",
      d.otherPanelChanges.length
        ? d.otherPanelChanges.slice(0, 3).join("; ") + (d.otherPanelChanges.length > 3 ? `; and ${d.otherPanelChanges.length - 3} more panels` : "")
        : "",
    ].filter(Boolean);
    return [
      `${d.title}\n${code(d.uid)}`,
      d.status,
      d.status === "added" ? `${d.panelsAdded.length} panels` : list(d.panelsAdded),
      list(d.panelsRemoved),
      list(d.queriesChanged.map((q) => q.panel)),
      other.join("; ") || "—",
    ];
  });
  const diffs = changes.flatMap((d) => d.queriesChanged.map((q) => ({ d, q })));
  const blocks = diffs.slice(0, MAX_DIFFS).map(({ d, q }) => details(`queries of ${d.title} › ${q.panel}`, q.diff, "diff"));
  if (diffs.length > MAX_DIFFS) blocks.push(`… and ${diffs.length - MAX_DIFFS} more query diffs.`);
  return [
    "**Dashboards**",
    "",
    table(["Dashboard", "", "Panels added", "Panels removed", "Queries changed", "Other"], rows),
    ...(blocks.length ? ["", ...blocks] : []),
    "",
  ];
}

function resourceSection(changes: readonly ResourceChange[], heading = "**Other resources**"): string[] {
  if (changes.length === 0) return [];
  // Resources with the very same change (a re-tagging) share one row.
  const groups = new Map<string, ResourceChange[]>();
  for (const r of changes) {
    const k = `${r.status}\u0000${r.attributes.join("; ")}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const rows = [...groups.values()].map((rs) => {
    const r = rs[0];
    const what =
      rs.length === 1
        ? `${r.path}\n${code(r.address)}`
        : `${rs.length} resources: ${clip(rs.map((x) => x.path).join(", "), 200)}`;
    return [what, r.status, r.attributes.length ? r.attributes.join("; ") : "—"];
  });
  const diffs = changes.flatMap((r) => r.diffs.map((d) => ({ r, d })));
  const blocks = diffs.slice(0, MAX_DIFFS).map(({ r, d }) => details(`${d.attribute} of ${r.path}`, d.diff, "diff"));
  if (diffs.length > MAX_DIFFS) blocks.push(`… and ${diffs.length - MAX_DIFFS} more diffs.`);
  return [heading, "", table(["Resource", "", "Change"], rows), ...(blocks.length ? ["", ...blocks] : []), ""];
}

function routingSection(e: EnvironmentReview): string[] {
  if (e.routes.length + e.contactPoints.length === 0) return [];
  const out = ["#### Routing (notification policy)", ""];
  if (e.routes.length)
    out.push(table(["Route", "", "Before", "After"], e.routes.map((r) => [r.path, r.status, r.before ?? "—", r.after ?? "—"])), "");
  if (e.contactPoints.length)
    out.push(table(["Contact point", "", "Before", "After"], e.contactPoints.map((c) => [code(c.name), c.status, c.before ?? "—", c.after ?? "—"])), "");
  return out;
}

const ENV_WIDE = new Set([PLATFORM_STACK_PART, GRAFANA_STACK_PART]);

function environmentSection(e: EnvironmentReview): string[] {
  const services = [
    ...new Set([
      ...e.slos.map((s) => s.service),
      ...e.alerts.filter((a) => !a.routeOnly).map((a) => a.service),
      ...e.notify.map((n) => n.service),
      ...e.dashboards.map((d) => d.service),
      ...e.resources.map((r) => r.service),
    ]),
  ]
    .filter((s) => !ENV_WIDE.has(s))
    .sort(byString);
  const out = [`### ${e.environment}`, "", ...routingSection(e)];
  for (const s of services) {
    out.push(
      `#### ${s}`,
      "",
      ...sloSection(e.slos.filter((x) => x.service === s)),
      ...alertSection(e.alerts.filter((x) => x.service === s)),
      ...notifySection(e, s),
      ...dashboardSection(e.dashboards.filter((x) => x.service === s)),
      ...resourceSection(e.resources.filter((x) => x.service === s)),
    );
  }
  const wide = e.resources.filter((r) => ENV_WIDE.has(r.service));
  if (wide.length) out.push(...resourceSection(wide, "#### Platform and Grafana (environment-wide)"));
  return out;
}

/** The review as a PR comment. */
export function renderReview(review: Review, options: RenderOptions = {}): string {
  const out = [REVIEW_MARKER, "## Observability review", ""];
  const v = verdict(review, options);
  if (v.length) out.push(...v, "");
  const s = securityBanner(review);
  if (s.length) out.push(...s, "");
  const d = detectionBanner(options.detection ?? []);
  if (d.length) out.push(...d, "");
  out.push(stacksLine(review), "");
  if (review.identical) out.push(`No changes: head synthesizes exactly what base does (${plural(review.stackCount.head, "stack")}).`, "");
  else if (review.environments.length === 0 && review.safety.length === 0 && review.security.length === 0)
    out.push("No changes to SLOs, alerts, routing, dashboards, stored data, key policy, IAM, paging or PII masking; the synthesized output differs only in metadata.", "");
  const stacks = [
    review.stacksAdded.length ? `Stacks added: ${review.stacksAdded.map(code).join(", ")}.` : "",
    review.stacksRemoved.length ? `Stacks removed: ${review.stacksRemoved.map(code).join(", ")}.` : "",
  ].filter(Boolean);
  if (stacks.length) out.push(stacks.join(" "), "");
  if (review.environments.length) out.push(summary(review), "");
  if (review.safety.length) out.push("### Data safety", "", safetyTable(review.safety), "");
  if (review.security.length) out.push("### Security-relevant changes", "", securityTable(review.security), "");
  out.push(...detectionSection(options.detection ?? []));
  for (const e of review.environments) out.push(...environmentSection(e));
  if (review.plan) out.push(...planSection(review.plan));
  // The one place every section passes: any credential-shaped text left in a value, a diff line or
  // a plan error is masked here, so a section added later cannot forget it.
  const text = maskSecrets(out.join("\n")).replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
  return capComment(text);
}
