/** The report's profile section: where the project's synth spends its time, when a synth target was missed or a profile asked for. */
import type { HotSpot } from "../cpuProfile";
import { msf, pct, sec } from "../stats";
import { table } from "./markdownTable";

export interface ProfileSummary {
  readonly n: number;
  readonly totalMs: number;
  readonly functions: readonly HotSpot[];
  readonly areas: readonly HotSpot[];
  readonly causes: readonly HotSpot[];
  readonly reason: string;
}

export function profileSection(p: ProfileSummary): string[] {
  return [
    `## Profile of the project's synth (N = ${p.n})`,
    "",
    `${p.reason} V8's sampling CPU profiler (what \`node --cpu-prof\` runs), started in the child after the imports, so it covers build + synth only: ${sec(p.totalMs)} profiled.`,
    "",
    "Time by cause: every sample is charged to the innermost project function on its stack, so work done inside cdktf, yaml or the foundation SDK on a project function's behalf is charged to that function. `bench/projectSynth.ts` is the benchmark's own `app.synth()` call: cdktf synthesizing whatever the constructs built.",
    "",
    table(["project function", "where", "time", "share"], p.causes.map((f) => [`\`${f.name}\``, f.where, msf(f.selfMs), pct(f.share, 1)])),
    "",
    "Self time by function (the hottest functions themselves):",
    "",
    table(["function", "where", "self time", "share"], p.functions.map((f) => [`\`${f.name}\``, f.where, msf(f.selfMs), pct(f.share, 1)])),
    "",
    "Self time by code area:",
    "",
    table(["area", "self time", "share"], p.areas.map((a) => [a.name, msf(a.selfMs), pct(a.share, 1)])),
    "",
  ];
}
