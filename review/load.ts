/**
 * The one place review/ and lint/ read files: a synthesized output folder (`cdktf.out`) into
 * parsed stacks. Problems come back as InputError with what to do, never a stack trace.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { maskSecrets } from "../service/secrets";
import { synthOutputFrom, type Json, type SynthOutput } from "./synthOutput";

/** Bad input (a missing folder, unparseable JSON): the commands print it and exit 2. */
export class InputError extends Error {}

/** Reads `<dir>/stacks/<stack>/cdk.tf.json` for every stack. */
export function loadSynthOutput(dir: string): SynthOutput {
  const stacksDir = join(dir, "stacks");
  if (!existsSync(dir)) throw new InputError(`${dir} does not exist; give the output folder of \`cdktf synth\` (cdktf.out)`);
  if (!existsSync(stacksDir) || !statSync(stacksDir).isDirectory())
    throw new InputError(`${dir} has no stacks/ folder; give the output folder of \`cdktf synth\` (cdktf.out), e.g. run \`npm run synth\` first`);
  const stacks: Record<string, Json> = {};
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, "cdk.tf.json");
    if (!existsSync(file)) continue;
    try {
      stacks[name] = JSON.parse(readFileSync(file, "utf8")) as Json;
    } catch (e) {
      // The parser quotes the text around the error, which may hold a key.
      throw new InputError(`${file} is not valid JSON (${maskSecrets((e as Error).message)}); synthesize again`);
    }
  }
  return synthOutputFrom(stacks);
}
