/**
 * Runs `promtool test rules` (Debian package `prometheus`) on a rule file and a suite, in a temp
 * folder removed afterwards, bounded in time. promtool only asserts, so measurements come from
 * probes: a `promql_expr_test` whose expected sample can never match, and whose failure report
 * carries what the expression returned (`got: {labels} value, …`), which `probeResults` reads.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runProcess } from "../toolkit/childProcess";
import type { InputSeries } from "./promtoolInput";
import { PROMTOOL_BIN } from "../toolkit/prometheusServer";

export interface PromqlExprTest {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: readonly { readonly labels: string; readonly value: number }[];
}

export interface PromtoolSuite {
  /**
   * Order promtool evaluates the groups in at each step. Without it promtool orders them over Go's
   * random map iteration, so an alert group sees its recording group's result of the same step in
   * one run and of the step before in the next: alert times differ by an interval between runs.
   */
  readonly groupEvalOrder: readonly string[];
  readonly evaluationInterval: string;
  readonly interval: string;
  readonly inputSeries: readonly InputSeries[];
  readonly tests: readonly PromqlExprTest[];
}

export interface PromtoolResult {
  /** promtool's exit status was 0 (every test passed). */
  readonly passed: boolean;
  readonly output: string;
  readonly seconds: number;
}

/** Label set promtool can never return: probes expect it, so their report shows what came back. */
export const PROBE_LABELS = '{__replay_probe__="never"}';

export function probe(expr: string, evalTime: string): PromqlExprTest {
  return { expr, eval_time: evalTime, exp_samples: [{ labels: PROBE_LABELS, value: -1 }] };
}

/** Runs promtool; rejects only when promtool cannot run or exceeds `timeoutMs` (it is killed). */
export async function runPromtool(ruleFileText: string, suite: PromtoolSuite, timeoutMs = 10 * 60 * 1000): Promise<PromtoolResult> {
  const dir = mkdtempSync(join(tmpdir(), "replay-promtool-"));
  writeFileSync(join(dir, "rules.yaml"), ruleFileText);
  // JSON is YAML, and far faster to write than YAML for megabytes of input series.
  writeFileSync(
    join(dir, "suite.yaml"),
    JSON.stringify({
      rule_files: ["rules.yaml"],
      evaluation_interval: suite.evaluationInterval,
      group_eval_order: suite.groupEvalOrder,
      tests: [{ interval: suite.interval, input_series: suite.inputSeries, promql_expr_test: suite.tests }],
    }),
  );
  const r = await runProcess(PROMTOOL_BIN, ["test", "rules", "suite.yaml"], { cwd: dir, timeoutMs }).finally(() => rmSync(dir, { recursive: true, force: true }));
  if (r.signal) throw new Error(`promtool test rules was killed (${r.signal}) after ${timeoutMs / 1000}s; output so far:\n${r.output}`);
  return { passed: r.code === 0, output: r.output, seconds: r.ms / 1000 };
}

export interface ProbeSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** What each probe returned, by expression, read from promtool's failure report. */
export function probeResults(output: string): Map<string, ProbeSample[]> {
  const results = new Map<string, ProbeSample[]>();
  const block = /expr: ("(?:[^"\\]|\\.)*"), time: [^\n]*\n\s*exp: [^\n]*\n\s*got: ([^\n]*)/g;
  for (const m of output.matchAll(block)) {
    const expr = JSON.parse(m[1]) as string;
    const got = m[2].trim();
    const samples: ProbeSample[] = [];
    if (got !== "nil")
      for (const s of got.matchAll(/\{([^}]*)\} ([-+0-9.eE]+|NaN|[-+]Inf)/g))
        samples.push({
          labels: Object.fromEntries([...s[1].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]])),
          value: Number(s[2]),
        });
    results.set(expr, samples);
  }
  return results;
}
