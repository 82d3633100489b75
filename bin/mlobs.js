#!/usr/bin/env node
// Runs the compiled CLI when the package is built (dist/), else the TypeScript sources via ts-node (swc).
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const built = join(__dirname, "..", "dist", "cli", "mlobs.js");
if (existsSync(built)) {
  require(built).main(process.argv.slice(2));
} else {
  require("ts-node").register({ swc: true, project: join(__dirname, "..", "tsconfig.json") });
  require("../cli/mlobs.ts").main(process.argv.slice(2));
}
