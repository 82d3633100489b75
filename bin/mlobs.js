#!/usr/bin/env node
// The installed package runs the compiled CLI (dist/). A source checkout (cli/mlobs.ts present) runs
// the TypeScript sources through ts-node, so a stale dist/ from an earlier build is never used there.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const source = join(__dirname, "..", "cli", "mlobs.ts");
if (existsSync(source)) {
  require("ts-node").register({ swc: true, project: join(__dirname, "..", "tsconfig.json") });
  require(source).main(process.argv.slice(2));
} else {
  require(join(__dirname, "..", "dist", "cli", "mlobs.js")).main(process.argv.slice(2));
}
