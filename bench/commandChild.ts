/**
 * Child process: one `mlobs` command as the bin runs it (cli/mlobs.ts main), its output discarded;
 * phases `import` (loading the CLI and what it imports) and `run`. Fails unless the exit code is
 * one of --expect (comma-separated), so a broken command cannot pass for a fast one.
 *   ts-node --swc bench/commandChild.ts --expect 0,1 --result /tmp/r.json -- lint cdktf.out
 */
import { measuredChild } from "./childRuntime";

const argv = process.argv.slice(2);
const split = argv.indexOf("--");
const own = argv.slice(0, split);
const resultAt = argv.indexOf("--result");
const result = argv[resultAt + 1];
const command = argv.slice(split + 1).filter((_, i, xs) => !(xs[i] === "--result" || xs[i - 1] === "--result"));
const expect = (own[own.indexOf("--expect") + 1] ?? "0").split(",").map(Number);

measuredChild(result, async (phase) => {
  const { main } = await phase("import", () => import("../cli/mlobs"));
  const code = await phase("run", () => {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      return main(command);
    } finally {
      process.stdout.write = write;
      // main() sets the exit code for the bin; this child reports success by writing its result.
      process.exitCode = 0;
    }
  });
  if (!expect.includes(code)) throw new Error(`mlobs ${command.join(" ")} exited ${code}, expected ${expect.join(" or ")}`);
});
