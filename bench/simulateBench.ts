/**
 * `npm run bench -- --only simulate`: what `mlobs simulate` (and so a changed service in
 * `mlobs review`) costs on this machine: one service, every scenario that fits it, first with an
 * empty cache (a changed service), then again (an unchanged one: every part a cache hit), and
 * evaluation seconds per scenario. Targets from the issue: 60 s and 1 s. Then what the review
 * costs for it with nothing cached (no base results kept from an earlier run): base and head
 * together, the head's first SLO tightened.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { fileCache } from "../replay/simulate/cache";
import { scenariosFor } from "../replay/simulate/family";
import { outcomeOf } from "../replay/simulate/outcome";
import { simulate, simulateRuleSets } from "../replay/simulate/run";
import { loadServicesFile } from "../service/load";

export const SIMULATE_BEGIN = "<!-- simulate: begin -->";
export const SIMULATE_END = "<!-- simulate: end -->";
export const SIMULATE_TARGETS = { changedSeconds: 60, unchangedSeconds: 1 };

export interface SimulateBenchResult {
  readonly service: string;
  readonly parts: number;
  readonly coldSeconds: number;
  readonly warmSeconds: number;
  /** Base and head together, nothing cached. */
  readonly reviewSeconds: number;
  /** What the head changes. */
  readonly reviewChange: string;
  readonly scenarios: readonly { readonly id: string; readonly evaluationSeconds: number; readonly minutes: number }[];
}

export async function runSimulateBench(file: string, log: (line: string) => void): Promise<SimulateBenchResult> {
  const [model] = loadServicesFile(file);
  const groups = serviceRuleGroups(model, { environment: "prod" });
  const { scenarios } = scenariosFor(model);
  const dir = mkdtempSync(join(tmpdir(), "mlobs-bench-simulate-"));
  try {
    log(`simulate: ${model.name}, ${scenarios.length} scenarios, empty cache`);
    let t = Date.now();
    const cold = await simulate(model, groups, scenarios, { cache: fileCache(dir) });
    const coldSeconds = (Date.now() - t) / 1000;
    log(`  ${coldSeconds.toFixed(1)} s; again, every part cached`);
    t = Date.now();
    const warm = await simulate(model, groups, scenarios, { cache: fileCache(dir) });
    const warmSeconds = (Date.now() - t) / 1000;
    if (warm.some((r) => r.cachedParts !== r.parts)) throw new Error("the second run missed the cache");
    log(`  ${warmSeconds.toFixed(2)} s`);
    const slo = model.slos[0];
    const tighter = 1 - (1 - slo.objective) / 2;
    const reviewChange = `${slo.name} objective ${percent(slo.objective)} → ${percent(tighter)}`;
    const head = serviceRuleGroups({ ...model, slos: [{ ...slo, objective: tighter }, ...model.slos.slice(1)] }, { environment: "prod" });
    log(`  review, base and head, nothing cached (${reviewChange})`);
    t = Date.now();
    const [base, changed] = await simulateRuleSets(model, [groups, head], scenarios, { cache: fileCache(join(dir, "review")) });
    const reviewSeconds = (Date.now() - t) / 1000;
    if (JSON.stringify(base.map((r) => r.firing)) === JSON.stringify(changed.map((r) => r.firing))) throw new Error(`the review's head (${reviewChange}) fires as the base does: not a change to measure`);
    log(`  ${reviewSeconds.toFixed(1)} s`);
    return {
      service: model.name,
      parts: cold[0]?.parts ?? 0,
      coldSeconds,
      warmSeconds,
      reviewSeconds,
      reviewChange,
      scenarios: cold.map((r) => ({ id: r.scenario.scenario.id, evaluationSeconds: r.evaluationSeconds, minutes: outcomeOf(model, r).totalMinutes })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const percent = (ratio: number) => `${Number((ratio * 100).toFixed(4))}%`;

export function renderSimulate(r: SimulateBenchResult, machine: string): string {
  const met = (ok: boolean) => (ok ? "met" : "**missed**");
  const rows = r.scenarios.map((s) => `| ${s.id} | ${(s.minutes / 60).toFixed(1)} h | ${s.evaluationSeconds.toFixed(1)} s |`);
  return [
    SIMULATE_BEGIN,
    "## Simulate (`mlobs simulate`, the review's detection impact)",
    "",
    machine,
    "",
    `One service (${r.service}), every scenario that fits it, its rules split into ${r.parts} independent parts, a scenario's parts evaluated by range queries in one Prometheus, 2 scenarios at once (every series generated, whatever the parts read).`,
    "",
    "| what | measured | target | result |",
    "|---|---|---|---|",
    `| changed service (empty cache) | ${r.coldSeconds.toFixed(1)} s | ≤ ${SIMULATE_TARGETS.changedSeconds} s | ${met(r.coldSeconds <= SIMULATE_TARGETS.changedSeconds)} |`,
    `| unchanged service (every part cached) | ${r.warmSeconds.toFixed(2)} s | ≤ ${SIMULATE_TARGETS.unchangedSeconds} s | ${met(r.warmSeconds <= SIMULATE_TARGETS.unchangedSeconds)} |`,
    `| review of the changed service, base and head, nothing cached (${r.reviewChange}) | ${r.reviewSeconds.toFixed(1)} s | ≤ ${SIMULATE_TARGETS.changedSeconds} s | ${met(r.reviewSeconds <= SIMULATE_TARGETS.changedSeconds)} |`,
    "",
    "Evaluation seconds per scenario (its Prometheus from start to stop: written while the traffic is generated, then every part's queries; two scenarios run at once):",
    "",
    "| scenario | replayed | evaluation |",
    "|---|---|---|",
    ...rows,
    SIMULATE_END,
  ].join("\n");
}
