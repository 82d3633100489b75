/**
 * Rule-evaluation cost in a real Prometheus: the rule files of N generated services (every group
 * `serviceRuleGroups` renders, recording rules and alerts), synthetic series for those services
 * backfilled with `promtool tsdb create-blocks-from openmetrics`, then Prometheus evaluates the
 * groups on their own schedule and reports `prometheus_rule_group_last_duration_seconds` per
 * group. Recorded series are counted in the TSDB afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceModel } from "../../service/model";
import { normalizeService } from "../../service/normalize";
import type { PrometheusServer } from "../../toolkit/prometheusServer";
import { generateServices } from "../generateServices";
import { backfillHistory, type Backfill } from "./backfill";
import { costliestRules, evaluateRules, groupTimings, rulesCpu } from "./evaluation";
import { estimateFullHistory } from "./fullHistory";
import type { RuleEvalResult } from "./ruleEvalResult";
import { writeRuleFiles, type RuleFiles } from "./ruleFiles";
import { startScrapeTarget, type ScrapeTarget } from "./scrapeTarget";
import { serviceSeries, type SeriesSpec } from "./steadySeries";

export type { GroupTiming, RuleEvalResult } from "./ruleEvalResult";

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

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export async function runRuleEvalBench(o: RuleEvalOptions): Promise<RuleEvalResult> {
  const dir = mkdtempSync(join(tmpdir(), "mlobs-bench-rules-"));
  let server: PrometheusServer | undefined;
  let target: ScrapeTarget | undefined;
  try {
    const models: ServiceModel[] = generateServices(o.services, { environments: ["prod"] }).map((d) => normalizeService(d));
    const files = writeRuleFiles(dir, models, o.intervalCapSeconds);
    const { groups, recordingRules, alertRules, ruleFileBytes } = files.counts;
    o.log(`rules: ${models.length} services, ${groups} groups, ${recordingRules} recording rules, ${alertRules} alerts, ${(ruleFileBytes / 1e6).toFixed(1)} MB of rule files`);

    // Series without an `instance` get the live target's, as Prometheus will add it when scraping.
    let series: SeriesSpec[] = [];
    target = await startScrapeTarget(() => series, Date.now() / 1000 - 30 * 86400);
    const instance = target.instance;
    series = models.flatMap(serviceSeries).map((s) => (s.labels.instance ? s : { ...s, labels: { ...s.labels, instance } }));
    const bucketNames = [...new Set(series.map((s) => s.name).filter((n) => n.endsWith("_bucket")))].sort();
    const backfill = await backfillHistory(dir, join(dir, "data"), { series, historyMinutes: o.historyMinutes, step: o.stepSeconds, origin: target.origin, log: o.log });

    const evaluation = await evaluateRules((s) => (server = s), dir, files, target.instance, o);
    const timings = groupTimings(evaluation, files.groupInfo, o.intervalCapSeconds);
    const cpu = rulesCpu(evaluation, timings);
    const live = server!;
    return {
      services: models.length,
      slos: models.reduce((a, m) => a + m.slos.length, 0),
      groups,
      recordingRules,
      alertRules,
      ruleFileBytes,
      backfill: { ...backfill.stats, seconds: backfill.seconds, windows: windowLabels(backfill) },
      startupSeconds: evaluation.startupSeconds,
      waitedSeconds: evaluation.waitedSeconds,
      cpu,
      timings,
      headSeries: evaluation.last.find((s) => s.name === "prometheus_tsdb_head_series")?.value ?? 0,
      costliestRules: await costliestRules(live, files.groupInfo),
      fullHistoryEstimate: await estimateFullHistory(live, files, backfill, { ...o, bucketNames, step: o.stepSeconds, rulesLoadedAt: evaluation.rulesLoadedAt }),
      ...(await recordedSeries(live, files, models)),
      prometheusVersion: evaluation.version,
      tmpDir: o.keepDir ? dir : undefined,
    };
  } finally {
    if (server) await server.stop();
    if (target) await target.close();
    if (!o.keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

const windowLabels = (b: Backfill) =>
  b.windows.map((w) => `${((b.now - w.from) / 60).toFixed(0)}..${((b.now - w.to) / 60).toFixed(0)} min ago${w.label ? ` (series read at offset ${w.label})` : " (all series)"}`);

/** What the recording rules produced, read back from the TSDB, and the alerts firing. */
async function recordedSeries(
  server: PrometheusServer,
  files: RuleFiles,
  models: readonly ServiceModel[],
): Promise<Pick<RuleEvalResult, "recordedByName" | "perSlo" | "sloRulesExpected" | "perService" | "firingAlerts">> {
  const nameRe = [...files.recordedNames].map(escapeRegex).join("|");
  const recordedByName: Record<string, number> = {};
  for (const r of await server.vector(`count by (__name__) ({__name__=~"${nameRe}"})`)) recordedByName[r.metric.__name__] = Number(r.value[1]);
  const perSlo = (await server.vector(`count by (service, slo) ({__name__=~"slo:.+", slo!=""})`)).map((r) => Number(r.value[1]));
  const seriesPerService = new Map((await server.vector(`count by (service) ({__name__=~"${nameRe}"})`)).map((r) => [r.metric.service, Number(r.value[1])]));
  const perService = models.map((m) => ({ service: m.name, recordingRules: files.recordingRulesPerService.get(m.name) ?? 0, series: seriesPerService.get(m.name) ?? 0 }));
  const firing = await server.vector(`count(ALERTS{alertstate="firing"})`);
  return { recordedByName, perSlo, sloRulesExpected: sloRulesByKind([...files.firstSloNames]), perService, firingAlerts: firing.length ? Number(firing[0].value[1]) : 0 };
}

/** Recording rules of one SLO by kind: rates (`slo:…:rate…`), error ratios, and metadata. */
function sloRulesByKind(records: readonly string[]): Record<string, number> {
  const out: Record<string, number> = { rates: 0, "error ratios": 0, metadata: 0 };
  for (const r of records) out[/^slo:sli_error:ratio_rate/.test(r) ? "error ratios" : /:rate\w+$/.test(r) ? "rates" : "metadata"]++;
  return out;
}
