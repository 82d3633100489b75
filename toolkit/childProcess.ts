/**
 * Running a child process with every wait bounded: the harnesses (promtool, Prometheus backfills,
 * the bench's measured children) must never hang a test run or a bench, so a child that outlives
 * its time is killed and the caller learns it was.
 */
import { spawn } from "node:child_process";

export interface RunOptions {
  readonly cwd?: string;
  /** @default the parent's environment */
  readonly env?: NodeJS.ProcessEnv;
  /** The child is killed (SIGKILL) after this long. */
  readonly timeoutMs: number;
  /** Keep only the last this many characters of output (stdout and stderr interleaved). @default - all of it */
  readonly keepChars?: number;
  /** Discard stdout (a child whose result comes another way). @default false */
  readonly ignoreStdout?: boolean;
}

export interface RunResult {
  /** Exit code; null when the child was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  /** Wall time from spawn to exit. */
  readonly ms: number;
}

/** Runs `cmd`; resolves however it ends (rejects only when it cannot be started). */
export function runProcess(cmd: string, args: readonly string[], o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, [...args], { cwd: o.cwd, env: o.env, stdio: ["ignore", o.ignoreStdout ? "ignore" : "pipe", "pipe"] });
    let output = "";
    const keep = (d: Buffer) => {
      output += d.toString();
      if (o.keepChars !== undefined && output.length > o.keepChars) output = output.slice(-o.keepChars);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, ms: Number(process.hrtime.bigint() - start) / 1e6 });
    });
  });
}

/** Why a run failed, in one line plus its output; undefined when it exited 0. */
export function runFailure(cmd: string, args: readonly string[], r: RunResult, o: RunOptions): string | undefined {
  if (r.code === 0) return undefined;
  const how = r.signal ? `was killed (${r.signal}) after ${o.timeoutMs / 1000}s` : `exited ${r.code}`;
  return `${cmd} ${args.join(" ")} ${how}:\n${r.output}`;
}

/** Runs `cmd`; resolves with its output when it exits 0, rejects with its output otherwise. */
export async function runBounded(cmd: string, args: readonly string[], o: RunOptions): Promise<string> {
  const r = await runProcess(cmd, args, { keepChars: 20000, ...o });
  const failure = runFailure(cmd, args, r, o);
  if (failure) throw new Error(failure);
  return r.output;
}
