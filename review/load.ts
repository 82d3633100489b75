/**
 * The one place review/ and lint/ read files: a synthesized output folder (`cdktf.out`) into
 * parsed stacks. Problems come back as InputError with what to do, never a stack trace.
 *
 * The stack list is manifest.json, which cdktf writes last: an output without it, with a listed
 * stack missing, or with stack folders it does not list is stale or partial (an interrupted synth,
 * a re-synth into a used folder, files added by hand) and is refused. The manifest is untrusted
 * input too (a pull request can commit a crafted cdktf.out): every stack path must stay inside the
 * output folder, symlinks included, and no stack file may exceed MAX_STACK_BYTES.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { NAME_PATTERN } from "../service/description/common";
import { RUNBOOK_DIGEST_PATH, RUNBOOKS_FOLDER, runbookDigest } from "../service/names";
import { maskSecrets } from "../service/secrets";
import { isObject, NO_RUNBOOKS, synthOutputFrom, type Json, type Runbooks, type SynthOutput } from "./synthOutput";

/** Bad input (a missing folder, unparseable JSON): the commands print it and exit 2. */
export class InputError extends Error {}

/** Largest stack file read (64 MiB): the largest the 500-service bench fleet writes is 0.4 MB. */
export const MAX_STACK_BYTES = 64 * 2 ** 20;
/** Largest manifest.json read (16 MiB; 1002 stacks make 0.9 MB). */
export const MAX_MANIFEST_BYTES = 16 * 2 ** 20;

export interface StackFile {
  readonly name: string;
  /** Absolute path of its cdk.tf.json, checked to be inside the output folder. */
  readonly path: string;
  readonly bytes: number;
}

const STALE = "stale or partial output: synthesize again into a fresh folder (`npm run synth` or `cdktf synth` write complete outputs only)";
/** cdktf stack ids as this project makes them; also keeps names printable and path-free. */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

const list = (xs: readonly string[]) => (xs.length > 5 ? `${xs.slice(0, 5).join(", ")} and ${xs.length - 5} more` : xs.join(", "));
const shown = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 79)}…` : s);

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r !== "" && !r.startsWith(`..${sep}`) && r !== ".." && !isAbsolute(r);
}

/** The manifest's stacks with their files, after every check above. */
export function stackFiles(dir: string): StackFile[] {
  if (!existsSync(dir)) throw new InputError(`${dir} does not exist; give the output folder of \`cdktf synth\` (cdktf.out)`);
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir} is not a folder; give the output folder of \`cdktf synth\` (cdktf.out)`);
  const root = realpathSync.native(dir);
  const manifestFile = join(dir, "manifest.json");
  if (!existsSync(manifestFile)) {
    const hint = existsSync(join(dir, "stacks")) ? `${dir} has stacks/ but no manifest.json: ${STALE}` : `${dir} has no manifest.json; give the output folder of \`cdktf synth\` (cdktf.out), e.g. run \`npm run synth\` first`;
    throw new InputError(hint);
  }
  const ml = lstatSync(manifestFile);
  if (!ml.isFile()) throw new InputError(`${manifestFile} is not a regular file (a symlink or folder); ${STALE}`);
  if (ml.size > MAX_MANIFEST_BYTES) throw new InputError(`${manifestFile} is ${ml.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit; ${STALE}`);
  let manifest: Json;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Json;
  } catch (e) {
    // The parser quotes the text around the error, which may hold a key.
    throw new InputError(`${manifestFile} is not valid JSON (${maskSecrets((e as Error).message)}); ${STALE}`);
  }
  const stacks = manifest?.stacks;
  if (typeof stacks !== "object" || stacks === null || Array.isArray(stacks)) throw new InputError(`${manifestFile} has no "stacks" object; ${STALE}`);
  const files: StackFile[] = [];
  for (const name of Object.keys(stacks).sort()) {
    const entry = (stacks as Json)[name] as Json | undefined;
    const where = `${manifestFile}: stacks.${shown(name)}`;
    if (!STACK_NAME.test(name)) throw new InputError(`${where}: ${shown(name)} is not a stack name (letters, digits, ".", "_", "-"); ${STALE}`);
    const rel = entry && typeof entry === "object" ? entry.synthesizedStackPath : undefined;
    if (typeof rel !== "string" || rel === "") throw new InputError(`${where}.synthesizedStackPath is missing; ${STALE}`);
    if (isAbsolute(rel) || rel.split(/[\\/]/).includes("..") || rel.includes("\0"))
      throw new InputError(`${where}.synthesizedStackPath ${shown(rel)} leaves the output folder (absolute or ".."); stack files must be inside ${dir}`);
    const path = join(root, rel);
    if (!inside(root, path)) throw new InputError(`${where}.synthesizedStackPath ${shown(rel)} leaves the output folder; stack files must be inside ${dir}`);
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch {
      throw new InputError(`${where}: its file ${rel} is missing; ${STALE}`);
    }
    if (!inside(root, real)) throw new InputError(`${where}.synthesizedStackPath ${shown(rel)} is a symlink leaving the output folder; stack files must be inside ${dir}`);
    const st = statSync(real);
    if (!st.isFile()) throw new InputError(`${where}: ${rel} is not a file; ${STALE}`);
    if (st.size > MAX_STACK_BYTES) throw new InputError(`${where}: ${rel} is ${st.size} bytes, over the ${MAX_STACK_BYTES}-byte (64 MiB) limit per stack; split the stack or check what inflates it`);
    files.push({ name, path: real, bytes: st.size });
  }
  // Stack folders the manifest does not list: left over from an earlier synth, or added by hand.
  const stacksDir = join(dir, "stacks");
  if (existsSync(stacksDir)) {
    const listed = new Set(Object.keys(stacks));
    const extra = readdirSync(stacksDir).filter((d) => !listed.has(d)).sort();
    if (extra.length > 0) throw new InputError(`${dir}/stacks has ${extra.length} folder(s) manifest.json does not list (${list(extra.map((e) => shown(e)))}): ${STALE}`);
  }
  return files;
}

/** Parses one stack file; bad JSON is an InputError naming the file. */
export function readStack(file: StackFile): Json {
  return parseStack(file, readFileSync(file.path, "utf8"));
}

export function parseStack(file: StackFile, text: string): Json {
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("not a JSON object");
    return json as Json;
  } catch (e) {
    throw new InputError(`${file.path} is not valid JSON (${maskSecrets((e as Error).message)}); synthesize again`);
  }
}

/** Largest runbook page read (256 KiB; a generated page is about 6 kB). */
export const MAX_RUNBOOK_BYTES = 256 * 1024;
const PAGE_FILE = /^([a-z0-9][a-z0-9-]*)\.md$/;

/** The pages of one service's runbook folder (`<slug>` -> text); regular files named `<slug>.md` only. */
function servicePages(dir: string, service: string, into: Map<string, string>): { slug: string; markdown: string }[] {
  const pages: { slug: string; markdown: string }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const m = PAGE_FILE.exec(entry);
    const st = lstatSync(join(dir, entry));
    if (!m || !st.isFile()) throw new InputError(`${join(dir, entry)} is not a runbook page (a regular file <slug>.md); ${STALE}`);
    if (st.size > MAX_RUNBOOK_BYTES) throw new InputError(`${join(dir, entry)} is ${st.size} bytes, over the ${MAX_RUNBOOK_BYTES}-byte limit of a runbook page; ${STALE}`);
    const markdown = readFileSync(join(dir, entry), "utf8");
    pages.push({ slug: m[1], markdown });
    into.set(`${service}/${m[1]}`, markdown);
  }
  return pages;
}

/**
 * The runbook pages next to a stack (`runbooks/<service>/<slug>.md`, keyed `<service>/<slug>`),
 * checked against the digest its JSON states (service/names.ts runbookDigest): a page added,
 * removed or edited after the synth, or a folder the JSON does not state, is refused. No symlinks.
 */
export function readRunbooks(file: StackFile, json: Json): Runbooks {
  let stated: unknown = json;
  for (const k of RUNBOOK_DIGEST_PATH) stated = isObject(stated) ? stated[k] : undefined;
  const digests = isObject(stated) ? stated : {};
  const root = join(dirname(file.path), RUNBOOKS_FOLDER);
  if (!existsSync(root)) {
    if (Object.keys(digests).length > 0) throw new InputError(`${root} is missing, but ${file.path} states runbook pages; ${STALE}`);
    return NO_RUNBOOKS;
  }
  if (!lstatSync(root).isDirectory()) throw new InputError(`${root} is not a folder; ${STALE}`);
  const out = new Map<string, string>();
  const services = readdirSync(root).sort();
  for (const service of [...new Set([...services, ...Object.keys(digests)])].sort()) {
    const dir = join(root, service);
    const want = digests[service];
    if (!NAME_PATTERN.test(service) || !isObject(want) || !services.includes(service) || !lstatSync(dir).isDirectory())
      throw new InputError(`${dir}: runbook pages that ${file.path} does not state (or stated pages that are missing); ${STALE}`);
    const got = runbookDigest(servicePages(dir, service, out));
    if (got.pages !== want.pages || got.sha256 !== want.sha256) throw new InputError(`${dir}: the runbook pages are not the ones the synth wrote (their digest differs from ${file.path}); ${STALE}`);
  }
  return out;
}

/** Reads every stack the manifest lists, with its runbook pages. */
export function loadSynthOutput(dir: string): SynthOutput {
  const stacks: Record<string, Json> = {};
  const runbooks: Record<string, Runbooks> = {};
  for (const f of stackFiles(dir)) {
    stacks[f.name] = readStack(f);
    runbooks[f.name] = readRunbooks(f, stacks[f.name]);
  }
  return synthOutputFrom(stacks, runbooks);
}
