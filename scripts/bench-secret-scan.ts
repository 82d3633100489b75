/**
 * What the secret scan costs on a large synthesized output: every string of every stack through
 * service/secrets.ts findSecrets, and the whole secret-literal lint rule. A script that prints
 * figures, not a timed test: nothing here fails on a slow machine.
 *
 *   npx ts-node --swc scripts/bench-secret-scan.ts [--services 500] [--reps 7] [--dir cdktf.out]
 *
 * Without --dir it synthesizes the bench's generated fleet (bench/generateServices.ts, one
 * environment, as bench/projectSynth.ts does) into a temporary folder first.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { FLEET_DEFAULT_RECEIVER, generateServices } from "../bench/generateServices";
import { buildObservabilityApp } from "../constructs/stacks";
import { secretFindings } from "../lint/rules/secrets";
import { loadSynthOutput } from "../review/load";
import { normalizeService } from "../service/normalize";
import { findSecrets } from "../service/secrets";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

function synthFleet(n: number): string {
  const outdir = mkdtempSync(join(tmpdir(), "obs-secret-scan-"));
  const services = generateServices(n, { environments: ["prod"] }).map((d) => normalizeService(d));
  const app = new App({ outdir });
  buildObservabilityApp(app, { services, environments: [{ name: "prod", region: "eu-west-1", platform: { metricsRetentionDays: 150 }, defaultReceiver: FLEET_DEFAULT_RECEIVER }] });
  app.synth();
  return outdir;
}

function stringsOf(x: unknown, out: string[]): string[] {
  if (typeof x === "string") out.push(x);
  else if (Array.isArray(x)) for (const v of x) stringsOf(v, out);
  else if (x && typeof x === "object") for (const v of Object.values(x)) stringsOf(v, out);
  return out;
}

function timed(reps: number, fn: () => number): { min: number; median: number; result: number } {
  const times: number[] = [];
  let result = 0;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { min: times[0], median: times[Math.floor(times.length / 2)], result };
}

function main(): void {
  const reps = Number(option("reps", "7"));
  const given = option("dir", "");
  const n = Number(option("services", "500"));
  const dir = given || synthFleet(n);
  try {
    const stacksDir = join(dir, "stacks");
    const bytes = readdirSync(stacksDir).reduce((sum, s) => sum + statSync(join(stacksDir, s, "cdk.tf.json")).size, 0);
    const output = loadSynthOutput(dir);
    const strings = output.stacks.flatMap((s) => stringsOf(s.json, []));
    const chars = strings.reduce((sum, s) => sum + s.length, 0);
    console.log(
      `${given ? dir : `${n} generated services`}: ${output.stacks.length} stacks, ${(bytes / 2 ** 20).toFixed(1)} MiB of cdk.tf.json, ` +
        `${strings.length} strings, ${(chars / 1e6).toFixed(1)} M characters`,
    );
    const scan = timed(reps, () => strings.reduce((hits, s) => hits + findSecrets(s).length, 0));
    console.log(`findSecrets over every string: min ${scan.min.toFixed(0)} ms, median ${scan.median.toFixed(0)} ms (${reps} runs), ${scan.result} finding(s)`);
    const rule = timed(reps, () => secretFindings(output).length);
    console.log(`secret-literal lint rule (walk + scan + contact points): min ${rule.min.toFixed(0)} ms, median ${rule.median.toFixed(0)} ms, ${rule.result} finding(s)`);
  } finally {
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
}

main();
