/**
 * Runs the real promtool (Debian package `prometheus`) on generated rule files and test suites.
 * When promtool is missing the caller gets a reason to print as a visible SKIPPED line.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";

export function promtoolMissing(): string | undefined {
  const r = spawnSync("promtool", ["--version"], { encoding: "utf8" });
  return r.error ? "promtool is not installed (apt-get install prometheus)" : undefined;
}

/** `promtool check rules` on a rule file's text; returns promtool's output, throws on failure. */
export function checkRules(ruleFileText: string): string {
  const dir = mkdtempSync(join(tmpdir(), "promtool-"));
  const file = join(dir, "rules.yaml");
  writeFileSync(file, ruleFileText);
  const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`promtool check rules failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export interface PromtoolTestCase {
  readonly interval: string;
  readonly input_series: readonly { series: string; values: string }[];
  readonly alert_rule_test?: readonly {
    eval_time: string;
    alertname: string;
    exp_alerts: readonly { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
  }[];
  readonly promql_expr_test?: readonly {
    expr: string;
    eval_time: string;
    exp_samples: readonly { labels: string; value: number }[];
  }[];
  readonly name?: string;
}

/**
 * `promtool test rules` with the given rule file and test cases; throws with promtool's own
 * output when a case fails, so the jest failure shows what promtool saw.
 */
export function testRules(ruleFileText: string, tests: readonly PromtoolTestCase[], evaluationInterval = "1m"): string {
  const suite = writeSuite(ruleFileText, tests, evaluationInterval);
  try {
    // stderr is kept for the error below rather than echoed into the test log.
    return execFileSync("promtool", ["test", "rules", suite], { cwd: dirname(suite), encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`promtool test rules failed (suite kept at ${suite}):\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
}

/**
 * What each PromQL expression returns at `evalTime`, read through `promtool test rules`: each is
 * asked for a sample it never returns, so promtool reports what it got. One number per expression
 * (its single sample's value), or undefined where it returned nothing. Throws with promtool's
 * output when it reports fewer results than expressions (a rule file it could not load).
 */
export function probeValues(
  ruleFileText: string,
  input: Pick<PromtoolTestCase, "interval" | "input_series">,
  exprs: readonly string[],
  evalTime: string,
  evaluationInterval: string,
): (number | undefined)[] {
  const never = { labels: '{probe="never"}', value: -1 };
  const suite = writeSuite(ruleFileText, [{ ...input, promql_expr_test: exprs.map((expr) => ({ expr, eval_time: evalTime, exp_samples: [never] })) }], evaluationInterval);
  const r = spawnSync("promtool", ["test", "rules", suite], { cwd: dirname(suite), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  const got = [...out.matchAll(/got: (.*)/g)].map((m) => m[1]);
  if (got.length !== exprs.length) throw new Error(`promtool reported ${got.length} results for ${exprs.length} probes (suite kept at ${suite}):\n${out}`);
  return got.map((g) => {
    const value = /} ([0-9.e+E-]+)/.exec(g)?.[1];
    return value === undefined ? undefined : Number(value);
  });
}

/** Writes the rule file and a suite of `tests` into a fresh directory; returns the suite's path. */
function writeSuite(ruleFileText: string, tests: readonly PromtoolTestCase[], evaluationInterval: string): string {
  const dir = mkdtempSync(join(tmpdir(), "promtool-test-"));
  writeFileSync(join(dir, "rules.yaml"), ruleFileText);
  const suite = join(dir, "suite.yaml");
  // promtool otherwise evaluates groups in Go's random map order, so alert times would shift by an
  // interval between runs; the rule file lists recording groups before the alerts that read them.
  const groupEvalOrder = ((parse(ruleFileText) as { groups?: { name: string }[] }).groups ?? []).map((g) => g.name);
  writeFileSync(
    suite,
    stringify({ rule_files: ["rules.yaml"], evaluation_interval: evaluationInterval, group_eval_order: groupEvalOrder, tests }, { lineWidth: 0 }),
  );
  return suite;
}
