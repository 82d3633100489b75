/**
 * A small, fast YAML emitter that writes the same bytes as the `yaml` library's
 * `stringify(data, { lineWidth: 0, sortMapEntries: false })` (every other option at its default,
 * yaml 2.8), for the plain data our renderers produce: rule files and the collector config.
 *
 * Why: at 500 services the library spends ~3 s of a 31 s synth building and printing its document
 * tree for ~110 kB of rule YAML per service. Plain strings, a few quoted ones (`le: "0.5"`) and
 * `|-` literals (multi-line PromQL) are almost all of that output, and each takes a few lines to
 * print exactly as the library does.
 *
 * How it stays byte-identical: it lays out block maps and sequences as the library does (two-space
 * indent, sequences indented under their key, `{}` and `[]` when empty) and prints a scalar itself
 * only when the library's own rules (`stringifyString`, mirrored in `yamlScalars.ts`) would print
 * it plain, in quotes with nothing to escape, or as a `|-` literal. Any other scalar (escapes,
 * document markers, keys over 1024 characters, floats, null, ...) is printed by the library at the
 * same depth and spliced in (`yamlLibrarySplice.ts`);
 * a value outside the plain shape (undefined, functions, class instances, an object reached twice,
 * which the library would anchor) sends the whole document to the library. test/yamlEmit.test.ts
 * checks byte identity on the example and generated services and on random data.
 *
 * Pure and deterministic: its only state is caches (printed keys, skeleton prefixes) that never
 * change what is printed.
 */
import { stringify } from "yaml";
import { NeedsLibrary, YAML_OPTIONS, libraryItem, libraryPair } from "./yamlLibrarySplice";
import { fastKey, fastScalar } from "./yamlScalars";

export { YAML_OPTIONS } from "./yamlLibrarySplice";

// Block collections, laid out as the library lays them out.

interface Walk {
  /** Objects and arrays seen so far: one reached twice would be an anchor and alias. */
  readonly seen: Set<object>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function enter(w: Walk, o: object): void {
  if (w.seen.has(o)) throw new NeedsLibrary();
  w.seen.add(o);
}

/** A value the emitter cannot treat as a scalar or a plain collection. */
function isUnsupported(v: unknown): boolean {
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return true;
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isPlainObject(v);
}

/** A map whose node is indented by `indent`: pairs joined by newline + indent, `{}` when empty. */
function emitMap(w: Walk, obj: Record<string, unknown>, indent: string): string {
  enter(w, obj);
  const keys = Object.keys(obj);
  if (keys.length === 0) return "{}";
  const valueIndent = indent + "  ";
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = obj[key];
    if (i > 0) out += "\n" + indent;
    if (isUnsupported(value)) throw new NeedsLibrary();
    const isCollection = typeof value === "object" && value !== null;
    const k = fastKey(key);
    if (k === undefined) {
      if (isCollection) throw new NeedsLibrary();
      out += libraryPair(key, value, indent);
    } else if (Array.isArray(value)) {
      out += value.length === 0 ? `${k}: []` : `${k}:\n${valueIndent}${emitSeq(w, value, valueIndent)}`;
    } else if (isCollection) {
      const body = emitMap(w, value as Record<string, unknown>, valueIndent);
      out += body === "{}" ? `${k}: {}` : `${k}:\n${valueIndent}${body}`;
    } else {
      const s = fastScalar(value, valueIndent);
      out += s === undefined ? libraryPair(key, value, indent) : `${k}: ${s}`;
    }
  }
  return out;
}

/** A sequence whose node is indented by `indent`: `- item` lines, `[]` when empty. */
function emitSeq(w: Walk, arr: readonly unknown[], indent: string): string {
  enter(w, arr);
  if (arr.length === 0) return "[]";
  const itemIndent = indent + "  ";
  let out = "";
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i];
    if (i > 0) out += "\n" + indent;
    if (isUnsupported(item)) throw new NeedsLibrary();
    if (Array.isArray(item)) out += "- " + emitSeq(w, item, itemIndent);
    else if (typeof item === "object" && item !== null) out += "- " + emitMap(w, item as Record<string, unknown>, itemIndent);
    else out += "- " + (fastScalar(item, itemIndent) ?? libraryItem(item, itemIndent));
  }
  return out;
}

/**
 * The same text as one flat string. Built by `+=`, the document is a rope of every piece it was
 * made of; kept that way in a construct until synth, each piece is a heap object the garbage
 * collector walks and copies. Converting it to a number makes V8 flatten it in place (the trick
 * of the `flatstr` package), which lets the pieces go.
 */
function flat(s: string): string {
  Number(s);
  return s;
}

/**
 * `data` as YAML, byte-identical to `stringify(data, YAML_OPTIONS)` from the `yaml` library.
 * Fast for plain objects and arrays of strings, integers and booleans; anything else is handed
 * to the library (per scalar where possible, else the whole document).
 */
export function emitYaml(data: unknown): string {
  try {
    const w: Walk = { seen: new Set() };
    if (Array.isArray(data)) return flat(emitSeq(w, data, "") + "\n");
    if (isPlainObject(data)) return flat(emitMap(w, data, "") + "\n");
  } catch (e) {
    if (!(e instanceof NeedsLibrary)) throw e;
  }
  return stringify(data, YAML_OPTIONS);
}
