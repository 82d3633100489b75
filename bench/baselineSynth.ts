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
  // The description first: reading it and listing where references go is the benchmark's input
  // (left out of the baseline's time); then what a program itself costs: imports (cdktf and the
  // provider classes it uses), construction, synth.
  const prepared = await phase("describe", async () => (await import("./baseline/prepare")).prepareBaseline(JSON.parse(readFileSync(args.program, "utf8")) as ProgramDescription));
  const { App } = await phase("import", async () => {
    const cdktf = await import("cdktf");
    (await import("./baseline/program")).loadProviderClasses(prepared.program);
    return cdktf;
  });
  const { buildBaseline } = await import("./baseline/program");
  await buildAndSynth(args, phase, App, (app) => buildBaseline(app, prepared));
});
