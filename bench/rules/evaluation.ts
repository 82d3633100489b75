/**
 * Prometheus evaluating the benchmark's rule files: first scraping only the synthetic target
 * without rules (its CPU for scraping and storage alone), then with the rule files (reload), until
 * every group has evaluated a given number of times; per group its cold and warm durations, and the
 * rules' CPU.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MetricSample } from "../../toolkit/exposition";
import { PrometheusServer, sleep } from "../../toolkit/prometheusServer";
import type { GroupTiming, RuleEvalResult } from "./ruleEvalResult";
import type { GroupInfo, RuleFiles } from "./ruleFiles";

export interface EvaluationOptions {
  readonly iterations: number;
  readonly intervalCapSeconds: number;
  readonly scrapeIntervalSeconds: number;
  readonly idleSeconds: number;
  readonly log: (line: string) => void;
}

export interface Evaluation {
  readonly startupSeconds: number;
  readonly waitedSeconds: number;
  readonly version: string;
  /** Unix ms when the rules were loaded. */
  readonly rulesLoadedAt: number;
  readonly idlePerMinute: number;
  /** Prometheus's metrics after the last wait. */
  readonly last: MetricSample[];
  readonly cold: ReadonlyMap<string, number>;
  /** CPU and time once every group had evaluated once. */
  readonly steady?: { readonly cpu: number; readonly t: number };
}

const cpuOf = (samples: readonly MetricSample[]) => samples.find((s) => s.name === "process_cpu_seconds_total")?.value ?? Number.NaN;

function writeConfig(config: string, rulesDir: string, target: string, scrapeIntervalSeconds: number, withRules: boolean): void {
  const lines = [
    "global:",
    "  evaluation_interval: 1m",
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    ...(withRules ? ["rule_files:", `  - ${join(rulesDir, "*.yaml")}`] : []),
    "scrape_configs:",
    "  - job_name: synthetic",
    "    honor_labels: true",
    "    static_configs:",
    `      - targets: ["${target}"]`,
    "",
  ];
  writeFileSync(config, lines.join("\n"));
}

/** Starts Prometheus (the caller stops it) and waits for the evaluations. */
export async function evaluateRules(server: (s: PrometheusServer) => void, dir: string, files: RuleFiles, target: string, o: EvaluationOptions): Promise<Evaluation> {
  const config = join(dir, "prometheus.yml");
  writeConfig(config, files.dir, target, o.scrapeIntervalSeconds, false);
  const tStart = Date.now();
  const prometheus = new PrometheusServer({ configFile: config, dataDir: join(dir, "data"), logFile: join(dir, "prometheus.log"), lifecycle: true, readyTimeoutMs: 120_000 });
  server(prometheus);
  await prometheus.start();
  const startupSeconds = (Date.now() - tStart) / 1000;
  const version = (await prometheus.metrics()).find((s) => s.name === "prometheus_build_info")?.labels.version ?? "?";
  o.log(`prometheus ${version} ready in ${startupSeconds.toFixed(1)} s at ${prometheus.url}; ${o.idleSeconds} s scraping without rules`);
  await sleep(o.scrapeIntervalSeconds * 1000 + 2000);
  const idle0 = { cpu: await prometheus.cpuSeconds(), t: Date.now() };
  await sleep(o.idleSeconds * 1000);
  const idle1 = { cpu: await prometheus.cpuSeconds(), t: Date.now() };
  const idlePerMinute = ((idle1.cpu - idle0.cpu) / (idle1.t - idle0.t)) * 60_000;
  writeConfig(config, files.dir, target, o.scrapeIntervalSeconds, true);
  const rulesLoadedAt = Date.now();
  await prometheus.reload();
  o.log(`rules loaded; waiting for ${o.iterations} evaluations of every group`);
  const tWait = Date.now();
  const waited = await waitForEvaluations(prometheus, files.groupInfo, dir, o);
  return { startupSeconds, waitedSeconds: (Date.now() - tWait) / 1000, version, rulesLoadedAt, idlePerMinute, ...waited };
}

/**
 * Waits until every group has evaluated once, then `iterations` more times: a group reading
 * another group's recordings finds them, whatever order the groups' timers start in, also through
 * a chain of two (5m rates -> hourly tiles -> period ratio). Keeps the first (cold) duration.
 */
async function waitForEvaluations(server: PrometheusServer, groupInfo: ReadonlyMap<string, GroupInfo>, dir: string, o: EvaluationOptions): Promise<Pick<Evaluation, "last" | "cold" | "steady">> {
  const maxInterval = Math.min(o.intervalCapSeconds, Math.max(...[...groupInfo.values()].map((g) => g.interval)));
  const deadline = Date.now() + ((o.iterations + 1) * maxInterval + 90) * 1000;
  let itersAtSteady = new Map<string, number>();
  const cold = new Map<string, number>();
  // CPU from the moment every group has evaluated once to the end: a steady window.
  let steady: { cpu: number; t: number } | undefined;
  for (;;) {
    const last = await server.metrics();
    const iters = new Map<string, number>();
    for (const s of last) if (s.name === "prometheus_rule_group_iterations_total") iters.set(s.labels.rule_group, s.value);
    if (!steady && [...groupInfo.keys()].every((k) => (iters.get(k) ?? 0) >= 1)) {
      steady = { cpu: cpuOf(last), t: Date.now() };
      itersAtSteady = new Map(iters);
    }
    for (const s of last)
      if (s.name === "prometheus_rule_group_last_duration_seconds" && (iters.get(s.labels.rule_group) ?? 0) === 1 && !cold.has(s.labels.rule_group)) cold.set(s.labels.rule_group, s.value);
    const done = steady ? [...groupInfo.keys()].filter((k) => (iters.get(k) ?? 0) >= (itersAtSteady.get(k) ?? 0) + o.iterations).length : 0;
    if (done === groupInfo.size) return { last, cold, steady };
    if (Date.now() > deadline) throw new Error(`only ${done} of ${groupInfo.size} rule groups evaluated ${o.iterations} times after every group's first evaluation within the wait; see ${dir}/prometheus.log`);
    // Not more often: /metrics lists every group's metrics, and serving it costs Prometheus CPU
    // that would be counted as the rules' (every 2 s it was a tenth of Prometheus's CPU).
    await sleep(10_000);
  }
}

/** Per group: rules loaded, cold and warm durations, samples, failures; throws when Prometheus did not load a group whole. */
export function groupTimings(e: Evaluation, groupInfo: ReadonlyMap<string, GroupInfo>, intervalCapSeconds: number): GroupTiming[] {
  const by = (name: string) => new Map(e.last.filter((s) => s.name === name).map((s) => [s.labels.rule_group, s.value]));
  const warm = by("prometheus_rule_group_last_duration_seconds");
  const samples = by("prometheus_rule_group_last_evaluation_samples");
  const failures = by("prometheus_rule_evaluation_failures_total");
  const loadedRules = by("prometheus_rule_group_rules");
  const missing = [...groupInfo.keys()].filter((k) => !warm.has(k));
  if (missing.length > 0) throw new Error(`prometheus did not load ${missing.length} groups, e.g. ${missing[0]}`);
  return [...groupInfo.entries()].map(([k, g]) => {
    if (loadedRules.get(k) !== g.rules) throw new Error(`group ${k}: prometheus loaded ${loadedRules.get(k)} rules, the file has ${g.rules}`);
    return {
      service: g.service,
      family: g.family,
      rules: g.rules,
      intervalSeconds: g.interval,
      loadedIntervalSeconds: Math.min(g.interval, intervalCapSeconds),
      coldSeconds: e.cold.get(k) ?? Number.NaN,
      warmSeconds: warm.get(k)!,
      samples: samples.get(k) ?? 0,
      failures: failures.get(k) ?? 0,
    };
  });
}

/**
 * Rules' CPU: with rules minus scrape-only, then with the capped groups' share (weighted by their
 * durations) scaled back to their declared intervals.
 */
export function rulesCpu(e: Evaluation, timings: readonly GroupTiming[]): RuleEvalResult["cpu"] {
  const end = { cpu: cpuOf(e.last), t: Date.now() };
  if (!e.steady || end.t - e.steady.t <= 20_000) return undefined;
  const withRulesPerMinute = ((end.cpu - e.steady.cpu) / (end.t - e.steady.t)) * 60_000;
  const rulesPerMinute = Math.max(0, withRulesPerMinute - e.idlePerMinute);
  const asLoaded = timings.reduce((a, t) => a + (t.warmSeconds * 60) / t.loadedIntervalSeconds, 0);
  const asDeclared = timings.reduce((a, t) => a + (t.warmSeconds * 60) / t.intervalSeconds, 0);
  return { idlePerMinute: e.idlePerMinute, withRulesPerMinute, rulesPerMinute, rulesPerMinuteDeclared: asLoaded > 0 ? (rulesPerMinute * asDeclared) / asLoaded : rulesPerMinute };
}

/** Warm evaluation time per rule name summed over all services, seconds per declared minute, most expensive first. */
export async function costliestRules(server: PrometheusServer, groupInfo: ReadonlyMap<string, GroupInfo>): Promise<RuleEvalResult["costliestRules"]> {
  const perRule = new Map<string, { name: string; family: string; rules: number; secondsPerMinute: number }>();
  for (const g of await server.rules()) {
    const info = groupInfo.get(`${g.file};${g.name}`);
    if (!info) continue;
    for (const r of g.rules) {
      const key = `${info.family} ${r.name}`;
      const e = perRule.get(key) ?? { name: r.name, family: info.family, rules: 0, secondsPerMinute: 0 };
      e.rules++;
      e.secondsPerMinute += (r.evaluationTime * 60) / info.interval;
      perRule.set(key, e);
    }
  }
  return [...perRule.values()].sort((a, b) => b.secondsPerMinute - a.secondsPerMinute).slice(0, 12);
}
