/**
 * `mlobs lint <cdktf.out> [--paging-budget N]`: prints each finding with its service, resource
 * address and fix. Exit codes: 0 clean, 1 findings, 2 bad input.
 */
import { InputError, readStack, stackFiles } from "../review/load";
import { stackDoc } from "../review/synthOutput";
import { formatFinding } from "./finding";
import { LINT_RULES, lintStacks } from "./lint";

export interface LintArgs {
  readonly values: Readonly<Record<string, string>>;
  readonly positional: readonly string[];
}

export function lintCommand(args: LintArgs, out: (text: string) => void): number {
  const fail = (message: string) => {
    process.stderr.write(`error: ${message}\nusage: mlobs lint <cdktf.out> [--paging-budget N]\n`);
    return 2;
  };
  if (args.positional.length !== 1) return fail("give one synthesized output folder (cdktf.out)");
  const budgetText = args.values["--paging-budget"];
  if (budgetText !== undefined && !/^\d+$/.test(budgetText)) return fail(`--paging-budget: "${budgetText}" is not a whole number; give e.g. --paging-budget 6`);
  const dir = args.positional[0];
  let result;
  try {
    const files = stackFiles(dir);
    // Each stack is read when lint asks for it and let go after (see lint.ts).
    const stacks = (function* () {
      for (const f of files) yield stackDoc(f.name, readStack(f));
    })();
    result = lintStacks(stacks, { pagingBudget: budgetText === undefined ? undefined : Number(budgetText) });
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    throw e;
  }
  const { findings } = result;
  const scope = `${result.stacks} stacks, ${LINT_RULES.length} rules`;
  if (findings.length === 0) {
    out(`lint: no findings in ${dir} (${scope})`);
    return 0;
  }
  const rules = new Set(findings.map((f) => f.rule)).size;
  out(`lint: ${findings.length} finding(s) of ${rules} rule(s) in ${dir} (${scope})`);
  for (const f of findings) out(formatFinding(f));
  return 1;
}
