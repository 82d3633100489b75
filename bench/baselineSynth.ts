/**
 * Child process: the bare cdktf baseline for a shape file (see bench/baseline/shape.ts), synthesized
 * into --out. Same phases as bench/projectSynth.ts; the shape is read first, so that `import` loads
 * the provider classes it names, as the project's imports load those its constructs use.
 *   ts-node --swc bench/baselineSynth.ts --shape shape.json --out /tmp/y --result /tmp/y.json [--profile /tmp/y.cpuprofile]
 */
import { readFileSync } from "node:fs";
import { buildAndSynth, childArgs, measuredChild } from "./childRuntime";
import type { OutputShape } from "./baseline/shape";

const args = childArgs(process.argv.slice(2));

measuredChild(args.result, async (phase) => {
  const shape = await phase("describe", () => JSON.parse(readFileSync(args.shape, "utf8")) as OutputShape);
  const { App, buildBaseline, classes } = await phase("import", async () => {
    const program = await import("./baseline/program");
    return { ...(await import("cdktf")), buildBaseline: program.buildBaseline, classes: program.loadClasses(shape) };
  });
  await buildAndSynth(args, phase, App, (app) => buildBaseline(app, shape, classes));
});
