/**
 * Child process: the project's synth for N generated services in one environment, the way a
 * product team's app does it: typed descriptions in, normalizeService, buildObservabilityApp,
 * app.synth() into --out. Modules load inside a timed phase, so loading the provider classes the
 * constructs use counts as project cost.
 *   ts-node --swc bench/projectSynth.ts --n 10 --out /tmp/x --result /tmp/x.json [--profile /tmp/x.cpuprofile]
 * With --profile, a V8 CPU profile of build + synth only (started after the imports).
 */
import { buildAndSynth, childArgs, measuredChild } from "./childRuntime";

const args = childArgs(process.argv.slice(2));

measuredChild(args.result, async (phase) => {
  const n = Number(args.n);
  const { App, buildObservabilityApp, normalizeService, generateServices, FLEET_DEFAULT_RECEIVER } = await phase("import", async () => ({
    ...(await import("cdktf")),
    ...(await import("../constructs/stacks")),
    ...(await import("../service/normalize")),
    ...(await import("./generateServices")),
  }));
  const descriptions = await phase("describe", () => generateServices(n, { environments: ["prod"] }));
  await buildAndSynth(args, phase, App, (app) => {
    const services = descriptions.map((d) => normalizeService(d));
    buildObservabilityApp(app, { services, environments: [{ name: "prod", region: "eu-west-1", platform: { metricsRetentionDays: 150 }, defaultReceiver: FLEET_DEFAULT_RECEIVER }] });
  });
});
