/**
 * Detection benchmark: replays every incident scenario of replay/scenarios/ through promtool, plus
 * 30 healthy days per example service through the paging rules, and the early-warning families
 * (replay/families/) with every rule, as `mlobs simulate` evaluates them (range queries in a real
 * Prometheus); prints and writes docs/detection.md (time to first ticket and page, receiver
 * reached, targets met or missed).
 *
 *   npm run bench:detection                        # seed 20240607 (the tests' seed), incidents and families
 *   npm run bench:detection -- 7                   # another seed
 *   npm run bench:detection -- --family healthy    # only the members whose id contains "healthy" (repeatable)
 *   npm run bench:detection -- --no-families       # only the incident catalog
 *   npm run bench:detection -- --cache DIR         # where family results are kept (default ~/.cache/mlobs/detection)
 *   npm run bench:detection -- --no-cache          # measure every family member again
 *
 * Runs the incidents one promtool at a time and the families two at a time. Each family member's
 * result is cached as soon as it ends, under the hash of the service's rules, the member, the
 * seed, the replay code and the Prometheus package's version: a stopped run resumes where it was,
 * and an unchanged member is not measured again.
 */
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildRoutingTree } from "../alerts/routing";
import { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { detect, detectionTable, healthyPages, type Detection, type HealthyPages } from "../replay/detection";
import { detectionDoc } from "../replay/detectionDoc";
import { DEFAULT_SEED } from "../replay/scenario";
import { exampleServices, incidentScenarios } from "../replay/scenarios";
import { loadServicesFiles } from "../service/load";
import { degradingFamilies } from "../replay/families/creeps";
import { healthyMonths } from "../replay/families/healthyMonths";
import { measureFamilies, TICKET_BEFORE_CROSSING, type FamilyResult } from "../replay/families/measure";
import { familySummary, familyTables, deadlineSection } from "../replay/families/report";
import { cachedDeadlineEvidence, type DeadlineEvidence, type RecordingMemo } from "../replay/families/limits";
import { defaultCacheDir, fileCache, noCache, type SimulationCache } from "../replay/simulate/cache";

const HEALTHY_DAYS = 30;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const filters: string[] = [];
  let families = true;
  let seedArg: string | undefined;
  // Beside `mlobs simulate`'s cache (~/.cache/mlobs/simulate, $XDG_CACHE_HOME honoured).
  let cacheDir: string | undefined = join(dirname(defaultCacheDir()), "detection");
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--family") filters.push(args[++i] ?? "");
    else if (args[i] === "--no-families") families = false;
    else if (args[i] === "--no-cache") cacheDir = undefined;
    else if (args[i] === "--cache") {
      cacheDir = args[++i];
      if (!cacheDir) throw new Error("--cache needs a folder");
    } else seedArg = args[i];
  }
  const seed = seedArg ? Number(seedArg) : DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seedArg}`);
  const started = Date.now();
  const models = loadServicesFiles(EXAMPLE_SERVICE_FILES);
  const tree = buildRoutingTree(models, { defaultReceiver: EXAMPLE_DEFAULT_RECEIVER });
  const ex = exampleServices(models);
  const detections: Detection[] = [];
  for (const s of incidentScenarios(ex)) {
    process.stderr.write(`replaying ${s.id} …\n`);
    detections.push(await detect(s, tree, seed));
  }
  const healthy: HealthyPages[] = [];
  for (const m of [ex.rag, ex.fraud]) {
    process.stderr.write(`replaying ${HEALTHY_DAYS} healthy days of ${m.name} through the paging rules …\n`);
    healthy.push(await healthyPages(m, HEALTHY_DAYS, seed));
  }
  const cache = cacheDir ? fileCache(cacheDir) : noCache;
  const { results: familyResults, total: familyTotal } = families ? await runFamilies(ex, seed, filters, cache) : { results: [], total: 0 };
  const limits = deadlineSection(await missedLeadEvidence(ex, familyResults, seed, cache));
  const doc = detectionDoc({
    detections,
    healthy,
    seed,
    totalSeconds: (Date.now() - started) / 1000,
    families: familyResults.length ? [familyCoverage(familyResults, familyTotal, filters), familyTables(familyResults), limits].filter(Boolean).join("\n\n") : undefined,
  });
  if (seed === DEFAULT_SEED) writeFileSync(join(__dirname, "..", "docs", "detection.md"), doc);
  else process.stderr.write(`seed ${seed} is not the default: docs/detection.md left as it is\n`);
  if (familyResults.length) process.stdout.write(`${familyTables(familyResults)}\n\n${limits ? `${limits}\n\n` : ""}${familySummary(familyResults).join("\n")}\n\n`);
  process.stdout.write(`${detectionTable(detections, healthy)}\n\n(${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

/** Says which members the tables hold (all of them, or the ones a `--family` filter chose) and how many came from the cache. */
function familyCoverage(results: readonly FamilyResult[], total: number, filters: readonly string[]): string {
  const ran = results.length;
  const cached = results.filter((r) => r.cached).length;
  const which =
    filters.length === 0
      ? `All ${total} family members were run.`
      : `**Partial run:** ${ran} of the ${total} family members (\`--family ${filters.join(" --family ")}\`); \`npm run bench:detection\` runs them all.`;
  const reuse =
    cached === 0
      ? ""
      : ` ${cached} of them ${cached === 1 ? "was" : "were"} measured by an earlier run of this benchmark on the same rules, replay code, seed and Prometheus, and read from its cache (\`--no-cache\` measures every member again).`;
  return which + reuse;
}

/**
 * For each degrading member that missed its ticket lead before the crossing: what its data held at
 * the deadline against the healthy months of its service (replay/families/limits.ts). The months
 * are evaluated once per service, whichever of its members missed.
 */
async function missedLeadEvidence(ex: ReturnType<typeof exampleServices>, results: readonly FamilyResult[], seed: number, cache: SimulationCache): Promise<DeadlineEvidence[]> {
  const missed = results.filter((r) => r.verdicts.some((v) => v.what === TICKET_BEFORE_CROSSING && !v.met));
  const memo: RecordingMemo = new Map();
  const out: DeadlineEvidence[] = [];
  for (const r of missed) {
    const model = r.scenario.service.name === ex.rag.name ? ex.rag : ex.fraud;
    process.stderr.write(`what ${r.scenario.id} held at its deadline, against ${model.name}'s healthy months …\n`);
    const e = await cachedDeadlineEvidence(r.scenario, healthyMonths(model, seed), seed, cache, memo);
    if (e) out.push(e);
  }
  return out;
}

async function runFamilies(ex: ReturnType<typeof exampleServices>, seed: number, filters: readonly string[], cache: SimulationCache): Promise<{ results: FamilyResult[]; total: number }> {
  const all = [...degradingFamilies(ex, seed), ...healthyMonths(ex.rag, seed), ...healthyMonths(ex.fraud, seed)];
  const chosen = filters.length ? all.filter((s) => filters.some((f) => s.id.includes(f))) : all;
  if (chosen.length === 0) throw new Error(`no family member matches ${filters.join(", ")}; ids look like ${all[0].id}`);
  process.stderr.write(`replaying ${chosen.length} family members, two at a time …\n`);
  const results = await measureFamilies(
    chosen,
    seed,
    2,
    (r) => process.stderr.write(`  ${r.scenario.id}: ${r.verdicts.every((v) => v.met) ? "targets met" : "targets missed"} (${r.seconds.toFixed(0)} s${r.cached ? ", from the cache" : ""})\n`),
    cache,
  );
  return { results, total: all.length };
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
