/**
 * Child process: the bare cdktf baseline for a program description (bench/baseline/describe.ts),
 * synthesized into --out. Same phases as bench/projectSynth.ts; `describe` reads the description
 * (the parent leaves it out of the baseline's time: it is the benchmark's input, not cdktf's work).
 *   ts-node --swc bench/baselineSynth.ts --program program.json --out /tmp/y --result /tmp/y.json [--profile /tmp/y.cpuprofile]
 */
import { readFileSync } from "node:fs";
import { buildAndSynth, childArgs, measuredChild } from "./childRuntime";
import type { ProgramDescription } from "./baseline/describe";

const args = childArgs(process.argv.slice(2));

measuredChild(args.result, async (phase) => {
  const { App, buildBaseline } = await phase("import", async () => ({ ...(await import("cdktf")), ...(await import("./baseline/program")) }));
  const program = await phase("describe", () => JSON.parse(readFileSync(args.program, "utf8")) as ProgramDescription);
  await buildAndSynth(args, phase, App, (app) => buildBaseline(app, program));
});
