/**
 * Synth cost as services grow: per size N, the project's synth and the bare cdktf baseline, each
 * in its own child process, interleaved (A B A B ...). The first project run of each size gives
 * the output-size figures and the description the baseline is built from (bench/baseline/); the
 * first baseline run is checked to write the same Terraform, stack by stack.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeProgram } from "./baseline/describe";
import { runChild, type ChildRun } from "./runChild";
import { attributeCounts, blockTotal, countDifferences, outputDifferences, readStacks, typeCounts, type StackOutput } from "./synthOutput";

export const ENVIRONMENT = "prod";

export interface OutputSize {
  readonly totalBytes: number;
  readonly stacks: number;
  readonly blocks: number;
  readonly largestStack: { readonly id: string; readonly bytes: number; readonly blocks: number };
  readonly grafanaBytes: number;
  readonly platformBytes: number;
  readonly serviceStackBytes: { readonly min: number; readonly avg: number; readonly max: number };
  /** Per-service Grafana stacks (`obs-<env>-<service>-grafana`). */
  readonly serviceGrafanaStackBytes: { readonly min: number; readonly avg: number; readonly max: number };
  /** Largest single values that have limits of their own. */
  readonly largest: { readonly dashboardJson: number; readonly ruleNamespaceData: number; readonly ssmValue: number; readonly ruleGroupRules: number };
  /** Recording rules in all AMP rule-group namespaces, and Grafana-managed alert rules. */
  readonly recordingRules: number;
  readonly grafanaAlertRules: number;
}

export interface SizeResult {
  readonly n: number;
  readonly project: ChildRun[];
  readonly baseline: ChildRun[];
  readonly projectOutput: OutputSize;
  readonly baselineBytes: number;
  /** Differences between the project's and the baseline's counts by type; empty when they match. */
  readonly countMismatch: string[];
  readonly typeCounts: [string, number][];
}

function outputSize(stacks: readonly StackOutput[]): OutputSize {
  const blocksOf = (s: StackOutput) => blockTotal(typeCounts([s]));
  const largest = [...stacks].sort((a, b) => b.bytes - a.bytes)[0];
  const grafana = stacks.find((s) => s.id === `obs-${ENVIRONMENT}-grafana`);
  const platform = stacks.find((s) => s.id === `obs-${ENVIRONMENT}-platform`);
  const serviceGrafana = stacks.filter((s) => s !== grafana && s.id.endsWith("-grafana")).map((s) => s.bytes);
  const services = stacks.filter((s) => s !== grafana && s !== platform && !s.id.endsWith("-grafana")).map((s) => s.bytes);
  const spread = (xs: number[]) => ({ min: xs.length ? Math.min(...xs) : 0, avg: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length), max: xs.length ? Math.max(...xs) : 0 });
  const values = (type: string, attr: string) =>
    stacks.flatMap((s) => Object.values(s.json.resource?.[type] ?? {}).map((b) => (typeof b[attr] === "string" ? (b[attr] as string).length : Array.isArray(b[attr]) ? (b[attr] as unknown[]).length : 0)));
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  const all = (type: string) => stacks.flatMap((s) => Object.values(s.json.resource?.[type] ?? {}));
  return {
    totalBytes: stacks.reduce((a, s) => a + s.bytes, 0),
    stacks: stacks.length,
    blocks: blockTotal(typeCounts(stacks)),
    largestStack: { id: largest.id, bytes: largest.bytes, blocks: blocksOf(largest) },
    grafanaBytes: grafana?.bytes ?? 0,
    platformBytes: platform?.bytes ?? 0,
    serviceStackBytes: spread(services),
    serviceGrafanaStackBytes: spread(serviceGrafana),
    largest: {
      dashboardJson: max(values("grafana_dashboard", "config_json")),
      ruleNamespaceData: max(values("aws_prometheus_rule_group_namespace", "data")),
      ssmValue: max(values("aws_ssm_parameter", "value")),
      ruleGroupRules: max(values("grafana_rule_group", "rule")),
    },
    recordingRules: all("aws_prometheus_rule_group_namespace").reduce((a, b) => a + (String(b.data).match(/^\s*- record: /gm)?.length ?? 0), 0),
    grafanaAlertRules: all("grafana_rule_group").reduce((a, b) => a + ((b.rule as unknown[] | undefined)?.length ?? 0), 0),
  };
}

export interface SynthBenchOptions {
  readonly sizes: readonly number[];
  readonly reps: (n: number) => number;
  readonly log: (line: string) => void;
}

export async function runSynthBench(o: SynthBenchOptions): Promise<SizeResult[]> {
  const results: SizeResult[] = [];
  for (const n of o.sizes) {
    const dir = mkdtempSync(join(tmpdir(), `mlobs-bench-synth-${n}-`));
    try {
      const project: ChildRun[] = [];
      const baseline: ChildRun[] = [];
      let projectOutput: OutputSize | undefined;
      let projectCounts: Map<string, number> | undefined;
      let projectAttributes: Map<string, number> | undefined;
      let baselineBytes = 0;
      let countMismatch: string[] = [];
      const programFile = join(dir, "program.json");
      const reps = o.reps(n);
      for (let rep = 1; rep <= reps; rep++) {
        // A: the project.
        const pOut = join(dir, `project-${rep}`);
        project.push(await runChild("bench/projectSynth.ts", ["--n", String(n), "--out", pOut]));
        if (rep === 1) {
          const stacks = readStacks(pOut);
          projectOutput = outputSize(stacks);
          projectCounts = typeCounts(stacks);
          projectAttributes = attributeCounts(stacks);
          writeFileSync(programFile, JSON.stringify(describeProgram(pOut, stacks)));
        }
        // B: the bare baseline writing the same output. Reading its description is the benchmark's
        // input, not cdktf's work: left out of its wall time (the phase is still reported).
        const bOut = join(dir, `baseline-${rep}`);
        const b = await runChild("bench/baselineSynth.ts", ["--program", programFile, "--out", bOut]);
        baseline.push({ ...b, wallMs: b.wallMs - (b.phases.describe ?? 0) });
        if (rep === 1) {
          const stacks = readStacks(bOut);
          baselineBytes = stacks.reduce((a, s) => a + s.bytes, 0);
          countMismatch = [
            ...outputDifferences(pOut, bOut),
            ...countDifferences(projectCounts!, typeCounts(stacks)),
            ...countDifferences(projectAttributes!, attributeCounts(stacks)),
          ];
          if (countMismatch.length > 0) o.log(`  WARNING: baseline output differs from the project's at N=${n}: ${countMismatch.slice(0, 5).join("; ")}`);
        }
        rmSync(pOut, { recursive: true, force: true });
        rmSync(bOut, { recursive: true, force: true });
        const p = project[project.length - 1];
        const q = baseline[baseline.length - 1];
        o.log(`  N=${n} rep ${rep}/${reps}: project ${(p.wallMs / 1000).toFixed(2)} s, ${(p.maxRssKiB / 1024).toFixed(0)} MiB; baseline ${(q.wallMs / 1000).toFixed(2)} s, ${(q.maxRssKiB / 1024).toFixed(0)} MiB`);
      }
      results.push({ n, project, baseline, projectOutput: projectOutput!, baselineBytes, countMismatch, typeCounts: [...projectCounts!.entries()].sort() });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}
