/**
 * Child process: the floor for `mlobs lint` and `mlobs review` on an output folder: read
 * manifest.json, then read and `JSON.parse` every stack file once, nothing else. Same runtime as
 * the measured commands (ts-node --swc), so boot costs the same.
 *   ts-node --swc bench/floorRead.ts --dir cdktf.out --result /tmp/r.json
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { childArgs, measured } from "./childRuntime";

const args = childArgs(process.argv.slice(2));

measured(args.result, async (phase) => {
  await phase("run", () => {
    const manifest = JSON.parse(readFileSync(join(args.dir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> };
    let keys = 0;
    for (const s of Object.values(manifest.stacks)) keys += Object.keys(JSON.parse(readFileSync(join(args.dir, s.synthesizedStackPath), "utf8")) as object).length;
    if (keys === 0) throw new Error(`${args.dir}: no stack content`);
  });
}).catch((e) => {
  console.error(e);
  process.exit(1);
});
