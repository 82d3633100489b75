/**
 * Child process: the benchmark fleet (N generated services, one environment) synthesized into
 * --out, atomically, as `npm run synth` writes; with `--change K`, K services spread over the fleet
 * get a tighter availability objective (a one-line PR in K service descriptions), for reviewing.
 *   ts-node --swc bench/fleetSynth.ts --n 500 --out /tmp/head --change 6 --result /tmp/r.json
 */
import { childArgs, measured } from "./childRuntime";

const args = childArgs(process.argv.slice(2));

/** Indexes of the K services that change: spread evenly, so they fall into different teams. */
const changedIndexes = (n: number, k: number) => [...new Set(Array.from({ length: k }, (_, i) => Math.floor(((i + 0.5) * n) / k)))];

measured(args.result, async (phase) => {
  const n = Number(args.n);
  const k = Number(args.change ?? 0);
  const { App, buildObservabilityApp, normalizeService, generateServices, synthAtomically, FLEET_DEFAULT_RECEIVER } = await phase("import", async () => ({
    ...(await import("cdktf")),
    ...(await import("../constructs/stacks")),
    ...(await import("../constructs/atomicSynth")),
    ...(await import("../service/normalize")),
    ...(await import("./generateServices")),
  }));
  const descriptions = await phase("describe", () => {
    const ds = generateServices(n, { environments: ["prod"] });
    return ds.map((d, i) => {
      if (!changedIndexes(n, k).includes(i)) return d;
      const slos = (d.slos ?? []).map((s) => (s.name === "availability" ? { ...s, objectivePercent: s.objectivePercent === 99.95 ? 99.9 : 99.95 } : s));
      return { ...d, slos };
    });
  });
  await phase("synth", () =>
    synthAtomically(args.out, (staging) => {
      const app = new App({ outdir: staging });
      buildObservabilityApp(app, { services: descriptions.map((d) => normalizeService(d)), environments: [{ name: "prod", region: "eu-west-1", platform: { metricsRetentionDays: 150 }, defaultReceiver: FLEET_DEFAULT_RECEIVER }] });
      return app;
    }),
  );
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
