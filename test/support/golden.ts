/**
 * Golden files: generated output committed under test/golden/ and read in PR diffs.
 * `npm run golden` (UPDATE_GOLDEN=1) rewrites them; otherwise a difference fails the test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export const GOLDEN_DIR = join(__dirname, "..", "golden");

export function expectGolden(relativePath: string, actual: string): void {
  const file = join(GOLDEN_DIR, relativePath);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${relative(process.cwd(), file)} is missing; run \`npm run golden\``);
  expect(actual).toBe(readFileSync(file, "utf8"));
}
