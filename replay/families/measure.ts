/**
 * Runs family members with every rule the service generates, as `mlobs simulate` does (range
 * queries in a real Prometheus, checked against promtool in test/simulate.test.ts; every series of
 * the traffic generated), and judges them: degrading ones by their first ticket and first page
 * against when users notice; healthy months by their pages and tickets (alert episodes: not
 * firing, then firing).
 */
import { spawnSync } from "node:child_process";
import { serviceRuleGroups } from "../../alerts";
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import { PROMETHEUS_BIN, PROMTOOL_BIN } from "../../toolkit/prometheusServer";
import { REPLAY_ENVIRONMENT } from "../promtoolScenario";
import { noCache, replayCodeHash, sha256, type SimulationCache } from "../simulate/cache";
import { stepMinutes, type FiringHistory } from "../simulate/probes";
import { simulate } from "../simulate/run";
import { totalMinutes, WARM_UP_MINUTES } from "../scenario";
import { familyTargets, type FamilyScenario, type FamilyTargets } from "./family";

export interface Firing {
  readonly alert: string;
  readonly severity: string;
  /** Minutes since the incident start. */
  readonly minute: number;
}

export interface FamilyResult {
  readonly scenario: FamilyScenario;
  /** First firing of each alert after the incident start. */
  readonly fired: readonly Firing[];
  readonly firstTicket?: Firing;
  readonly firstPage?: Firing;
  /** Alerts that fired during the healthy lead-in (false alarms), by alert. */
  readonly leadInEpisodes: Readonly<Record<string, number>>;
  /** Episodes by alert over the whole replay after the warm-up (healthy months). */
  readonly episodes: readonly { readonly alert: string; readonly severity: string; readonly count: number }[];
  readonly targets?: FamilyTargets;
  readonly verdicts: readonly { readonly what: string; readonly met: boolean }[];
  /** Evaluation seconds when the member was measured (also for a result read from the cache). */
  readonly seconds: number;
  /** Read from the cache: measured by an earlier run on the same rules, traffic code and engines (Prometheus, promtool). */
  readonly cached?: boolean;
}

/**
 * Per alert and severity, the evaluations at which it fired: the first at or after `from` (minutes
 * since the replay's start), and the episodes (firing, not firing at the evaluation before) at
 * evaluations in [`from`, `until`).
 */
function firstFirings(histories: readonly FiringHistory[], step: number, from: number): { alert: string; severity: string; minute: number }[] {
  return histories.flatMap((h) => {
    const k = h.firing.findIndex((f, i) => f && i * step >= from);
    return k < 0 ? [] : [{ alert: h.alert, severity: h.severity, minute: k * step }];
  });
}

function episodes(histories: readonly FiringHistory[], step: number, from: number, until: number): { alert: string; severity: string; count: number }[] {
  return histories.flatMap((h) => {
    let count = 0;
    h.firing.forEach((f, i) => {
      if (f && !h.firing[i - 1] && i * step >= from && i * step < until) count++;
    });
    return count > 0 ? [{ alert: h.alert, severity: h.severity, count }] : [];
  });
}

/** The verdict on the ticket lead before the SLO threshold crossing. */
export const TICKET_BEFORE_CROSSING = "ticket ≥ 24 h before the SLO threshold crossing";

function judge(s: FamilyScenario, firstTicket?: Firing, firstPage?: Firing): { targets: FamilyTargets; verdicts: { what: string; met: boolean }[] } {
  const targets = familyTargets(s);
  const { crossing, outage } = s.impact;
  const verdicts: { what: string; met: boolean }[] = [];
  if (targets.ticketBeforeCrossing !== undefined && crossing !== undefined)
    verdicts.push({ what: TICKET_BEFORE_CROSSING, met: firstTicket !== undefined && crossing - firstTicket.minute >= targets.ticketBeforeCrossing });
  if (targets.ticketBeforeOutage !== undefined && outage !== undefined)
    verdicts.push({ what: "ticket ≥ 48 h before the outage point", met: firstTicket !== undefined && outage - firstTicket.minute >= targets.ticketBeforeOutage });
  if (targets.pageBeforeOutage && outage !== undefined)
    verdicts.push({ what: "page before the outage point", met: firstPage !== undefined && firstPage.minute <= outage });
  if (targets.ticketBeforePage && firstPage !== undefined)
    verdicts.push({ what: "ticket before page", met: firstTicket !== undefined && firstTicket.minute <= firstPage.minute });
  return { targets, verdicts };
}

/** What a cached result is stored as: the scenario is rebuilt by the caller (it holds functions). */
type StoredResult = Omit<FamilyResult, "scenario" | "cached">;

/** Bump when the stored shape or the measurement's meaning changes. (2: range queries over every series instead of promtool over the series the rules read.) */
const CACHE_FORMAT = 2;

/** The engines' versions: Prometheus evaluates the members, promtool any part the range queries refuse. */
let engineVersions: string[] | undefined;
const engineVersionLines = () =>
  (engineVersions ??= [PROMETHEUS_BIN, PROMTOOL_BIN].map((bin) => {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    return `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n")[0];
  }));

/**
 * What a member's result depends on: the service's whole rule file, the member (its id names the
 * family, shape, speed and baseline; its incident is code of replay/, hashed), its timings, the
 * service it replays, the seed, and the engines' versions (Prometheus, promtool). Computed without generating any traffic.
 */
export function familyCacheKey(s: FamilyScenario, seed: number): string {
  const rules = renderRuleFile(serviceRuleGroups(s.service, { environment: REPLAY_ENVIRONMENT }));
  const what = {
    f: CACHE_FORMAT,
    code: replayCodeHash(),
    engines: engineVersionLines(),
    rules: sha256(rules),
    id: s.id,
    family: s.family,
    variant: s.variant,
    leadIn: s.leadInMinutes,
    minutes: s.incidentMinutes,
    step: s.evaluationInterval,
    impact: s.impact,
    seed,
    service: s.service,
  };
  return sha256(JSON.stringify(what));
}

/** Runs one family member with every rule of its service; a result in `cache` under the member's key is used as it is. */
export async function measureFamily(s: FamilyScenario, seed: number, cache: SimulationCache = noCache): Promise<FamilyResult> {
  const key = cache === noCache ? "" : familyCacheKey(s, seed);
  const stored = key ? cache.get<StoredResult>(key) : undefined;
  if (stored) return { ...stored, scenario: s, cached: true };
  const measured = await measureUncached(s, seed);
  if (key) {
    const { scenario: _scenario, ...toStore } = measured;
    cache.set(key, toStore);
  }
  return measured;
}

async function measureUncached(s: FamilyScenario, seed: number): Promise<FamilyResult> {
  const groups = serviceRuleGroups(s.service, { environment: REPLAY_ENVIRONMENT });
  // One member at a time per call: measureFamilies runs `parallel` members at once.
  const [run] = await simulate(s.service, groups, [{ family: s.family, scenario: s, healthy: s.healthy }], { seed, concurrency: 1 });
  const step = stepMinutes(s);
  const fired = firstFirings(run.firing, step, s.leadInMinutes)
    .map((f) => ({ ...f, minute: f.minute - s.leadInMinutes }))
    .sort((a, b) => a.minute - b.minute || (a.alert < b.alert ? -1 : 1));
  const firstTicket = fired.find((f) => f.severity === "ticket");
  const firstPage = fired.find((f) => f.severity === "page");
  const whole = s.healthy ? episodes(run.firing, step, WARM_UP_MINUTES, totalMinutes(s) + 1) : [];
  const leadInEpisodes: Record<string, number> = {};
  if (s.leadInMinutes > WARM_UP_MINUTES)
    for (const e of episodes(run.firing, step, WARM_UP_MINUTES, s.leadInMinutes)) leadInEpisodes[e.alert] = (leadInEpisodes[e.alert] ?? 0) + e.count;
  const { targets, verdicts } = s.healthy ? { targets: undefined, verdicts: healthyVerdicts(whole) } : judge(s, firstTicket, firstPage);
  return { scenario: s, fired, firstTicket, firstPage, leadInEpisodes, episodes: whole, targets, verdicts, seconds: run.evaluationSeconds };
}

function healthyVerdicts(episodes: FamilyResult["episodes"]): { what: string; met: boolean }[] {
  const count = (sev: string) => episodes.filter((e) => e.severity === sev).reduce((n, e) => n + e.count, 0);
  return [
    { what: "0 pages", met: count("page") === 0 },
    { what: "at most 1 ticket in the month", met: count("ticket") <= 1 },
  ];
}

/**
 * Runs family members `parallel` at a time (each member one Prometheus; 2 fill a 2-core
 * machine); with a cache, members measured before on the same rules and code are not run again, and
 * each member is stored as soon as it ends (a long grid can be stopped and resumed).
 */
export async function measureFamilies(all: readonly FamilyScenario[], seed: number, parallel: number, onDone?: (r: FamilyResult) => void, cache: SimulationCache = noCache): Promise<FamilyResult[]> {
  const results: FamilyResult[] = new Array(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const i = next++;
      results[i] = await measureFamily(all[i], seed, cache);
      onDone?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  return results;
}


