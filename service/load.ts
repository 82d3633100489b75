/**
 * Reads service descriptions from YAML or JSON files. A file holds one service, or several under
 * `services:`. Syntax errors, input over the limits (service/inputLimits.ts) and validation problems
 * all come back as a ValidationError whose paths start with the file name, so a CLI can print them
 * and exit 2 without a stack trace. A description comes from a stranger's pull request: nothing in
 * it may exhaust memory or the stack before it is judged.
 */
import { readFileSync, statSync } from "node:fs";
import { Lexer, LineCounter, parseDocument } from "yaml";
import { MAX_ALIAS_COUNT, MAX_FILE_BYTES, MAX_NESTING_DEPTH } from "./inputLimits";
import { parseReceiver } from "./description/alerting";
import type { ReceiverModel, ServiceModel } from "./model";
import { ValidationError, collectServices } from "./normalize";
import type { Issue } from "./schemaDsl";

const fail = (path: string, message: string): never => {
  throw new ValidationError([{ path, message }]);
};

/** Deepest `[`/`{` nesting of YAML flow collections, from the lexer's tokens (quoted text is one token). */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === "[" || token === "{") max = Math.max(max, ++depth);
    else if ((token === "]" || token === "}") && depth > 0) depth--;
  }
  return max;
}

/** Deepest nesting of lists and objects in parsed data (iterative: the depth is not yet known to be small). */
function dataDepth(data: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    max = Math.max(max, d + 1);
    if (max > MAX_NESTING_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

const TOO_DEEP = `nests lists and objects more than ${MAX_NESTING_DEPTH} levels deep; a description needs 5, flatten it`;

/** Parses a file's text (YAML is a superset of JSON) into plain data, or reports where it is broken. */
export function parseDescriptionText(text: string, fileName: string): unknown {
  if (text.length > MAX_FILE_BYTES) fail(fileName, `is ${text.length} characters long; a description file holds at most ${MAX_FILE_BYTES}, split it`);
  // The YAML library recurses per flow level and runs out of memory on a few hundred thousand `[`.
  if (flowDepth(text) > MAX_NESTING_DEPTH) fail(fileName, TOO_DEEP);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      doc.errors.map((e) => ({
        path: `${fileName}:${lineCounter.linePos(e.pos[0]).line}`,
        message: `${e.message.split("\n")[0]}; fix the YAML syntax`,
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The library's guard against alias bombs ("Excessive alias count ...") is a ReferenceError.
    if (!(e instanceof ReferenceError)) throw e;
    fail(fileName, `expands YAML aliases (*name) too often (over ${MAX_ALIAS_COUNT} nodes); write the values out instead of aliasing them`);
  }
  if (dataDepth(data) > MAX_NESTING_DEPTH) fail(fileName, TOO_DEEP);
  return data;
}

/** Validates parsed file content: a single service or `{ services: [...] }`. Every problem of every service is reported. */
export function servicesFromData(data: unknown, fileName: string): ServiceModel[] {
  const issues: Issue[] = [];
  const models = collectServices(data, issues);
  if (issues.length > 0) throw new ValidationError(issues.map((i) => ({ path: `${fileName}: ${i.path}`, message: i.message })));
  return models;
}

/** Reads a description file: a regular file (not a device or FIFO that never ends) within the size limit. */
function readDescription(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) fail(file, "is not a regular file; give a .yaml or .json description");
    size = st.size;
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    return fail(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? e}); check the path`);
  }
  if (size > MAX_FILE_BYTES) fail(file, `is ${size} bytes; a description file holds at most ${MAX_FILE_BYTES}, split it`);
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    return fail(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? e}); check the path`);
  }
}

/** Loads and validates the services in a YAML or JSON file. */
export function loadServicesFile(file: string): ServiceModel[] {
  return servicesFromData(parseDescriptionText(readDescription(file), file), file);
}

/** Loads several files; names must be unique across all of them. Every problem of every file is reported. */
export function loadServicesFiles(files: readonly string[]): ServiceModel[] {
  const issues: Issue[] = [];
  const all: ServiceModel[] = [];
  const fileOf = new Map<string, string>();
  for (const f of files) {
    try {
      for (const s of loadServicesFile(f)) {
        const first = fileOf.get(s.name);
        if (first !== undefined)
          issues.push({ path: `${f}: name`, message: `"${s.name}" is already described in ${first}; service names must be unique` });
        else fileOf.set(s.name, f);
        all.push(s);
      }
    } catch (e) {
      if (e instanceof ValidationError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return all;
}

/**
 * Loads a receiver of its own from a YAML or JSON file (`mlobs --default-receiver-file`): the shape
 * of a description's `alerting.page`, checked as those are, every problem prefixed with the file.
 */
export function loadReceiverFile(file: string): ReceiverModel {
  const issues: Issue[] = [];
  const receiver = parseReceiver(parseDescriptionText(readDescription(file), file), "", issues);
  if (issues.length > 0 || !receiver) throw new ValidationError(issues.map((i) => ({ path: `${file}: ${i.path}`, message: i.message })), `the receiver in ${file}`);
  return receiver;
}
