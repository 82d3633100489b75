/**
 * The detection benchmark: per incident scenario, when the first ticket and the first page fire
 * (promtool's ALERTS, read back through a probe), which receiver the routing tree sends them to,
 * and whether the issue's target is met; plus how many pages 30 healthy days produce.
 */
import { serviceRuleGroups } from "../alerts";
import { routeFor, type RoutingTree } from "../alerts/routing";
import type { ServiceModel } from "../service/model";
import { REPLAY_ENVIRONMENT, measureScenario, pageEpisodesProbe, scenarioRun, type FiringTime } from "./promtoolScenario";
import { rulesFor } from "./ruleLevels";
import { healthyDay } from "./scenarios/healthy";
import type { Scenario } from "./scenario";
import { probeResults, runPromtool } from "./promtoolRun";

export interface Detection {
  readonly scenario: Scenario;
  /** Alerts that fired after the incident started, minutes since its start. */
  readonly fired: readonly FiringTime[];
  readonly firstTicket?: FiringTime;
  readonly firstPage?: FiringTime;
  readonly ticketReceiver?: string;
  readonly pageReceiver?: string;
  /** Whether each part of the target holds; empty when the scenario has no target. */
  readonly verdicts: readonly { readonly what: string; readonly met: boolean }[];
  readonly promtoolSeconds: number;
}

function receiver(tree: RoutingTree, model: ServiceModel, severity: string): string {
  const name = routeFor(tree, { team: model.team, severity });
  const r = tree.receivers.find((x) => x.name === name);
  return r ? `${name} (${r.type})` : name;
}

export async function detect(s: Scenario, tree: RoutingTree, seed: number): Promise<Detection> {
  const { result, firing } = await measureScenario(s, { seed });
  const fired = firing.filter((f) => f.minute >= s.leadInMinutes).map((f) => ({ ...f, minute: f.minute - s.leadInMinutes }));
  const firstTicket = fired.find((f) => f.severity === "ticket");
  const firstPage = fired.find((f) => f.severity === "page");
  const t = s.target;
  const verdicts: { what: string; met: boolean }[] = [];
  if (t?.ticketWithinMinutes !== undefined)
    verdicts.push({ what: `ticket within ${formatMinutes(t.ticketWithinMinutes)}`, met: firstTicket !== undefined && firstTicket.minute <= t.ticketWithinMinutes });
  if (t?.pageWithinMinutes !== undefined)
    verdicts.push({ what: `page within ${formatMinutes(t.pageWithinMinutes)}`, met: firstPage !== undefined && firstPage.minute <= t.pageWithinMinutes });
  if (t?.ticketBeforePage)
    verdicts.push({ what: "ticket before page", met: firstTicket !== undefined && (firstPage === undefined || firstTicket.minute <= firstPage.minute) });
  return {
    scenario: s,
    fired,
    firstTicket,
    firstPage,
    ticketReceiver: firstTicket && receiver(tree, s.service, "ticket"),
    pageReceiver: firstPage && receiver(tree, s.service, "page"),
    verdicts,
    promtoolSeconds: result.seconds,
  };
}

export interface HealthyPages {
  readonly service: string;
  readonly days: number;
  /** Paging episodes by alert (an alert going from not firing to firing). */
  readonly pages: Readonly<Record<string, number>>;
  readonly rules: number;
  readonly promtoolSeconds: number;
}

/**
 * Pages over `days` of healthy traffic, evaluated every minute like production, with only the
 * paging alerts and the recording rules they read loaded (the 5m rates and ratio and the 1h, 30m
 * and 6h ratios): a 30-day replay of every rule would cost promtool a quarter of an hour per
 * service on this machine.
 */
export async function healthyPages(model: ServiceModel, days: number, seed: number): Promise<HealthyPages> {
  const s = healthyDay(model, days, "1m");
  const groups = rulesFor(serviceRuleGroups(model, { environment: REPLAY_ENVIRONMENT }), (a) => a.labels.severity === "page");
  const episodes = pageEpisodesProbe(s);
  const run = scenarioRun(s, { seed, groups, assert: false, probes: [episodes] });
  const result = await runPromtool(run.ruleText, run.suite, 30 * 60 * 1000);
  const got = probeResults(result.output).get(episodes.expr);
  if (!got) throw new Error(`promtool reported nothing for the page probe of ${model.name}:\n${result.output.slice(0, 2000)}`);
  return {
    service: model.name,
    days,
    pages: Object.fromEntries(got.map((g) => [g.labels.alertname, g.value])),
    rules: groups.reduce((n, g) => n + g.rules.length, 0),
    promtoolSeconds: result.seconds,
  };
}

export function formatMinutes(m: number): string {
  if (m < 120) return `${Math.round(m)} min`;
  const h = m / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

/** The Markdown table of the detections and the healthy-days pages. */
export function detectionTable(detections: readonly Detection[], healthy: readonly HealthyPages[]): string {
  const rows = detections.map((d) => {
    const allowedOnly = (f: FiringTime) => d.scenario.mayFire.some((a) => a.alert === f.alert) && !d.scenario.fires.some((a) => a.alert === f.alert);
    const first = (f?: FiringTime) => (f ? `${formatMinutes(f.minute)} (${f.alert}${allowedOnly(f) ? " †" : ""})` : "none");
    const target = d.scenario.target;
    const verdict = d.verdicts.length ? d.verdicts.map((v) => `${v.met ? "met" : "**missed**"}: ${v.what}`).join("; ") : "—";
    const receivers = [d.ticketReceiver && `ticket → ${d.ticketReceiver}`, d.pageReceiver && `page → ${d.pageReceiver}`].filter(Boolean).join("; ") || "—";
    return `| ${d.scenario.id} | ${d.scenario.service.name} | ${first(d.firstTicket)} | ${first(d.firstPage)} | ${receivers} | ${target?.text ?? "—"} | ${verdict} |`;
  });
  const healthyRows = healthy.map((h) => {
    const total = Object.values(h.pages).reduce((a, b) => a + b, 0);
    const which = Object.entries(h.pages).map(([a, n]) => `${a} ×${n}`).join(", ");
    return `| healthy-${h.days}-days | ${h.service} | — | ${total === 0 ? "0 pages" : `${total} pages (${which})`} | — | zero pages on ${h.days} healthy days | ${total === 0 ? "met" : "**missed**"} |`;
  });
  return [
    "| Scenario | Service | Time to first ticket | Time to first page | Receiver reached | Target | Result |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    ...healthyRows,
    "",
    "† Allowed by the scenario, not required: in a replay of a few hours the slow-burn tickets' 1d and 3d windows hold only",
    "those hours, so they fire sooner than they would with a full history (see How it was measured).",
  ].join("\n");
}

/** Every alert each scenario fired, in order, for the doc. */
export function firingDetail(detections: readonly Detection[]): string {
  return detections
    .map(
      (d) =>
        `- **${d.scenario.id}** (${d.scenario.title}; incident starts after ${formatMinutes(d.scenario.leadInMinutes)} of healthy traffic): ` +
        (d.fired.length ? d.fired.map((f) => `${f.alert} (${f.severity}) at ${formatMinutes(f.minute)}`).join(", ") : "no alert fired"),
    )
    .join("\n");
}
