/**
 * What every measured child process shares: phase timing from process start and the child's own
 * peak resident set (getrusage via process.resourceUsage()), written as one JSON file the parent
 * reads. A child runs one synth and exits, so its maxRSS is that synth's peak.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { performance } from "node:perf_hooks";

export interface ChildResult {
  /** Milliseconds from process start to the first line of the child's main (node + ts-node boot). */
  readonly bootMs: number;
  /** Milliseconds per named phase, in order. */
  readonly phases: Record<string, number>;
  /** Peak resident set size of the child, KiB (getrusage ru_maxrss). */
  readonly maxRssKiB: number;
  /** Milliseconds from process start to the end of the last phase. */
  readonly totalMs: number;
}

/** Parses `--key value` pairs. */
export function childArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) if (argv[i].startsWith("--")) out[argv[i].slice(2)] = argv[i + 1] ?? "";
  return out;
}

/** Runs `body`, timing each `phase(name, fn)`; writes the result to `resultFile`. */
export async function measured(resultFile: string, body: (phase: Phase) => Promise<void>): Promise<void> {
  const bootMs = performance.now();
  const phases: Record<string, number> = {};
  const phase = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const v = await fn();
    phases[name] = performance.now() - t;
    return v;
  };
  await body(phase);
  const result: ChildResult = { bootMs, phases, maxRssKiB: process.resourceUsage().maxRSS, totalMs: performance.now() };
  writeFileSync(resultFile, JSON.stringify(result));
}

type Phase = <T>(name: string, fn: () => T | Promise<T>) => Promise<T>;

/** A measured child's main: `measured`, and on failure the error on stderr and exit code 1 (the parent reports it). */
export function measuredChild(resultFile: string, body: (phase: Phase) => Promise<void>): void {
  measured(resultFile, body).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

/**
 * The measured part of a synth child: `build` fills a new app (phase `build`, CPU-profiled into
 * --profile when given), then app.synth() into --out (phase `synth`). cdktf's App comes in as an
 * argument so that loading it stays in the child's timed `import` phase.
 */
export async function buildAndSynth<A extends { synth(): void }>(
  args: Readonly<Record<string, string>>,
  phase: Phase,
  App: new (options: { outdir: string }) => A,
  build: (app: A) => void,
): Promise<void> {
  const profiler = args.profile ? await startProfiler() : undefined;
  const app = await phase("build", () => {
    const a = new App({ outdir: args.out });
    build(a);
    return a;
  });
  await phase("synth", () => app.synth());
  await profiler?.stop(args.profile);
}

/**
 * Starts V8's CPU profiler in this process (so a profile can cover build + synth only, without
 * start-up and imports); `stop(file)` writes a .cpuprofile that Chrome DevTools and
 * bench/cpuProfile.ts read.
 */
export async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 500 });
  await post("Profiler.start");
  return {
    async stop(file: string) {
      const { profile } = (await post("Profiler.stop")) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
