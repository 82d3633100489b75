/**
 * Child process: the bare cdktf baseline for a shape file (see bench/baseline/shape.ts), synthesized
 * into --out. Same phases as bench/projectSynth.ts.
 *   ts-node --swc bench/baselineSynth.ts --shape shape.json --out /tmp/y --result /tmp/y.json [--profile /tmp/y.cpuprofile]
 */
import { readFileSync } from "node:fs";
import { buildAndSynth, childArgs, measuredChild } from "./childRuntime";
import type { BaselineShape } from "./baseline/shape";

const args = childArgs(process.argv.slice(2));

measuredChild(args.result, async (phase) => {
  const { App, buildBaseline } = await phase("import", async () => ({ ...(await import("cdktf")), ...(await import("./baseline/program")) }));
  const shape = await phase("describe", () => JSON.parse(readFileSync(args.shape, "utf8")) as BaselineShape);
  await buildAndSynth(args, phase, App, (app) => buildBaseline(app, shape));
});
