/**
 * Detection benchmark: replays every incident scenario of replay/scenarios/ through promtool, plus
 * 30 healthy days per example service through the paging rules, and prints and writes
 * docs/detection.md (time to first ticket and page, receiver reached, targets met or missed).
 *
 *   npm run bench:detection            # seed 20240607 (the tests' seed)
 *   npm run bench:detection -- 7       # another seed
 *
 * Runs one promtool at a time (a few minutes on a 2-core machine).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildRoutingTree } from "../alerts/routing";
import { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { detect, detectionTable, healthyPages, type Detection, type HealthyPages } from "../replay/detection";
import { detectionDoc } from "../replay/detectionDoc";
import { DEFAULT_SEED } from "../replay/scenario";
import { exampleServices, incidentScenarios } from "../replay/scenarios";
import { loadServicesFiles } from "../service/load";

const HEALTHY_DAYS = 30;

async function main(): Promise<void> {
  const seed = process.argv[2] ? Number(process.argv[2]) : DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${process.argv[2]}`);
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
  const doc = detectionDoc({ detections, healthy, seed, totalSeconds: (Date.now() - started) / 1000 });
  if (seed === DEFAULT_SEED) writeFileSync(join(__dirname, "..", "docs", "detection.md"), doc);
  else process.stderr.write(`seed ${seed} is not the default: docs/detection.md left as it is\n`);
  process.stdout.write(`${detectionTable(detections, healthy)}\n\n(${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
