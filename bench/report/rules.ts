/** Section 3 of the benchmark report: rule evaluation in Prometheus. */
import { formatDuration } from "../../alerts/promql";
import type { RuleEvalResult } from "../rules/ruleEvalBench";
import { bytes, max, median, min, pct, sum } from "../stats";
import { table } from "./markdownTable";

/** Share of wall time Prometheus spends evaluating rules: Σ over groups of last duration / declared interval. */
export const ruleShare = (r: RuleEvalResult) => sum(r.timings.map((t) => t.warmSeconds / t.intervalSeconds));
/** The measured share plus the estimated cost of the history the backfill lacks. */
export const fullHistoryShare = (r: RuleEvalResult) => ruleShare(r) + (r.fullHistoryEstimate?.extraSecondsPerMinute ?? 0) / 60;

/** Seconds of evaluation per minute of wall time, every group at its declared interval. */
const evaluationPerMinute = (r: RuleEvalResult) => sum(r.timings.map((t) => (t.warmSeconds * 60) / t.intervalSeconds));

export function ruleSection(r: RuleEvalResult): string {
  return [...setup(r), "", ...familyTable(r), "", ...totals(r), ...historyEstimate(r), ...costliestRules(r), "", ...recordedSeries(r)].join("\n");
}

function setup(r: RuleEvalResult): string[] {
  return [
    `${r.services} generated services (${r.slos} SLOs): ${r.groups} rule groups, ${r.recordingRules} recording rules and ${r.alertRules} alerts in ${bytes(r.ruleFileBytes)} of rule files, loaded into Prometheus ${r.prometheusVersion}. ` +
      `Synthetic series: ${r.backfill.series} series, ${(r.backfill.samples / 1e6).toFixed(2)} M samples backfilled (${bytes(r.backfill.bytes)} of OpenMetrics, ${r.backfill.seconds.toFixed(0)} s) over ${r.backfill.windows.join("; ")}, then scraped live from a target on 127.0.0.1. ` +
      `Prometheus started in ${r.startupSeconds.toFixed(1)} s; once every group had evaluated, each evaluated at least twice more within ${r.waitedSeconds.toFixed(0)} s (so groups reading other groups' recordings find them); ${r.headSeries} series in the head block at the end.`,
  ];
}

/** Durations by group family, costliest first, then the groups loaded at a shorter interval than declared. */
function familyTable(r: RuleEvalResult): string[] {
  const families = new Map<string, typeof r.timings>();
  for (const t of r.timings) families.set(t.family, [...(families.get(t.family) ?? []), t]);
  const est = r.fullHistoryEstimate;
  const extraShare = (f: string) => (est ? (est.byFamily[f] ?? 0) / 60 : 0);
  const rows = [...families.entries()]
    .map(([f, ts]) => ({ f, ts, share: sum(ts.map((t) => t.warmSeconds / t.intervalSeconds)) }))
    .sort((a, b) => b.share + extraShare(b.f) - (a.share + extraShare(a.f)))
    .map(({ f, ts, share: s }) => [
      f,
      ts.length,
      sum(ts.map((t) => t.rules)),
      [...new Set(ts.map((t) => t.intervalSeconds))].map(formatDuration).join(", "),
      `${sum(ts.map((t) => t.warmSeconds)).toFixed(3)} s`,
      `${max(ts.map((t) => t.warmSeconds)).toFixed(4)} s`,
      pct(s),
      ...(est ? [pct(extraShare(f)), pct(s + extraShare(f))] : []),
      sum(ts.map((t) => t.samples)),
      sum(ts.map((t) => t.failures)),
    ]);
  const total = [
    "**all**",
    r.timings.length,
    r.recordingRules + r.alertRules,
    "",
    `${sum(r.timings.map((t) => t.warmSeconds)).toFixed(3)} s`,
    `${max(r.timings.map((t) => t.warmSeconds)).toFixed(4)} s`,
    `**${pct(ruleShare(r))}**`,
    ...(est ? [pct(est.extraSecondsPerMinute / 60), `**${pct(fullHistoryShare(r))}**`] : []),
    sum(r.timings.map((t) => t.samples)),
    sum(r.timings.map((t) => t.failures)),
  ];
  const head = [
    "group family",
    "groups",
    "rules",
    "declared interval",
    "sum of last durations",
    "max group duration",
    "share of interval",
    ...(est ? ["full history, estimated extra", "share with full history"] : []),
    "samples written per evaluation",
    "failures",
  ];
  const out = [table(head, [...rows, total])];
  const loadedFaster = r.timings.filter((t) => t.loadedIntervalSeconds < t.intervalSeconds);
  if (loadedFaster.length > 0)
    out.push(
      `\nGroups declared with an interval over ${formatDuration(max(loadedFaster.map((t) => t.loadedIntervalSeconds)))} (${[...new Set(loadedFaster.map((t) => formatDuration(t.intervalSeconds)))].join(", ")}: ${loadedFaster.length} groups) were loaded with that interval so that every group evaluates twice within a bounded wait; ` +
        "their duration per evaluation is divided by the declared interval above. They read the same windows at either interval; loading them faster adds CPU load while measuring, so wall-time durations of every group come out, if anything, high.",
    );
  return out;
}

/** Evaluation per minute, the slowest group, and Prometheus's own CPU for the rules. */
function totals(r: RuleEvalResult): string[] {
  const worst = [...r.timings].sort((a, b) => b.warmSeconds / b.intervalSeconds - a.warmSeconds / a.intervalSeconds)[0];
  const out = [
    `Total: ${evaluationPerMinute(r).toFixed(2)} s of evaluation per minute of wall time, **${pct(ruleShare(r))}** of the interval (one core; groups run concurrently). ` +
      `Slowest group relative to its interval: ${worst.service}/${worst.family}, ${worst.warmSeconds.toFixed(4)} s every ${worst.intervalSeconds} s (${pct(worst.warmSeconds / worst.intervalSeconds, 3)}). ` +
      `First (cold) evaluations: ${pct(sum(r.timings.map((t) => t.coldSeconds / t.intervalSeconds)))} of the interval. Alerts firing at the end: ${r.firingAlerts}.`,
  ];
  if (r.cpu)
    out.push(
      `\nCPU, insensitive to other load on the machine: Prometheus used ${r.cpu.idlePerMinute.toFixed(2)} CPU-seconds per minute scraping without rules, ${r.cpu.withRulesPerMinute.toFixed(2)} with every group evaluating (groups at their loaded intervals), so the rules took ${r.cpu.rulesPerMinute.toFixed(2)} CPU-s per minute; ` +
        `with every group at its declared interval (the groups loaded faster scaled back by their share of the durations) **${r.cpu.rulesPerMinuteDeclared.toFixed(2)} CPU-s per minute, ${pct(r.cpu.rulesPerMinuteDeclared / 60)} of one core**. ` +
        `Group durations are wall time and grow when the CPU is shared (other processes, or groups evaluating at the same moment); the CPU figure does not.`,
    );
  return out;
}

/** What the history the backfill lacks would add, and the rules that lack the most. */
function historyEstimate(r: RuleEvalResult): string[] {
  const est = r.fullHistoryEstimate;
  if (!est) return [];
  const out = [
    `\nFull history, estimated: the backfill holds ${r.backfill.windows.join("; ")}, and recorded series exist only since the rules were loaded, so every window reaching further back reads fewer samples here than on a mature TSDB (the long SLO windows over recorded 5m rates, the 1d quality ratios, averages over recorded series). ` +
      `For every range selector of every rule as generated: the series it selects × the minutes of its window the benchmark lacks × samples per minute (a raw series one per ${est.rawStepSeconds} s, the backfill's step; a recorded series one per declared interval of the group recording it), summed at each rule's declared interval (bench/rules/historyEstimate.ts). ` +
      `They would read ${(est.missingSamplesPerMinute / 1e6).toFixed(2)} M more samples per minute; at Prometheus's measured marginal ${est.nsPerSample.toFixed(0)} ns per sample (query stats of \`sum(count_over_time({__name__=~".+_bucket"}[w]))\` at two window lengths) that adds ${est.extraSecondsPerMinute.toFixed(2)} s per minute: **${pct(fullHistoryShare(r))}** of the interval in total. ` +
      "Instant selectors at an offset (memory 6h ago, replicas a day ago) read one sample per series and are left out.",
  ];
  if (est.rules.length > 0)
    out.push(
      "",
      "Rules missing the most history (samples per minute a mature TSDB adds, at their declared intervals):",
      "",
      table(
        ["rule", "group family", "instances", "more samples per minute", "estimated s per minute", "share of interval"],
        est.rules.map((e) => [`\`${e.name}\``, e.family, e.rules, `${(e.samplesPerMinute / 1e6).toFixed(3)} M`, ((e.samplesPerMinute * est.nsPerSample) / 1e9).toFixed(3), pct((e.samplesPerMinute * est.nsPerSample) / 1e9 / 60)]),
      ),
    );
  return out;
}

function costliestRules(r: RuleEvalResult): string[] {
  const perMinute = evaluationPerMinute(r);
  return [
    "",
    "Costliest rules (last evaluation, summed over services, normalized to a minute):",
    "",
    table(["rule", "group family", "instances", "s per minute", "share of all evaluation"], r.costliestRules.map((c) => [`\`${c.name}\``, c.family, c.rules, c.secondsPerMinute.toFixed(3), pct(c.secondsPerMinute / perMinute, 1)])),
  ];
}

/** Recorded series read back from the TSDB: per rule, per SLO, per service and per name. */
function recordedSeries(r: RuleEvalResult): string[] {
  const perSvc = r.perService;
  const totalRecorded = sum(Object.values(r.recordedByName));
  const names = Object.entries(r.recordedByName).sort((a, b) => b[1] - a[1]);
  return [
    `Recorded series (queried from the TSDB after the evaluations): ${totalRecorded} in total from ${r.recordingRules} recording rules (${(totalRecorded / r.recordingRules).toFixed(2)} per rule). ` +
      `Per SLO (\`slo:*\` series by \`service\`, \`slo\`): min ${min(r.perSlo)}, median ${median(r.perSlo)}, max ${max(r.perSlo)} over ${r.perSlo.length} SLOs (${sum(Object.values(r.sloRulesExpected))} expected: ${Object.entries(r.sloRulesExpected).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(", ")}). ` +
      `Per service (every recorded name, by \`service\`): min ${min(perSvc.map((p) => p.series))}, median ${median(perSvc.map((p) => p.series))}, max ${max(perSvc.map((p) => p.series))} series, from min ${min(perSvc.map((p) => p.recordingRules))}, median ${median(perSvc.map((p) => p.recordingRules))}, max ${max(perSvc.map((p) => p.recordingRules))} recording rules. ` +
      `Services whose recorded series are fewer than their recording rules: ${perSvc.filter((p) => p.series < p.recordingRules).length}.`,
    "",
    table(["recorded name", "series"], names.map(([n, c]) => [`\`${n}\``, c])),
  ];
}
