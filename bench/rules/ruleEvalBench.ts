/**
 * Rule-evaluation cost in a real Prometheus: the rule files of N generated services (every group
 * `serviceRuleGroups` renders, recording rules and alerts), synthetic series for those services
 * backfilled with `promtool tsdb create-blocks-from openmetrics`, then Prometheus evaluates the
 * groups on their own schedule and reports `prometheus_rule_group_last_duration_seconds` per
 * group. Recorded series are counted in the TSDB afterwards.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serviceRuleGroups } from "../../alerts";
import { durationSeconds } from "../../alerts/promql";
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import { isAlert } from "../../alerts/ruleModel";
import type { ServiceModel } from "../../service/model";
import { normalizeService } from "../../service/normalize";
import { generateServices } from "../generateServices";
import { missingSamples, type EstimateRule, type MissingByRule, type RangeSelector } from "./historyEstimate";
import { writeOpenMetrics, type BackfillStats, type BackfillWindow } from "./openMetrics";
import { PrometheusServer, sleep, type MetricSample } from "./prometheusServer";
import { startScrapeTarget, type ScrapeTarget } from "./scrapeTarget";
import { serviceSeries, type SeriesSpec } from "./syntheticSeries";

export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? "/usr/bin/promtool";

export interface RuleEvalOptions {
  readonly services: number;
  /** Minutes of history before start, at `stepSeconds`. */
  readonly historyMinutes: number;
  readonly stepSeconds: number;
  /** Evaluations of every group to wait for once every group has evaluated once; the last one is reported. */
  readonly iterations: number;
  /**
   * Groups declared with a longer interval (4m ticket groups, 5m drift groups) are loaded with
   * this one, so every group is evaluated within a bounded wait; their cost per evaluation is still
   * divided by the declared interval. Seconds.
   */
  readonly intervalCapSeconds: number;
  /** Scrape interval of the live target, seconds. */
  readonly scrapeIntervalSeconds: number;
  /** Seconds of the scrape-only phase that measures Prometheus's CPU without rules. */
  readonly idleSeconds: number;
  readonly keepDir: boolean;
  readonly log: (line: string) => void;
}

export interface GroupTiming {
  readonly service: string;
  /** Group name without the service prefix (`slo-recordings`, `signals-feature-drift`...). */
  readonly family: string;
  readonly rules: number;
  /** Interval declared in the generated file. */
  readonly intervalSeconds: number;
  /** Interval the group was loaded with (the declared one, capped at `intervalCapSeconds`). */
  readonly loadedIntervalSeconds: number;
  readonly coldSeconds: number;
  readonly warmSeconds: number;
  readonly samples: number;
  readonly failures: number;
}

export interface RuleEvalResult {
  readonly services: number;
  readonly slos: number;
  readonly groups: number;
  readonly recordingRules: number;
  readonly alertRules: number;
  readonly ruleFileBytes: number;
  readonly backfill: BackfillStats & { readonly seconds: number; readonly windows: string[] };
  readonly startupSeconds: number;
  readonly waitedSeconds: number;
  /**
   * Prometheus's own CPU (process_cpu_seconds_total), insensitive to other load on the machine:
   * per minute while only scraping, and per minute once every group is evaluating; the
   * difference is the rules' CPU, also scaled to the declared intervals.
   */
  readonly cpu?: { readonly idlePerMinute: number; readonly withRulesPerMinute: number; readonly rulesPerMinute: number; readonly rulesPerMinuteDeclared: number };
  readonly timings: GroupTiming[];
  readonly headSeries: number;
  /** Recorded series per recorded name. */
  readonly recordedByName: Record<string, number>;
  /** Recorded series per SLO (`slo:*` names with service and slo labels). */
  readonly perSlo: number[];
  /** `slo:*` series one SLO gets as generated (its own rules and the service-wide ones), by kind (`rates`, `error ratios`, `metadata`). */
  readonly sloRulesExpected: Record<string, number>;
  /** Per service: recording rules, and the series they recorded (every recorded name, by `service` label). */
  readonly perService: { readonly service: string; readonly recordingRules: number; readonly series: number }[];
  readonly firingAlerts: number;
  /**
   * What the evaluation would cost with full history: windows longer than the backfill, and every
   * window over a recorded series longer than the minutes since the rules were loaded, read samples
   * that do not exist here. Per rule as generated (bench/rules/historyEstimate.ts), times
   * Prometheus's own marginal cost per sample (query stats of one query over two window lengths).
   */
  readonly fullHistoryEstimate?: {
    readonly nsPerSample: number;
    readonly missingSamplesPerMinute: number;
    readonly extraSecondsPerMinute: number;
    /** Extra seconds per minute by group family. */
    readonly byFamily: Record<string, number>;
    /** The rules missing the most samples. */
    readonly rules: MissingByRule[];
    /** Seconds between samples of a raw series assumed for the mature TSDB. */
    readonly rawStepSeconds: number;
  };
  /** Warm evaluation time per rule name summed over all services, seconds per declared interval, most expensive first. */
  readonly costliestRules: { readonly name: string; readonly family: string; readonly rules: number; readonly secondsPerMinute: number }[];
  readonly prometheusVersion: string;
  readonly tmpDir?: string;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A Prometheus duration in minutes, e.g. 7d -> 10080. */
const minutesOf = (d: string) => durationSeconds(d) / 60;

export async function runRuleEvalBench(o: RuleEvalOptions): Promise<RuleEvalResult> {
  const dir = mkdtempSync(join(tmpdir(), "mlobs-bench-rules-"));
  let server: PrometheusServer | undefined;
  let target: ScrapeTarget | undefined;
  try {
    // 1. Rule files, one per service, exactly as rendered for Prometheus / AMP.
    const models: ServiceModel[] = generateServices(o.services, { environments: ["prod"] }).map((d) => normalizeService(d));
    const rulesDir = join(dir, "rules");
    mkdirSync(rulesDir);
    const recordedNames = new Set<string>();
    let groups = 0;
    let recordingRules = 0;
    let alertRules = 0;
    let ruleFileBytes = 0;
    const recordingRulesPerService = new Map<string, number>();
    const groupInfo = new Map<string, { service: string; family: string; rules: number; interval: number }>();
    // Every rule as generated, for the full-history estimate; declared interval of each recorded name per service.
    const estimateRules: EstimateRule[] = [];
    const recordedEvery = new Map<string, number>();
    // `slo:*` names recorded for the first SLO generated: its own rules and the service-wide ones.
    let firstSlo: { service: string; slo: string } | undefined;
    const firstSloNames = new Set<string>();
    for (const m of models) {
      const gs = serviceRuleGroups(m, { environment: "prod" });
      const capped = gs.map((g) => (durationSeconds(g.interval) > o.intervalCapSeconds ? { ...g, interval: `${o.intervalCapSeconds}s` } : g));
      const text = renderRuleFile(capped, [`Generated by ml-observability-stack for ${m.name} (prod); do not edit.`]);
      const file = join(rulesDir, `${m.name}.yaml`);
      writeFileSync(file, text);
      ruleFileBytes += Buffer.byteLength(text);
      let rec = 0;
      for (const g of gs) {
        groups++;
        const family = g.name.slice(m.name.length + 1);
        const interval = durationSeconds(g.interval);
        groupInfo.set(`${file};${g.name}`, { service: m.name, family, rules: g.rules.length, interval });
        for (const r of g.rules) {
          estimateRules.push({ family, name: isAlert(r) ? "(alerts)" : r.record, intervalSeconds: interval, expr: r.expr });
          if (isAlert(r)) alertRules++;
          else {
            rec++;
            recordedNames.add(r.record);
            recordedEvery.set(`${m.name}|${r.record}`, Math.min(interval, recordedEvery.get(`${m.name}|${r.record}`) ?? interval));
            if (r.record.startsWith("slo:") && m.slos.length > 0) {
              firstSlo ??= { service: m.name, slo: m.slos[0].name };
              if (m.name === firstSlo.service && (r.labels?.slo ?? firstSlo.slo) === firstSlo.slo) firstSloNames.add(r.record);
            }
          }
        }
      }
      recordingRules += rec;
      recordingRulesPerService.set(m.name, rec);
    }
    o.log(`rules: ${models.length} services, ${groups} groups, ${recordingRules} recording rules, ${alertRules} alerts, ${(ruleFileBytes / 1e6).toFixed(1)} MB of rule files`);

    // 2. Synthetic history: the last `historyMinutes`, plus an hour around each offset the rules
    //    compare against (drift baselines, cache hit ratio a day ago) for the series they read there.
    // Series without an `instance` get the live target's, as Prometheus will add it when scraping.
    let series: SeriesSpec[] = [];
    target = await startScrapeTarget(() => series, Date.now() / 1000 - 30 * 86400);
    const instance = target.instance;
    series = models.flatMap(serviceSeries).map((s) => (s.labels.instance ? s : { ...s, labels: { ...s.labels, instance } }));
    const step = o.stepSeconds;
    const now = Math.floor(Date.now() / 1000 / step) * step - step;
    const offsets = [...new Set(series.flatMap((s) => s.offsets))].filter((d) => minutesOf(d) > o.historyMinutes);
    const windows: BackfillWindow[] = [
      { from: now - o.historyMinutes * 60, to: now },
      ...offsets.map((d) => ({ from: now - (minutesOf(d) + 65) * 60, to: now - (minutesOf(d) - 5) * 60, only: (s: SeriesSpec) => s.offsets.includes(d), label: d })),
    ];
    const origin = target.origin;
    const input = join(dir, "series.om");
    const dataDir = join(dir, "data");
    const t0 = Date.now();
    const stats = await writeOpenMetrics(input, series, windows, step, origin);
    const writeSeconds = (Date.now() - t0) / 1000;
    // One pass over the input per block range: make the range cover every window.
    const bf = spawnSync(PROMTOOL_BIN, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", "--max-block-duration=500h", input, dataDir], {
      encoding: "utf8",
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (bf.status !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed (${bf.error?.message ?? `exit ${bf.status}`}):\n${bf.stdout}\n${bf.stderr}`.slice(0, 4000));
    rmSync(input);
    const backfillSeconds = (Date.now() - t0) / 1000;
    o.log(`backfill: ${stats.series} series, ${(stats.samples / 1e6).toFixed(2)} M samples, ${(stats.bytes / 1e6).toFixed(0)} MB OpenMetrics written in ${writeSeconds.toFixed(1)} s, blocks in ${(backfillSeconds - writeSeconds).toFixed(1)} s`);

    // 3. Prometheus scraping only the synthetic target; first without rules (its CPU for
    //    scraping and storage alone), then with the rule files (reload).
    const config = join(dir, "prometheus.yml");
    const writeConfig = (withRules: boolean) =>
      writeFileSync(
        config,
        [
          "global:",
          "  evaluation_interval: 1m",
          `  scrape_interval: ${o.scrapeIntervalSeconds}s`,
          ...(withRules ? ["rule_files:", `  - ${join(rulesDir, "*.yaml")}`] : []),
          "scrape_configs:",
          "  - job_name: synthetic",
          "    honor_labels: true",
          "    static_configs:",
          `      - targets: ["${target!.instance}"]`,
          "",
        ].join("\n"),
      );
    writeConfig(false);
    const tStart = Date.now();
    server = await PrometheusServer.start(config, dataDir, dir);
    let tRules = Number.NaN;
    const startupSeconds = (Date.now() - tStart) / 1000;
    const version = ((await server.metrics()).find((s) => s.name === "prometheus_build_info")?.labels.version) ?? "?";
    o.log(`prometheus ${version} ready in ${startupSeconds.toFixed(1)} s at ${server.baseUrl}; ${o.idleSeconds} s scraping without rules`);
    await sleep(o.scrapeIntervalSeconds * 1000 + 2000);
    const idle0 = { cpu: await server.cpuSeconds(), t: Date.now() };
    await sleep(o.idleSeconds * 1000);
    const idle1 = { cpu: await server.cpuSeconds(), t: Date.now() };
    const idlePerMinute = ((idle1.cpu - idle0.cpu) / (idle1.t - idle0.t)) * 60_000;
    writeConfig(true);
    tRules = Date.now();
    await server.reload();
    o.log(`rules loaded; waiting for ${o.iterations} evaluations of every group`);

    // 4. Wait until every group has evaluated once, then `iterations` more times: a group reading
    //    another group's recordings finds them, whatever order the groups' timers start in, also
    //    through a chain of two (5m rates -> hourly tiles -> period ratio). Keep the first (cold)
    //    duration.
    const maxInterval = Math.min(o.intervalCapSeconds, Math.max(...[...groupInfo.values()].map((g) => g.interval)));
    const deadline = Date.now() + ((o.iterations + 1) * maxInterval + 90) * 1000;
    let itersAtSteady = new Map<string, number>();
    const cold = new Map<string, number>();
    let last: MetricSample[] = [];
    const tWait = Date.now();
    // CPU from the moment every group has evaluated once to the end: a steady window.
    let steady: { cpu: number; t: number } | undefined;
    for (;;) {
      last = await server.metrics();
      const iters = new Map<string, number>();
      for (const s of last) if (s.name === "prometheus_rule_group_iterations_total") iters.set(s.labels.rule_group, s.value);
      if (!steady && [...groupInfo.keys()].every((k) => (iters.get(k) ?? 0) >= 1)) {
        steady = { cpu: last.find((s) => s.name === "process_cpu_seconds_total")?.value ?? Number.NaN, t: Date.now() };
        itersAtSteady = new Map(iters);
      }
      for (const s of last)
        if (s.name === "prometheus_rule_group_last_duration_seconds" && (iters.get(s.labels.rule_group) ?? 0) === 1 && !cold.has(s.labels.rule_group)) cold.set(s.labels.rule_group, s.value);
      const done = steady ? [...groupInfo.keys()].filter((k) => (iters.get(k) ?? 0) >= (itersAtSteady.get(k) ?? 0) + o.iterations).length : 0;
      if (done === groupInfo.size) break;
      if (Date.now() > deadline) throw new Error(`only ${done} of ${groupInfo.size} rule groups evaluated ${o.iterations} times after every group's first evaluation within the wait; see ${dir}/prometheus.log`);
      // Not more often: /metrics lists every group's metrics, and serving it costs Prometheus CPU
      // that would be counted as the rules' (every 2 s it was a tenth of Prometheus's CPU).
      await sleep(10_000);
    }
    const waitedSeconds = (Date.now() - tWait) / 1000;
    const endCpu = { cpu: last.find((s) => s.name === "process_cpu_seconds_total")?.value ?? Number.NaN, t: Date.now() };
    const by = (name: string) => new Map(last.filter((s) => s.name === name).map((s) => [s.labels.rule_group, s.value]));
    const warm = by("prometheus_rule_group_last_duration_seconds");
    const samples = by("prometheus_rule_group_last_evaluation_samples");
    const failures = by("prometheus_rule_evaluation_failures_total");
    const loadedRules = by("prometheus_rule_group_rules");
    const missing = [...groupInfo.keys()].filter((k) => !warm.has(k));
    if (missing.length > 0) throw new Error(`prometheus did not load ${missing.length} groups, e.g. ${missing[0]}`);
    const timings: GroupTiming[] = [...groupInfo.entries()].map(([k, g]) => {
      if (loadedRules.get(k) !== g.rules) throw new Error(`group ${k}: prometheus loaded ${loadedRules.get(k)} rules, the file has ${g.rules}`);
      return {
        service: g.service,
        family: g.family,
        rules: g.rules,
        intervalSeconds: g.interval,
        loadedIntervalSeconds: Math.min(g.interval, o.intervalCapSeconds),
        coldSeconds: cold.get(k) ?? Number.NaN,
        warmSeconds: warm.get(k)!,
        samples: samples.get(k) ?? 0,
        failures: failures.get(k) ?? 0,
      };
    });

    // Rules' CPU: with rules minus scrape-only, then with the capped groups' share (weighted by
    // their durations) scaled back to their declared intervals.
    let cpu: RuleEvalResult["cpu"];
    if (steady && endCpu.t - steady.t > 20_000) {
      const withRulesPerMinute = ((endCpu.cpu - steady.cpu) / (endCpu.t - steady.t)) * 60_000;
      const rulesPerMinute = Math.max(0, withRulesPerMinute - idlePerMinute);
      const asLoaded = timings.reduce((a, t) => a + (t.warmSeconds * 60) / t.loadedIntervalSeconds, 0);
      const asDeclared = timings.reduce((a, t) => a + (t.warmSeconds * 60) / t.intervalSeconds, 0);
      cpu = { idlePerMinute, withRulesPerMinute, rulesPerMinute, rulesPerMinuteDeclared: asLoaded > 0 ? (rulesPerMinute * asDeclared) / asLoaded : rulesPerMinute };
    }

    // Per-rule evaluation times (the last evaluation of each), normalized to a minute.
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
    const costliestRules = [...perRule.values()].sort((a, b) => b.secondsPerMinute - a.secondsPerMinute).slice(0, 12);

    // Full-history estimate for the SLO windows the backfill does not cover.
    let fullHistoryEstimate: RuleEvalResult["fullHistoryEstimate"];
    // Marginal cost of a sample: the same series read over two window lengths, so per-series
    // costs (index, iterators) cancel out; interleaved, after a warm-up, best of five each.
    const windowsToCompare = ["5m", `${o.historyMinutes - 5}m`];
    const best = windowsToCompare.map(() => ({ samples: Number.NaN, seconds: Number.POSITIVE_INFINITY }));
    for (let i = 0; i < 6; i++)
      for (const [k, w] of windowsToCompare.entries()) {
        const st = await server.queryStats(`sum(count_over_time({__name__=~".+_bucket"}[${w}]))`);
        if (i > 0 && st.seconds < best[k].seconds) best[k] = st;
      }
    const [short, long] = best;
    const nsPerSample = ((long.seconds - short.seconds) * 1e9) / (long.samples - short.samples);
    o.log(`sample cost: ${short.samples} samples in ${(short.seconds * 1000).toFixed(1)} ms, ${long.samples} in ${(long.seconds * 1000).toFixed(1)} ms: ${nsPerSample.toFixed(1)} ns per sample`);
    if (Number.isFinite(nsPerSample) && nsPerSample > 0) {
      const at = Date.now() / 1000;
      const serviceOf = (sel: string) => /[{,]service="([^"]*)"/.exec(sel)?.[1];
      const every = (sel: RangeSelector) => (recordedNames.has(sel.name) ? recordedEvery.get(`${serviceOf(sel.selector)}|${sel.name}`) ?? o.intervalCapSeconds : undefined);
      const missing = await missingSamples(estimateRules, at, {
        rawHeld: windows.map((w, i) => ({ from: w.from, to: i === 0 ? at : w.to })),
        recordedHeld: [{ from: tRules / 1000, to: at }],
        rawStepSeconds: step,
        recordedEvery: every,
        seriesOf: async (selectors) => {
          const counts = new Map<string, number>();
          // A few queries at a time: instant counts, each a few milliseconds.
          const queue = [...selectors];
          await Promise.all(
            Array.from({ length: 4 }, async () => {
              for (let sel = queue.pop(); sel !== undefined; sel = queue.pop()) {
                const r = await server!.query(`count(${sel})`);
                counts.set(sel, r.length ? Number(r[0].value[1]) : 0);
              }
            }),
          );
          return counts;
        },
      });
      const total = missing.reduce((a, e) => a + e.samplesPerMinute, 0);
      const byFamily: Record<string, number> = {};
      for (const e of missing) byFamily[e.family] = (byFamily[e.family] ?? 0) + (e.samplesPerMinute * nsPerSample) / 1e9;
      fullHistoryEstimate = {
        nsPerSample,
        missingSamplesPerMinute: total,
        extraSecondsPerMinute: (total * nsPerSample) / 1e9,
        byFamily,
        rules: missing.slice(0, 10),
        rawStepSeconds: step,
      };
      o.log(`full history: ${(total / 1e6).toFixed(2)} M more samples per minute, ${((total * nsPerSample) / 1e9).toFixed(2)} s per minute`);
    }

    // 5. What the recording rules produced, read back from the TSDB.
    const nameRe = [...recordedNames].map(escapeRegex).join("|");
    const recordedByName: Record<string, number> = {};
    for (const r of await server.query(`count by (__name__) ({__name__=~"${nameRe}"})`)) recordedByName[r.metric.__name__] = Number(r.value[1]);
    const perSlo = (await server.query(`count by (service, slo) ({__name__=~"slo:.+", slo!=""})`)).map((r) => Number(r.value[1]));
    const seriesPerService = new Map((await server.query(`count by (service) ({__name__=~"${nameRe}"})`)).map((r) => [r.metric.service, Number(r.value[1])]));
    const perService = models.map((m) => ({ service: m.name, recordingRules: recordingRulesPerService.get(m.name) ?? 0, series: seriesPerService.get(m.name) ?? 0 }));
    const firing = await server.query(`count(ALERTS{alertstate="firing"})`);
    const head = last.find((s) => s.name === "prometheus_tsdb_head_series")?.value ?? 0;
    return {
      services: models.length,
      slos: models.reduce((a, m) => a + m.slos.length, 0),
      groups,
      recordingRules,
      alertRules,
      ruleFileBytes,
      backfill: { ...stats, seconds: backfillSeconds, windows: windows.map((w) => `${((now - w.from) / 60).toFixed(0)}..${((now - w.to) / 60).toFixed(0)} min ago${w.label ? ` (series read at offset ${w.label})` : " (all series)"}`) },
      startupSeconds,
      waitedSeconds,
      cpu,
      timings,
      headSeries: head,
      recordedByName,
      perSlo,
      sloRulesExpected: sloRulesByKind([...firstSloNames]),
      perService,
      costliestRules,
      fullHistoryEstimate,
      firingAlerts: firing.length ? Number(firing[0].value[1]) : 0,
      prometheusVersion: version,
      tmpDir: o.keepDir ? dir : undefined,
    };
  } finally {
    if (server) await server.stop();
    if (target) await target.close();
    if (!o.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Recording rules of one SLO by kind: rates (`slo:…:rate…`), error ratios, and metadata. */
function sloRulesByKind(records: readonly string[]): Record<string, number> {
  const out: Record<string, number> = { rates: 0, "error ratios": 0, metadata: 0 };
  for (const r of records) out[/^slo:sli_error:ratio_rate/.test(r) ? "error ratios" : /:rate\w+$/.test(r) ? "rates" : "metadata"]++;
  return out;
}
