/**
 * Child process: the bare cdktf baseline for a shape file (see bench/baseline/shape.ts), synthesized
 * into --out. Same phases as bench/projectSynth.ts.
 *   ts-node --swc bench/baselineSynth.ts --shape shape.json --out /tmp/y --result /tmp/y.json [--profile /tmp/y.cpuprofile]
 */
import { readFileSync } from "node:fs";
import { childArgs, measured, startProfiler } from "./childRuntime";
import type { BaselineShape } from "./baseline/shape";

const args = childArgs(process.argv.slice(2));

measured(args.result, async (phase) => {
  const { App, buildBaseline } = await phase("import", async () => ({ ...(await import("cdktf")), ...(await import("./baseline/program")) }));
  const shape = await phase("describe", () => JSON.parse(readFileSync(args.shape, "utf8")) as BaselineShape);
  const profiler = args.profile ? await startProfiler() : undefined;
  const app = await phase("build", () => {
    const a = new App({ outdir: args.out });
    buildBaseline(a, shape);
    return a;
  });
  await phase("synth", () => app.synth());
  await profiler?.stop(args.profile);
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
