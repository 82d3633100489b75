/**
 * Child process: the project's synth for N generated services in one environment, the way a
 * product team's app does it: typed descriptions in, normalizeService, buildObservabilityApp,
 * app.synth() into --out. Modules load inside a timed phase, so loading the provider classes the
 * constructs use counts as project cost.
 *   ts-node --swc bench/projectSynth.ts --n 10 --out /tmp/x --result /tmp/x.json [--profile /tmp/x.cpuprofile]
 * With --profile, a V8 CPU profile of build + synth only (started after the imports).
 */
import { childArgs, measured, startProfiler } from "./childRuntime";

const args = childArgs(process.argv.slice(2));

measured(args.result, async (phase) => {
  const n = Number(args.n);
  const { App, buildObservabilityApp, normalizeService, generateServices } = await phase("import", async () => ({
    ...(await import("cdktf")),
    ...(await import("../constructs/stacks")),
    ...(await import("../service/normalize")),
    ...(await import("./generateServices")),
  }));
  const descriptions = await phase("describe", () => generateServices(n, { environments: ["prod"] }));
  const profiler = args.profile ? await startProfiler() : undefined;
  const app = await phase("build", () => {
    const services = descriptions.map((d) => normalizeService(d));
    const a = new App({ outdir: args.out });
    buildObservabilityApp(a, { services, environments: [{ name: "prod", region: "eu-west-1", platform: { metricsRetentionDays: 150 } }] });
    return a;
  });
  await phase("synth", () => app.synth());
  await profiler?.stop(args.profile);
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
