/**
 * `mlobs simulate <service.yaml>... [--env ENV] [--scenario NAME]... [--out DIR] [--cache DIR] [--no-cache]`:
 * replays the field's incidents and a healthy month against each service's generated rules
 * (replay/simulate/), prints when users notice, the first ticket and page and what fired, and
 * writes one SVG timeline per scenario into DIR/<service>/. Exit 2 on bad input, Prometheus or promtool missing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { loadServicesFiles } from "../service/load";
import { defaultCacheDir, fileCache, noCache } from "../replay/simulate/cache";
import { prometheusMissing } from "../toolkit/prometheusServer";
import { scenariosFor, UnknownScenarioError, SIMULATION_FAMILIES } from "../replay/simulate/family";
import { outcomeOf } from "../replay/simulate/outcome";
import { simulationReport } from "../replay/simulate/report";
import { simulate } from "../replay/simulate/run";
import { timelineSvg } from "../replay/simulate/svg";
import { defaultEnvironment } from "./ruleFiles";
import { commandLineError, UsageError } from "./usageError";

export const SIMULATE_USAGE = "mlobs simulate <service.yaml>... [--env ENV] [--scenario NAME]... [--out DIR] [--cache DIR] [--no-cache]";

interface SimulateArgs {
  readonly files: string[];
  readonly scenarios?: string[];
  readonly env?: string;
  readonly out: string;
  readonly cache?: string;
}

function parse(args: readonly string[]): SimulateArgs {
  const files: string[] = [];
  const scenarios: string[] = [];
  const values: Record<string, string> = {};
  let noCacheAsked = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--no-cache") noCacheAsked = true;
    else if (["--env", "--scenario", "--out", "--cache"].includes(a)) {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) throw commandLineError(`${a} needs a value`);
      if (a === "--scenario") scenarios.push(...v.split(",").map((s) => s.trim()).filter(Boolean));
      else values[a] = v;
    } else if (a.startsWith("--")) throw commandLineError(`unknown option ${a}; options are --env, --scenario, --out, --cache, --no-cache`);
    else files.push(a);
  }
  if (files.length === 0) throw commandLineError("give at least one description file");
  if (noCacheAsked && values["--cache"]) throw new UsageError("--cache DIR and --no-cache contradict each other; give one");
  return {
    files,
    scenarios: scenarios.length ? scenarios : undefined,
    env: values["--env"],
    out: values["--out"] ?? "mlobs-simulate",
    cache: noCacheAsked ? undefined : (values["--cache"] ?? defaultCacheDir()),
  };
}

/** Why the rules cannot run here: simulate evaluates them in a real Prometheus (promtool when their order needs it). */
function engineProblem(): string | undefined {
  const missing = prometheusMissing();
  return missing ? `${missing}: simulate runs the rules in it` : undefined;
}

export async function simulateCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  const a = parse(args);
  const services = loadServicesFiles(a.files);
  for (const s of services) {
    try {
      defaultEnvironment(s, a.env);
    } catch (e) {
      throw new UsageError(`--env: ${(e as Error).message}`);
    }
    try {
      scenariosFor(s, a.scenarios);
    } catch (e) {
      if (e instanceof UnknownScenarioError) throw new UsageError(`--scenario: ${e.message}`);
      throw e;
    }
  }
  const missing = engineProblem();
  if (missing) throw new UsageError(missing);
  const cache = a.cache ? fileCache(a.cache) : noCache;
  for (const s of services) {
    const { scenarios, skipped } = scenariosFor(s, a.scenarios, SIMULATION_FAMILIES);
    const groups = serviceRuleGroups(s, { environment: defaultEnvironment(s, a.env) });
    const outcomes = (await simulate(s, groups, scenarios, { cache })).map((r) => outcomeOf(s, r));
    for (const line of simulationReport(s.name, outcomes, skipped)) out(line);
    const dir = join(a.out, s.name);
    mkdirSync(dir, { recursive: true });
    for (const o of outcomes) writeFileSync(join(dir, `${o.id}.svg`), timelineSvg(s, o));
    out(`wrote ${outcomes.length} timeline(s) into ${dir}`);
    out("");
  }
  return 0;
}
