/**
 * Runs one measured child (bench/projectSynth.ts or bench/baselineSynth.ts) under ts-node --swc,
 * as `npm run synth` runs main.ts, and returns its wall time and self-reported phases and peak RSS.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runProcess } from "../toolkit/childProcess";
import type { ChildResult } from "./childRuntime";

export const REPO_ROOT = resolve(__dirname, "..");
const TS_NODE_BIN = require.resolve("ts-node/dist/bin.js", { paths: [REPO_ROOT] });

export interface ChildRun extends ChildResult {
  /** Wall time from spawn to exit, ms (what a user waits for). */
  readonly wallMs: number;
}

export interface ChildOptions {
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/p"]. */
  readonly nodeFlags?: readonly string[];
  /** @default 20 minutes */
  readonly timeoutMs?: number;
}

/** Runs `script` (relative to the repo root) with `args`; throws with the child's stderr on failure. */
export async function runChild(script: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), "mlobs-bench-child-"));
  const resultFile = join(dir, "result.json");
  try {
    const r = await runProcess(process.execPath, [...(options.nodeFlags ?? []), TS_NODE_BIN, "--swc", join(REPO_ROOT, script), ...args, "--result", resultFile], {
      cwd: REPO_ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      timeoutMs: options.timeoutMs ?? 20 * 60_000,
      keepChars: 4000,
      ignoreStdout: true,
    });
    if (r.code !== 0) throw new Error(`${script} ${args.join(" ")} failed (${r.signal ?? `exit ${r.code}`}):\n${r.output}`);
    const result = JSON.parse(readFileSync(resultFile, "utf8")) as ChildResult;
    return { ...result, wallMs: r.ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** build + synth, the work that scales with N (boot and imports are the same for any N). */
export const workMs = (r: ChildRun) => (r.phases.build ?? 0) + (r.phases.synth ?? 0);
