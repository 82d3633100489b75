/**
 * Runs a service's rules over its scenarios: the rules split into independent parts
 * (components.ts), each (part, scenario) evaluated by range queries in its own real Prometheus
 * (rangeEval.ts; `promtool test rules` when a rule reads a recording evaluated after it) fed the
 * series that part reads, at most `concurrency` at once, each result cached by the hash of the part's rule text and
 * the scenario (cache.ts). Traffic is generated once per scenario, only when some part missed.
 */
import { availableParallelism } from "node:os";
import type { RuleGroup } from "../../alerts/ruleModel";
import type { ServiceModel } from "../../service/model";
import { readByRules, toInputSeries } from "../promtoolInput";
import { runPromtool } from "../promtoolRun";
import { DEFAULT_SEED, scenarioSeries, totalMinutes } from "../scenario";
import type { Series } from "../seriesBook";
import { noCache, replayCodeHash, sha256, type SimulationCache } from "./cache";
import { independentComponents, type RuleComponent } from "./components";
import type { SimulationScenario } from "./family";
import { SLI_RECORD, byAlertAndSeverity, firingProbes, lastEvaluation, readFiring, readSli, sliOf, sliProbes, stepMinutes, type FiringHistory, type SliSeries } from "./probes";
import { evaluateByRanges, OutOfOrderReadError } from "./rangeEval";

export interface SimulateOptions {
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** @default - nothing cached */
  readonly cache?: SimulationCache;
  /** Parts evaluated at once. @default - the machine's cores, at most 2 */
  readonly concurrency?: number;
}

/** One part's answer for one scenario: what is cached. */
interface PartResult {
  readonly firing: FiringHistory[];
  readonly sli: SliSeries[];
  readonly seconds: number;
}

export interface ScenarioRun {
  readonly scenario: SimulationScenario;
  /** Every alert that fired at some evaluation, merged over the parts. */
  readonly firing: readonly FiringHistory[];
  readonly sli: readonly SliSeries[];
  /** Seconds spent evaluating this scenario's parts now, summed over the parts (0 when every part came from the cache). */
  readonly evaluationSeconds: number;
  readonly parts: number;
  readonly cachedParts: number;
}

/** What a result depends on besides the part's rules: bump when the cached shape changes. */
const CACHE_FORMAT = 2;

function partKey(part: RuleComponent, s: SimulationScenario, model: ServiceModel, seed: number): string {
  const sc = s.scenario;
  const what = { f: CACHE_FORMAT, code: replayCodeHash(), rules: sha256(part.text), family: s.family, id: sc.id, leadIn: sc.leadInMinutes, minutes: totalMinutes(sc), step: sc.evaluationInterval, seed, model };
  return sha256(JSON.stringify(what));
}

/** A fixed-size pool: `run` starts at most `size` tasks at once. */
function pool(size: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= size) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** One part over one scenario by range queries in a real Prometheus (rangeEval.ts); promtool when its order cannot be reproduced there. */
async function runPart(part: RuleComponent, s: SimulationScenario, series: readonly Series[]): Promise<PartResult> {
  const sc = s.scenario;
  const read = readByRules(part.text);
  const input = series.filter(read.series);
  const withSli = part.groups.some((g) => g.rules.some((r) => "record" in r && r.record === SLI_RECORD));
  const started = Date.now();
  try {
    const step = stepMinutes(sc);
    const r = await evaluateByRanges(part.groups, input, lastEvaluation(sc) / step + 1, step * 60);
    const firing = [...r.firing.values()].filter((h) => h.firing.some((f) => f)).sort(byAlertAndSeverity);
    return { firing, sli: withSli ? sliOf(sc, r.recorded.get(SLI_RECORD) ?? []) : [], seconds: (Date.now() - started) / 1000 };
  } catch (e) {
    if (!(e instanceof OutOfOrderReadError)) throw e;
  }
  const result = await runPromtool(
    part.text,
    {
      groupEvalOrder: part.groups.map((g) => g.name),
      evaluationInterval: sc.evaluationInterval,
      interval: "1m",
      inputSeries: toInputSeries(input),
      tests: [...firingProbes(sc), ...(withSli ? sliProbes(sc) : [])],
    },
    30 * 60 * 1000,
  );
  return { firing: readFiring(sc, result.output), sli: withSli ? readSli(sc, result.output) : [], seconds: result.seconds };
}

/** The scenarios run over `groups`, with traffic from `model`; results in the scenarios' order. */
export async function simulate(model: ServiceModel, groups: readonly RuleGroup[], scenarios: readonly SimulationScenario[], options: SimulateOptions = {}): Promise<ScenarioRun[]> {
  const seed = options.seed ?? DEFAULT_SEED;
  const cache = options.cache ?? noCache;
  const run = pool(Math.max(1, options.concurrency ?? Math.min(2, availableParallelism())));
  const parts = independentComponents(groups);
  const start = (s: SimulationScenario): Promise<ScenarioRun> => {
    const keys = parts.map((p) => partKey(p, s, model, seed));
    const cached = keys.map((k) => cache.get<PartResult>(k));
    const missing = parts.filter((_, j) => !cached[j]);
    let series: Series[] = [];
    if (missing.length > 0) {
      const names = missing.map((p) => readByRules(p.text).name);
      series = scenarioSeries(s.scenario, seed, (n) => names.some((f) => f(n)));
    }
    const results = parts.map(async (p, j) => {
      if (cached[j]) return { ...cached[j]!, fresh: false };
      const r = await run(() => runPart(p, s, series));
      cache.set(keys[j], r);
      return { ...r, fresh: true };
    });
    return Promise.all(results).then((rs) => ({
      scenario: s,
      firing: rs.flatMap((r) => r.firing),
      sli: rs.flatMap((r) => r.sli),
      evaluationSeconds: rs.filter((r) => r.fresh).reduce((t, r) => t + r.seconds, 0),
      parts: parts.length,
      cachedParts: rs.filter((r) => !r.fresh).length,
    }));
  };
  // Traffic is generated on this thread, longest replay first (its runs are the longest), one
  // scenario at a time with a turn of the event loop between: runs that ended are noticed and
  // queued runs start while the next scenario's traffic is generated.
  const order = scenarios.map((s, i) => ({ s, i })).sort((a, b) => totalMinutes(b.s.scenario) - totalMinutes(a.s.scenario) || a.i - b.i);
  const pending: Promise<ScenarioRun>[] = new Array(scenarios.length);
  for (const { s, i } of order) {
    await new Promise((go) => setTimeout(go, 0));
    pending[i] = start(s);
  }
  return Promise.all(pending);
}
