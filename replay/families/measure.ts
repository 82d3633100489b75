/**
 * Runs family members through promtool with every rule the service generates, and judges them:
 * degrading ones by their first ticket and first page against when users notice; healthy months
 * by their pages and tickets (alert episodes: not firing, then firing).
 */
import { spawnSync } from "node:child_process";
import { serviceRuleGroups } from "../../alerts";
import { durationSeconds } from "../../alerts/promql";
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import { probe, probeResults, runPromtool, type PromqlExprTest } from "../promtoolRun";
import { PROMTOOL_BIN } from "../../toolkit/prometheusServer";
import { REPLAY_ENVIRONMENT, scenarioRun } from "../promtoolScenario";
import { noCache, replayCodeHash, sha256, type SimulationCache } from "../simulate/cache";
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
  /** promtool's seconds when the member was measured (also for a result read from the cache). */
  readonly seconds: number;
  /** Read from the cache: measured by an earlier run on the same rules, traffic code and promtool. */
  readonly cached?: boolean;
}

function lastEvaluation(s: FamilyScenario): { step: number; at: number } {
  const step = durationSeconds(s.evaluationInterval) / 60;
  return { step, at: Math.floor(totalMinutes(s) / step) * step };
}

/**
 * promtool refuses a query that loads over about 10,000 samples, so every probe covers one day
 * at most: `[from, until)` in chunks of a day, each ending at an evaluation.
 */
function chunks(s: FamilyScenario, from: number, until: number): { readonly end: number; readonly span: number }[] {
  const { step } = lastEvaluation(s);
  const out: { end: number; span: number }[] = [];
  for (let start = Math.ceil(from / step) * step; start < until; start += PROBE_SPAN) {
    const end = Math.min(until, start + PROBE_SPAN);
    const last = Math.floor(end / step) * step;
    if (last > start) out.push({ end: last, span: last - start });
  }
  return out;
}

const PROBE_SPAN = 1440;

/** Probe results are keyed by expression: each chunk's carries its end as a label, so no two are alike. */
const chunkExpr = (expr: string, end: number) => `label_replace(${expr}, "chunk", "${end}", "", "")`;

function firstAfterProbes(s: FamilyScenario, from: number): PromqlExprTest[] {
  const { step, at } = lastEvaluation(s);
  return chunks(s, from, at + step).map((c) =>
    probe(chunkExpr(`min by (alertname, severity) (min_over_time(timestamp(ALERTS{alertstate="firing"})[${c.span}m:${step}m])) / 60`, c.end), `${c.end}m`),
  );
}

function episodesProbes(s: FamilyScenario, from: number, until: number): PromqlExprTest[] {
  const { step } = lastEvaluation(s);
  const firing = `ALERTS{alertstate="firing"}`;
  return chunks(s, from, until).map((c) =>
    probe(chunkExpr(`sum by (alertname, severity) (count_over_time((${firing} unless ${firing} offset ${step}m)[${c.span}m:${step}m]))`, c.end), `${c.end}m`),
  );
}

type Got = ReturnType<typeof probeResults>;
type Sample = { labels: Record<string, string>; value: number };

function collect(got: Got, probes: readonly PromqlExprTest[], s: FamilyScenario): Sample[] {
  return probes.flatMap((p) => {
    const r = got.get(p.expr);
    if (!r) throw new Error(`promtool reported nothing for a probe of ${s.id}: ${p.expr} at ${p.eval_time}`);
    return r as Sample[];
  });
}

/** Per alert and severity: the smallest value (first firing) or the sum (episodes). */
function merge(samples: readonly Sample[], how: "min" | "sum"): Sample[] {
  const by = new Map<string, Sample>();
  for (const x of samples) {
    const key = `${x.labels.alertname}\u0000${x.labels.severity}`;
    const prev = by.get(key);
    by.set(key, !prev ? x : { labels: x.labels, value: how === "min" ? Math.min(prev.value, x.value) : prev.value + x.value });
  }
  return [...by.values()];
}

function judge(s: FamilyScenario, firstTicket?: Firing, firstPage?: Firing): { targets: FamilyTargets; verdicts: { what: string; met: boolean }[] } {
  const targets = familyTargets(s);
  const { crossing, outage } = s.impact;
  const verdicts: { what: string; met: boolean }[] = [];
  if (targets.ticketBeforeCrossing !== undefined && crossing !== undefined)
    verdicts.push({ what: "ticket ≥ 24 h before the SLO threshold crossing", met: firstTicket !== undefined && crossing - firstTicket.minute >= targets.ticketBeforeCrossing });
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

/** Bump when the stored shape or the measurement's meaning changes. */
const CACHE_FORMAT = 1;

let promtoolVersion: string | undefined;
const promtoolVersionLine = () => (promtoolVersion ??= (spawnSync(PROMTOOL_BIN, ["--version"], { encoding: "utf8" }).stdout ?? "").split("\n")[0]);

/**
 * What a member's result depends on: the service's whole rule file, the member (its id names the
 * family, shape, speed and baseline; its incident is code of replay/, hashed), its timings, the
 * service it replays, the seed, and promtool's version. Computed without generating any traffic.
 */
export function familyCacheKey(s: FamilyScenario, seed: number): string {
  const rules = renderRuleFile(serviceRuleGroups(s.service, { environment: REPLAY_ENVIRONMENT }));
  const what = {
    f: CACHE_FORMAT,
    code: replayCodeHash(),
    promtool: promtoolVersionLine(),
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
  const first = firstAfterProbes(s, s.leadInMinutes);
  const leadIn = s.leadInMinutes > WARM_UP_MINUTES ? episodesProbes(s, WARM_UP_MINUTES, s.leadInMinutes) : [];
  const whole = s.healthy ? episodesProbes(s, WARM_UP_MINUTES, totalMinutes(s) + 1) : [];
  const run = scenarioRun(s, { seed, assert: false, probes: [...first, ...leadIn, ...whole] });
  const result = await runPromtool(run.ruleText, run.suite, 60 * 60 * 1000);
  const got = probeResults(result.output);
  if (/err: /.test(result.output)) throw new Error(`promtool could not run a probe of ${s.id}:\n${result.output.slice(0, 2000)}`);
  const fired = merge(collect(got, first, s), "min")
    .map((g) => ({ alert: g.labels.alertname, severity: g.labels.severity, minute: g.value - s.leadInMinutes }))
    .sort((a, b) => a.minute - b.minute || (a.alert < b.alert ? -1 : 1));
  const firstTicket = fired.find((f) => f.severity === "ticket");
  const firstPage = fired.find((f) => f.severity === "page");
  const episodes = merge(collect(got, whole, s), "sum").map((g) => ({ alert: g.labels.alertname, severity: g.labels.severity, count: g.value }));
  const leadInEpisodes = Object.fromEntries(merge(collect(got, leadIn, s), "sum").map((g) => [g.labels.alertname, g.value]));
  const { targets, verdicts } = s.healthy ? { targets: undefined, verdicts: healthyVerdicts(episodes) } : judge(s, firstTicket, firstPage);
  return { scenario: s, fired, firstTicket, firstPage, leadInEpisodes, episodes, targets, verdicts, seconds: result.seconds };
}

function healthyVerdicts(episodes: FamilyResult["episodes"]): { what: string; met: boolean }[] {
  const count = (sev: string) => episodes.filter((e) => e.severity === sev).reduce((n, e) => n + e.count, 0);
  return [
    { what: "0 pages", met: count("page") === 0 },
    { what: "at most 1 ticket in the month", met: count("ticket") <= 1 },
  ];
}

/**
 * Runs family members `parallel` at a time (promtool is single-threaded enough that 2 fill a 2-core
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


