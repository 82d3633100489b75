/**
 * The Markdown report `npm run bench` writes to docs/benchmark.md: targets first, then synth time
 * and memory against the bare baseline, output size, and rule evaluation in Prometheus.
 */
import { formatDuration } from "../alerts/promql";
import type { HotSpot } from "./cpuProfile";
import type { RuleEvalResult } from "./rules/ruleEvalBench";
import { workMs } from "./runChild";
import { bytes, max, median, mib, min, msf, pairedRatios, pct, ratio, sec, sum } from "./stats";
import type { SizeResult } from "./synthBench";

export interface MachineInfo {
  readonly date: string;
  readonly command: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly runtimeSeconds: number;
}

export interface ProfileSummary {
  readonly n: number;
  readonly totalMs: number;
  readonly functions: readonly HotSpot[];
  readonly areas: readonly HotSpot[];
  readonly causes: readonly HotSpot[];
  readonly reason: string;
}

export interface Targets {
  readonly overheadMax: number;
  readonly rssMaxMiB: number;
  readonly ruleShareMax: number;
  readonly overheadAt: number;
  readonly rssAt: number;
}

export interface Verdict {
  readonly name: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** Share of wall time Prometheus spends evaluating rules: Σ over groups of last duration / declared interval. */
export const ruleShare = (r: RuleEvalResult) => sum(r.timings.map((t) => t.warmSeconds / t.intervalSeconds));
/** The measured share plus the estimated cost of the history the backfill lacks. */
export const fullHistoryShare = (r: RuleEvalResult) => ruleShare(r) + (r.fullHistoryEstimate?.extraSecondsPerMinute ?? 0) / 60;

/** `1.08x–1.37x, median 1.22x`: the interleaved runs' own ratios (wall time). */
function pairs(s: SizeResult): string {
  const r = pairedRatios(s.project.map((x) => x.wallMs), s.baseline.map((x) => x.wallMs));
  return `${ratio(min(r))}–${ratio(max(r))}, median ${ratio(median(r))}`;
}

export function verdicts(t: Targets, synth: readonly SizeResult[], rules: RuleEvalResult | undefined): Verdict[] {
  const at = synth.find((s) => s.n === t.overheadAt);
  const rssAt = synth.find((s) => s.n === t.rssAt);
  const overhead = at ? median(at.project.map((r) => r.wallMs)) / median(at.baseline.map((r) => r.wallMs)) : undefined;
  const rss = rssAt ? max(rssAt.project.map((r) => r.maxRssKiB)) / 1024 : undefined;
  const share = rules ? fullHistoryShare(rules) : undefined;
  return [
    {
      name: `synth overhead ≤ ${t.overheadMax}x the bare cdktf baseline at N = ${t.overheadAt} (median wall time)`,
      measured: overhead === undefined ? "not measured (size not in --sizes)" : `${ratio(overhead)} (single pairs ${pairs(at!)})`,
      met: overhead === undefined ? undefined : overhead <= t.overheadMax,
    },
    {
      name: `${t.rssAt} services synthesize under ${t.rssMaxMiB} MiB peak RSS`,
      measured: rss === undefined ? "not measured (size not in --sizes)" : `${rss.toFixed(0)} MiB (max of ${rssAt!.project.length} runs)`,
      met: rss === undefined ? undefined : rss < t.rssMaxMiB,
    },
    {
      name: `rule evaluation for ${rules?.services ?? 100} services under ${pct(t.ruleShareMax, 0)} of the evaluation interval`,
      measured:
        share === undefined
          ? "not measured (--skip-rules)"
          : `${pct(ruleShare(rules!))} of the interval in group durations; ` +
            (rules!.fullHistoryEstimate ? `${pct(share)} with the missing long-window history estimated (judged on this)` : "no long-window estimate (calibration failed; judged on the durations)") +
            (rules!.cpu ? `; the rules' own CPU: ${pct(rules!.cpu.rulesPerMinuteDeclared / 60)} of one core` : ""),
      met: share === undefined ? undefined : share <= t.ruleShareMax,
    },
  ];
}

const row = (cells: readonly (string | number)[]) => `| ${cells.join(" | ")} |`;
const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
const mm = (xs: readonly number[], f: (x: number) => string) => `${f(min(xs))} / ${f(median(xs))}`;

function synthSection(synth: readonly SizeResult[]): string {
  const out: string[] = [];
  out.push(
    table(
      ["N", "stacks", "resources + data", "project wall (min / median)", "baseline wall (min / median)", "overhead, wall", "single pairs, wall", "project build+synth (min / median)", "baseline build+synth (min / median)", "overhead, build+synth", "project build+synth per service", "project peak RSS (max)", "baseline peak RSS (max)", "runs"],
      synth.map((s) => {
        const pw = s.project.map((r) => r.wallMs);
        const bw = s.baseline.map((r) => r.wallMs);
        const pk = s.project.map(workMs);
        const bk = s.baseline.map(workMs);
        return [
          s.n,
          s.projectOutput.stacks,
          s.projectOutput.blocks,
          mm(pw, sec),
          mm(bw, sec),
          ratio(median(pw) / median(bw)),
          pairs(s),
          mm(pk, sec),
          mm(bk, sec),
          ratio(median(pk) / median(bk)),
          msf(median(pk) / s.n),
          mib(max(s.project.map((r) => r.maxRssKiB))),
          mib(max(s.baseline.map((r) => r.maxRssKiB))),
          `${s.project.length} + ${s.baseline.length}`,
        ];
      }),
    ),
  );
  out.push("");
  out.push("Median time per phase (ms), project / baseline. `boot` is node + ts-node start-up, `import` loads cdktf, the provider classes and (project) the generators, `describe` generates the descriptions (project) or reads the shape file (baseline), `build` constructs the app (project: validation and every generator), `synth` is `app.synth()`.");
  out.push("");
  const phase = (runs: SizeResult["project"], p: string) => median(runs.map((r) => (p === "boot" ? r.bootMs : (r.phases[p] ?? 0))));
  out.push(
    table(
      ["N", "boot", "import", "describe", "build", "synth"],
      synth.map((s) => [s.n, ...["boot", "import", "describe", "build", "synth"].map((p) => `${phase(s.project, p).toFixed(0)} / ${phase(s.baseline, p).toFixed(0)}`)]),
    ),
  );
  if (synth.length > 1) {
    out.push("");
    out.push("Linearity: marginal build+synth cost per added service between consecutive sizes (medians). Flat means linear total time.");
    out.push("");
    const rows: (string | number)[][] = [];
    for (let i = 1; i < synth.length; i++) {
      const a = synth[i - 1];
      const b = synth[i];
      const d = (runs: SizeResult["project"], runsB: SizeResult["project"]) => (median(runsB.map(workMs)) - median(runs.map(workMs))) / (b.n - a.n);
      rows.push([`${a.n} → ${b.n}`, msf(d(a.project, b.project)), msf(d(a.baseline, b.baseline))]);
    }
    out.push(table(["sizes", "project ms / added service", "baseline ms / added service"], rows));
  }
  const mismatched = synth.filter((s) => s.countMismatch.length > 0);
  out.push("");
  out.push(
    mismatched.length === 0
      ? `Check: at every size the baseline's output has exactly the project's stacks, outputs, and resource and data-source counts by type, and per type the same number of attribute values and of references (read back from both \`cdk.tf.json\` sets). Types at N = ${synth[synth.length - 1].n}: ${synth[synth.length - 1].typeCounts.map(([k, v]) => `${k.replace(/^(resource|data)\./, "")} ${v}`).join(", ")}.`
      : `**Check failed**: the baseline's counts differ from the project's: ${mismatched.map((s) => `N=${s.n}: ${s.countMismatch.join("; ")}`).join(" / ")}. The baseline (bench/baseline/) needs updating to the project's output.`,
  );
  return out.join("\n");
}

function sizeSection(synth: readonly SizeResult[]): string {
  const out: string[] = [];
  out.push(
    table(
      ["N", "total JSON", "per service", "baseline total", "largest stack", "shared Grafana stack", "service AWS stack (min / avg / max)", "service Grafana stack (min / avg / max)", "platform stack", "largest dashboard JSON", "largest AMP rule file", "largest SSM value", "most rules in one Grafana rule group", "AMP recording rules", "Grafana alert rules"],
      synth.map((s) => {
        const o = s.projectOutput;
        return [
          s.n,
          bytes(o.totalBytes),
          bytes(o.totalBytes / s.n),
          bytes(s.baselineBytes),
          `${o.largestStack.id}: ${bytes(o.largestStack.bytes)}, ${o.largestStack.blocks} blocks`,
          bytes(o.grafanaBytes),
          `${bytes(o.serviceStackBytes.min)} / ${bytes(o.serviceStackBytes.avg)} / ${bytes(o.serviceStackBytes.max)}`,
          `${bytes(o.serviceGrafanaStackBytes.min)} / ${bytes(o.serviceGrafanaStackBytes.avg)} / ${bytes(o.serviceGrafanaStackBytes.max)}`,
          bytes(o.platformBytes),
          bytes(o.largest.dashboardJson),
          bytes(o.largest.ruleNamespaceData),
          bytes(o.largest.ssmValue),
          o.largest.ruleGroupRules,
          o.recordingRules,
          o.grafanaAlertRules,
        ];
      }),
    ),
  );
  return out.join("\n");
}

function ruleSection(r: RuleEvalResult): string {
  const out: string[] = [];
  const share = ruleShare(r);
  out.push(
    `${r.services} generated services (${r.slos} SLOs): ${r.groups} rule groups, ${r.recordingRules} recording rules and ${r.alertRules} alerts in ${bytes(r.ruleFileBytes)} of rule files, loaded into Prometheus ${r.prometheusVersion}. ` +
      `Synthetic series: ${r.backfill.series} series, ${(r.backfill.samples / 1e6).toFixed(2)} M samples backfilled (${bytes(r.backfill.bytes)} of OpenMetrics, ${r.backfill.seconds.toFixed(0)} s) over ${r.backfill.windows.join("; ")}, then scraped live from a target on 127.0.0.1. ` +
      `Prometheus started in ${r.startupSeconds.toFixed(1)} s; once every group had evaluated, each evaluated at least twice more within ${r.waitedSeconds.toFixed(0)} s (so groups reading other groups' recordings find them); ${r.headSeries} series in the head block at the end.`,
  );
  out.push("");
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
    `**${pct(share)}**`,
    ...(est ? [pct(est.extraSecondsPerMinute / 60), `**${pct(fullHistoryShare(r))}**`] : []),
    sum(r.timings.map((t) => t.samples)),
    sum(r.timings.map((t) => t.failures)),
  ];
  out.push(
    table(
      [
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
      ],
      [...rows, total],
    ),
  );
  const loadedFaster = r.timings.filter((t) => t.loadedIntervalSeconds < t.intervalSeconds);
  if (loadedFaster.length > 0)
    out.push(
      `\nGroups declared with an interval over ${formatDuration(max(loadedFaster.map((t) => t.loadedIntervalSeconds)))} (${[...new Set(loadedFaster.map((t) => formatDuration(t.intervalSeconds)))].join(", ")}: ${loadedFaster.length} groups) were loaded with that interval so that every group evaluates twice within a bounded wait; ` +
        "their duration per evaluation is divided by the declared interval above. They read the same windows at either interval; loading them faster adds CPU load while measuring, so wall-time durations of every group come out, if anything, high.",
    );
  out.push("");
  const perMinute = sum(r.timings.map((t) => (t.warmSeconds * 60) / t.intervalSeconds));
  const worst = [...r.timings].sort((a, b) => b.warmSeconds / b.intervalSeconds - a.warmSeconds / a.intervalSeconds)[0];
  out.push(
    `Total: ${perMinute.toFixed(2)} s of evaluation per minute of wall time, **${pct(share)}** of the interval (one core; groups run concurrently). ` +
      `Slowest group relative to its interval: ${worst.service}/${worst.family}, ${worst.warmSeconds.toFixed(4)} s every ${worst.intervalSeconds} s (${pct(worst.warmSeconds / worst.intervalSeconds, 3)}). ` +
      `First (cold) evaluations: ${pct(sum(r.timings.map((t) => t.coldSeconds / t.intervalSeconds)))} of the interval. Alerts firing at the end: ${r.firingAlerts}.`,
  );
  if (r.cpu)
    out.push(
      `\nCPU, insensitive to other load on the machine: Prometheus used ${r.cpu.idlePerMinute.toFixed(2)} CPU-seconds per minute scraping without rules, ${r.cpu.withRulesPerMinute.toFixed(2)} with every group evaluating (groups at their loaded intervals), so the rules took ${r.cpu.rulesPerMinute.toFixed(2)} CPU-s per minute; ` +
        `with every group at its declared interval (the groups loaded faster scaled back by their share of the durations) **${r.cpu.rulesPerMinuteDeclared.toFixed(2)} CPU-s per minute, ${pct(r.cpu.rulesPerMinuteDeclared / 60)} of one core**. ` +
        `Group durations are wall time and grow when the CPU is shared (other processes, or groups evaluating at the same moment); the CPU figure does not.`,
    );
  if (est)
    out.push(
      `\nFull history, estimated: the backfill holds ${r.backfill.windows.join("; ")}, and recorded series exist only since the rules were loaded, so every window reaching further back reads fewer samples here than on a mature TSDB (the long SLO windows over recorded 5m rates, the 1d quality ratios, averages over recorded series). ` +
        `For every range selector of every rule as generated: the series it selects × the minutes of its window the benchmark lacks × samples per minute (a raw series one per ${est.rawStepSeconds} s, the backfill's step; a recorded series one per declared interval of the group recording it), summed at each rule's declared interval (bench/rules/historyEstimate.ts). ` +
        `They would read ${(est.missingSamplesPerMinute / 1e6).toFixed(2)} M more samples per minute; at Prometheus's measured marginal ${est.nsPerSample.toFixed(0)} ns per sample (query stats of \`sum(count_over_time({__name__=~".+_bucket"}[w]))\` at two window lengths) that adds ${est.extraSecondsPerMinute.toFixed(2)} s per minute: **${pct(fullHistoryShare(r))}** of the interval in total. ` +
        "Instant selectors at an offset (memory 6h ago, replicas a day ago) read one sample per series and are left out.",
    );
  if (est && est.rules.length > 0) {
    out.push("");
    out.push("Rules missing the most history (samples per minute a mature TSDB adds, at their declared intervals):");
    out.push("");
    out.push(
      table(
        ["rule", "group family", "instances", "more samples per minute", "estimated s per minute", "share of interval"],
        est.rules.map((e) => [`\`${e.name}\``, e.family, e.rules, `${(e.samplesPerMinute / 1e6).toFixed(3)} M`, ((e.samplesPerMinute * est.nsPerSample) / 1e9).toFixed(3), pct((e.samplesPerMinute * est.nsPerSample) / 1e9 / 60)]),
      ),
    );
  }
  out.push("");
  out.push("Costliest rules (last evaluation, summed over services, normalized to a minute):");
  out.push("");
  out.push(table(["rule", "group family", "instances", "s per minute", "share of all evaluation"], r.costliestRules.map((c) => [`\`${c.name}\``, c.family, c.rules, c.secondsPerMinute.toFixed(3), pct(c.secondsPerMinute / perMinute, 1)])));
  out.push("");
  const perSvc = r.perService;
  const totalRecorded = sum(Object.values(r.recordedByName));
  out.push(
    `Recorded series (queried from the TSDB after the evaluations): ${totalRecorded} in total from ${r.recordingRules} recording rules (${(totalRecorded / r.recordingRules).toFixed(2)} per rule). ` +
      `Per SLO (\`slo:*\` series by \`service\`, \`slo\`): min ${min(r.perSlo)}, median ${median(r.perSlo)}, max ${max(r.perSlo)} over ${r.perSlo.length} SLOs (${sum(Object.values(r.sloRulesExpected))} expected: ${Object.entries(r.sloRulesExpected).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(", ")}). ` +
      `Per service (every recorded name, by \`service\`): min ${min(perSvc.map((p) => p.series))}, median ${median(perSvc.map((p) => p.series))}, max ${max(perSvc.map((p) => p.series))} series, from min ${min(perSvc.map((p) => p.recordingRules))}, median ${median(perSvc.map((p) => p.recordingRules))}, max ${max(perSvc.map((p) => p.recordingRules))} recording rules. ` +
      `Services whose recorded series are fewer than their recording rules: ${perSvc.filter((p) => p.series < p.recordingRules).length}.`,
  );
  out.push("");
  const names = Object.entries(r.recordedByName).sort((a, b) => b[1] - a[1]);
  out.push(table(["recorded name", "series"], names.map(([n, c]) => [`\`${n}\``, c])));
  return out.join("\n");
}

export function renderReport(p: {
  machine: MachineInfo;
  options: Record<string, string>;
  synth: readonly SizeResult[];
  rules?: RuleEvalResult;
  profile?: ProfileSummary;
  verdicts: readonly Verdict[];
  notes: readonly string[];
}): string {
  const m = p.machine;
  const out: string[] = [];
  out.push("# Benchmark: synth cost, output size and rule evaluation");
  out.push("");
  out.push(`Generated by \`npm run bench\` (\`${m.command}\`) on ${m.date}; do not edit by hand, re-run instead.`);
  out.push("");
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB; Node ${m.node}. Load average (1/5/15 min) before: ${m.loadBefore.map((x) => x.toFixed(2)).join(" / ")}, after: ${m.loadAfter.map((x) => x.toFixed(2)).join(" / ")}. ` +
      `The benchmark ran for ${(m.runtimeSeconds / 60).toFixed(1)} min. Options: ${Object.entries(p.options).map(([k, v]) => `${k}=${v}`).join(", ")}.`,
  );
  if (m.loadBefore[0] > m.cores * 0.5)
    out.push(`\n**The machine was busy** (load ${m.loadBefore[0].toFixed(2)} on ${m.cores} cores before the run): absolute times are inflated; ratios between interleaved runs are more trustworthy than absolute figures.`);
  out.push("");
  out.push(
    "Reproduce: `npm run bench` (defaults below; 7 to 8 minutes on 2 cores), or smaller: `npm run bench -- --sizes 1,10 --reps 2 --rule-services 10`. " +
      "Options: `--sizes`, `--reps` (`--large-reps` from `--large-from`), `--rule-services`, `--history-minutes`, `--eval-iterations`, `--idle-seconds`, `--profile auto|always|never`, `--profile-size`, `--skip-synth`, `--skip-rules`, `--out`, `--json` (raw results). " +
      "Needs `/usr/bin/prometheus` and `/usr/bin/promtool` (Debian package `prometheus`, or `PROMETHEUS_BIN` / `PROMTOOL_BIN`); Prometheus listens on 127.0.0.1 only, in a temp folder, and is always stopped.",
  );
  out.push("");
  out.push("## Targets");
  out.push("");
  out.push(table(["target", "measured", "met"], p.verdicts.map((v) => [v.name, v.measured, v.met === undefined ? "–" : v.met ? "yes" : "**no**"])));
  out.push("");
  if (p.synth.length > 0) {
    out.push("## 1. Synth time and memory against a bare cdktf program");
    out.push("");
    out.push(
      "Each measurement is its own child process (`ts-node --swc`, as `npm run synth` runs), timed from spawn to exit; peak RSS is the child's own `getrusage` maxRSS (`process.resourceUsage()`). " +
        "**Project**: N generated service descriptions (seeded: kinds, stages, SLOs, models, quality scores, drift features with and without pinned baselines, teams and receivers vary) → `normalizeService` → `buildObservabilityApp` (one environment: platform stack, per service an AWS stack and a Grafana stack, the shared Grafana stack) → `app.synth()` into a temp folder. " +
        "**Baseline**: a plain cdktf program (`bench/baseline/program.ts`) that rebuilds the project's output at that size from a declarative table of it (`bench/baseline/shape.ts`: per stack its providers, backend and dependencies, per block its type, logical name, attributes and the blocks its references point to, long text as its length), so it follows any change to the constructs without being edited: the same stacks, blocks of each type from its deep-imported provider class with the same attributes, tags and settings, and the same references as cdktf tokens (to data sources, secrets and, through cdktf's own remote state, other stacks); long strings (rule files, dashboards, alert queries, collector config) are literal text of the same length. No description, validation, generator or construct of the project runs. " +
        "Runs alternate project, baseline, project, baseline…; min and median are reported. The ratio of medians is the project's overhead; the ratios of the single interleaved pairs show how much one pair scatters on this machine.",
    );
    out.push("");
    out.push(synthSection(p.synth));
    out.push("");
    out.push("## 2. Output size");
    out.push("");
    out.push(sizeSection(p.synth));
    out.push("");
  }
  if (p.rules) {
    out.push("## 3. Rule evaluation in Prometheus");
    out.push("");
    out.push(ruleSection(p.rules));
    out.push("");
  }
  if (p.profile) {
    out.push(`## Profile of the project's synth (N = ${p.profile.n})`);
    out.push("");
    out.push(
      `${p.profile.reason} V8's sampling CPU profiler (what \`node --cpu-prof\` runs), started in the child after the imports, so it covers build + synth only: ${sec(p.profile.totalMs)} profiled.`,
    );
    out.push("");
    out.push("Time by cause: every sample is charged to the innermost project function on its stack, so work done inside cdktf, yaml or the foundation SDK on a project function's behalf is charged to that function. `bench/projectSynth.ts` is the benchmark's own `app.synth()` call: cdktf synthesizing whatever the constructs built.");
    out.push("");
    out.push(table(["project function", "where", "time", "share"], p.profile.causes.map((f) => [`\`${f.name}\``, f.where, msf(f.selfMs), pct(f.share, 1)])));
    out.push("");
    out.push("Self time by function (the hottest functions themselves):");
    out.push("");
    out.push(table(["function", "where", "self time", "share"], p.profile.functions.map((f) => [`\`${f.name}\``, f.where, msf(f.selfMs), pct(f.share, 1)])));
    out.push("");
    out.push("Self time by code area:");
    out.push("");
    out.push(table(["area", "self time", "share"], p.profile.areas.map((a) => [a.name, msf(a.selfMs), pct(a.share, 1)])));
    out.push("");
  }
  if (p.notes.length > 0) {
    out.push("## Notes");
    out.push("");
    for (const n of p.notes) out.push(`- ${n}`);
    out.push("");
  }
  return out.join("\n");
}
