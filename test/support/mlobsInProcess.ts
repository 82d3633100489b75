/**
 * `mlobs <args>` run in-process (the same `main()` the bin calls), stdout and stderr captured, in
 * an optional working folder. Faster than a child process; the bin itself is tested in cli.test.ts
 * and consumer.test.ts.
 */
import { main } from "../../cli/mlobs";

export interface MlobsRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they interleaved. */
  readonly out: string;
}

export function runMlobs(args: readonly string[], cwd?: string): MlobsRun {
  let stdout = "";
  let stderr = "";
  let out = "";
  const realOut = process.stdout.write;
  const realErr = process.stderr.write;
  const realCwd = process.cwd();
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), (out += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), (out += String(chunk)), true)) as typeof process.stderr.write;
  if (cwd) process.chdir(cwd);
  try {
    const code = main(args);
    if (typeof code !== "number") throw new Error(`runMlobs captures synchronous commands only; run \`mlobs ${args[0]}\` through the bin`);
    return { code, stdout, stderr, out };
  } finally {
    process.chdir(realCwd);
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    process.exitCode = 0;
  }
}
