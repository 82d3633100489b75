/**
 * Runs a service's rules over its scenarios: the rules split into independent parts
 * (components.ts), each result cached by the hash of the part's rule text and the scenario
 * (cache.ts). Traffic is generated once per scenario, only when some part missed. A scenario's
 * missed parts are evaluated by range queries in one real Prometheus fed the series they read a
 * day at a time while the rest is generated (rangeEval.ts), or each in `promtool test rules` when
 * rangeRefusal names a reason; at most `concurrency` Prometheus or promtool processes at once.
 */
import { availableParallelism } from "node:os";
import { isAlert, type RuleGroup } from "../../alerts/ruleModel";
import type { ServiceModel } from "../../service/model";
import { readByRules, toInputSeries } from "../promtoolInput";
import { runPromtool } from "../promtoolRun";
import { DEFAULT_SEED, scenarioSeriesInTurns, totalMinutes } from "../scenario";
import type { Series } from "../seriesBook";
import { noCache, replayCodeHash, sha256, type SimulationCache } from "./cache";
import { independentComponents, nameMention, type RuleComponent } from "./components";
import type { SimulationScenario } from "./family";
import { SLI_RECORD, byAlertAndSeverity, firingProbes, lastEvaluation, readFiring, readSli, sliOf, sliProbes, stepMinutes, type FiringHistory, type SliSeries } from "./probes";
import { rangeRefusal, ReplayPrometheus, type InputWindow, type RangeEvaluation } from "./rangeEval";

export interface SimulateOptions {
  /** @default DEFAULT_SEED */
  readonly seed?: number;
  /** @default - nothing cached */
  readonly cache?: SimulationCache;
  /** Prometheus or promtool processes at once. @default - the machine's cores, at most 2 */
  readonly concurrency?: number;
}

/** One part's answer for one scenario: what is cached. */
interface PartResult {
  readonly firing: FiringHistory[];
  readonly sli: SliSeries[];
  /** Its evaluation's seconds (its share of a Prometheus shared with other parts). */
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

/** One part over one scenario in `promtool test rules`, for a part the range queries cannot reproduce (rangeRefusal). */
async function runInPromtool(part: RuleComponent, s: SimulationScenario, input: readonly Series[]): Promise<PartResult> {
  const sc = s.scenario;
  const withSli = readsSli(part);
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

const readsSli = (part: RuleComponent) => part.groups.some((g) => g.rules.some((r) => "record" in r && r.record === SLI_RECORD));

/**
 * A scenario's traffic while it is generated: the series so far and how many minutes of them are
 * final, so that a Prometheus is written to while the rest is generated.
 */
class Traffic {
  private series: readonly Series[] = [];
  private minutes = 0;
  private done = false;
  private failure: { error: unknown } | undefined;
  private waiting: (() => void)[] = [];

  progress(series: readonly Series[], minutesDone: number): void {
    this.series = series;
    this.minutes = minutesDone;
    this.wake();
  }
  finish(series: readonly Series[]): void {
    this.series = series;
    this.done = true;
    this.wake();
  }
  fail(error: unknown): void {
    this.failure = { error };
    this.wake();
  }
  private wake(): void {
    for (const go of this.waiting.splice(0)) go();
  }
  /** The series and their final minutes now (every minute once done); throws the generator's error. */
  now(): { series: readonly Series[]; minutes: number; done: boolean } {
    if (this.failure) throw this.failure.error;
    return { series: this.series, minutes: this.done ? Number.POSITIVE_INFINITY : this.minutes, done: this.done };
  }
  /** Resolves at the next progress, end or failure. */
  next(): Promise<void> {
    return new Promise((go) => this.waiting.push(go));
  }
}

/** Minutes of traffic written to a Prometheus at a time while the rest is generated. */
const FEED_MINUTES = 24 * 60;

/** Writes the series `wanted` passes into `replay` as they are generated, a day at a time, until all of them are written. */
async function feed(replay: ReplayPrometheus, traffic: Traffic, wanted: (s: Series) => boolean): Promise<void> {
  /** Minutes of each series written so far; -1 for a series not wanted. */
  const written = new Map<Series, number>();
  let fed = 0;
  for (;;) {
    const { series, minutes, done } = traffic.now();
    if (!done && minutes - fed < FEED_MINUTES) {
      await traffic.next();
      continue;
    }
    const windows: InputWindow[] = [];
    for (const x of series) {
      let from = written.get(x);
      if (from === undefined) written.set(x, (from = wanted(x) ? 0 : -1));
      const to = Math.min(minutes, x.values.length);
      if (from < 0 || from >= to) continue;
      windows.push({ series: x, from, to });
      written.set(x, to);
    }
    await replay.write(windows);
    if (done) return;
    fed = minutes;
  }
}

/**
 * Parts over one scenario by range queries in one real Prometheus (rangeEval.ts): the series any
 * of them reads are written as they are generated, then every part is evaluated at once. The
 * Prometheus's time (from before the traffic is generated to its stop) is split evenly among the parts.
 */
async function runByRanges(parts: readonly RuleComponent[], s: SimulationScenario, traffic: Traffic): Promise<PartResult[]> {
  const sc = s.scenario;
  const reads = parts.map((p) => readByRules(p.text).series);
  const started = Date.now();
  const step = stepMinutes(sc);
  const replay = await ReplayPrometheus.open(lastEvaluation(sc) / step + 1, step * 60);
  let evaluations: RangeEvaluation[];
  try {
    await feed(replay, traffic, (x) => reads.some((r) => r(x)));
    evaluations = await Promise.all(parts.map((p) => replay.evaluate(p.groups)));
  } finally {
    await replay.stop();
  }
  const seconds = (Date.now() - started) / 1000 / parts.length;
  return evaluations.map((r, j) => ({
    firing: [...r.firing.values()].filter((h) => h.firing.some((f) => f)).sort(byAlertAndSeverity),
    sli: readsSli(parts[j]) ? sliOf(sc, r.recorded.get(SLI_RECORD) ?? []) : [],
    seconds,
  }));
}

/**
 * `parts` grouped so that no part in a group records a name another part of the group records or
 * reads: a group shares one Prometheus, where what a part records is written back for the rules
 * that read it. Within one rule file parts never meet (a part holds every recording it reads);
 * across a review's base and head they do: both versions of a changed part record the same names,
 * and a head alert left reading a recording the head no longer makes must not see the base's.
 */
function sharedPrometheus(parts: readonly RuleComponent[]): RuleComponent[][] {
  const recordedBy = parts.map((p) => new Set(p.groups.flatMap((g) => g.rules.flatMap((r) => (isAlert(r) ? [] : [r.record])))));
  const everyRecorded = [...new Set(recordedBy.flatMap((s) => [...s]))].map((name) => ({ name, re: nameMention(name) }));
  const shards: { parts: RuleComponent[]; recorded: Set<string>; touched: Set<string> }[] = [];
  parts.forEach((p, j) => {
    const recorded = recordedBy[j];
    const exprs = p.groups.flatMap((g) => g.rules.map((r) => r.expr));
    // Read: any recorded name the expressions mention (more than they read is only a Prometheus more).
    const touched = new Set([...recorded, ...everyRecorded.filter((n) => exprs.some((e) => n.re.test(e))).map((n) => n.name)]);
    let shard = shards.find((x) => [...recorded].every((n) => !x.touched.has(n)) && [...touched].every((n) => !x.recorded.has(n)));
    if (!shard) shards.push((shard = { parts: [], recorded: new Set(), touched: new Set() }));
    shard.parts.push(p);
    for (const n of recorded) shard.recorded.add(n);
    for (const n of touched) shard.touched.add(n);
  });
  return shards.map((x) => x.parts);
}

/** The scenarios run over `groups`, with traffic from `model`; results in the scenarios' order. */
export async function simulate(model: ServiceModel, groups: readonly RuleGroup[], scenarios: readonly SimulationScenario[], options: SimulateOptions = {}): Promise<ScenarioRun[]> {
  return (await simulateRuleSets(model, [groups], scenarios, options))[0];
}

/**
 * Several rule files (a review's base and head) over the same scenarios at once: each scenario's
 * traffic is generated once, and a part the files share (same rule text) is evaluated once. Per
 * rule file, its runs in the scenarios' order (as `simulate` would give them).
 */
export async function simulateRuleSets(
  model: ServiceModel,
  ruleSets: readonly (readonly RuleGroup[])[],
  scenarios: readonly SimulationScenario[],
  options: SimulateOptions = {},
): Promise<ScenarioRun[][]> {
  const seed = options.seed ?? DEFAULT_SEED;
  const cache = options.cache ?? noCache;
  const inPool = pool(Math.max(1, options.concurrency ?? Math.min(2, availableParallelism())));
  // Every distinct part of every file, and which of them make up each file.
  const parts: RuleComponent[] = [];
  const byText = new Map<string, number>();
  const partsOf = ruleSets.map((groups) =>
    independentComponents(groups).map((p) => {
      let j = byText.get(p.text);
      if (j === undefined) byText.set(p.text, (j = parts.push(p) - 1));
      return j;
    }),
  );
  type Result = PartResult & { readonly fresh: boolean };
  /** Generates the scenario's traffic (when a part missed the cache), then returns its parts' results, started. */
  const start = async (s: SimulationScenario): Promise<{ results: Promise<Result[]> }> => {
    const keys = parts.map((p) => partKey(p, s, model, seed));
    const cached = keys.map((k) => cache.get<PartResult>(k));
    const missing = parts.filter((_, j) => !cached[j]);
    // Every series, not only those the missed parts read: the generator's seeded streams are shared
    // by the metrics of a family, so leaving a metric out changes the others' values. Traffic must
    // not depend on which parts were cached (a review's base and head would see different traffic).
    const traffic = new Traffic();
    const generated = missing.length > 0 ? scenarioSeriesInTurns(s.scenario, seed, (series, minutes) => traffic.progress(series, minutes)) : Promise.resolve([]);
    generated.then(
      (series) => traffic.finish(series),
      (e: unknown) => traffic.fail(e),
    );
    // Parts the range queries can reproduce share one Prometheus (one turn of the pool) unless they
    // record the same names (a review's base and head versions of a part), written to while the
    // traffic is generated when a turn is free; the rest run in promtool once the traffic is
    // complete, each its own turn.
    const shards = sharedPrometheus(missing.filter((p) => rangeRefusal(p.groups) === undefined));
    const byRanges = shards.map((shard) => inPool(() => runByRanges(shard, s, traffic)));
    const fresh = async (p: RuleComponent): Promise<PartResult> => {
      const k = shards.findIndex((shard) => shard.includes(p));
      if (k >= 0) return (await byRanges[k])[shards[k].indexOf(p)];
      const input = (await generated).filter(readByRules(p.text).series);
      return inPool(() => runInPromtool(p, s, input));
    };
    const results = Promise.all(
      parts.map(async (p, j): Promise<Result> => {
        if (cached[j]) return { ...cached[j]!, fresh: false };
        const r = await fresh(p);
        cache.set(keys[j], r);
        return { ...r, fresh: true };
      }),
    );
    // Awaited below, in the scenarios' order; a failure must not go unhandled before then.
    results.catch(() => undefined);
    // The next scenario is generated once this one's traffic is complete (one generator at a time).
    await generated;
    return { results };
  };
  // Traffic is generated on this thread, one scenario at a time, longest replay first (its run is
  // the longest), while the runs already started are written to and queried: the generator gives
  // the event loop a turn every hour of traffic. (Shortest first was slower: the month's run then
  // starts later, and the short runs' encoding slows its generation on this thread.)
  const order = scenarios.map((s, i) => ({ s, i })).sort((a, b) => totalMinutes(b.s.scenario) - totalMinutes(a.s.scenario) || a.i - b.i);
  const pending: Promise<Result[]>[] = new Array(scenarios.length);
  for (const { s, i } of order) pending[i] = (await start(s)).results;
  const done = await Promise.all(pending);
  return partsOf.map((mine) =>
    scenarios.map((s, i) => {
      const rs = mine.map((j) => done[i][j]);
      return {
        scenario: s,
        firing: rs.flatMap((r) => r.firing),
        sli: rs.flatMap((r) => r.sli),
        evaluationSeconds: rs.filter((r) => r.fresh).reduce((t, r) => t + r.seconds, 0),
        parts: rs.length,
        cachedParts: rs.filter((r) => !r.fresh).length,
      };
    }),
  );
}
