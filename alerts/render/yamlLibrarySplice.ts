/**
 * The `yaml` library's output for one scalar the emitter cannot print itself, printed inside a
 * skeleton of the same depth and cut out of it.
 */
import { stringify } from "yaml";

/** The options every caller used with `stringify`; the emitter reproduces exactly these. */
export const YAML_OPTIONS = { lineWidth: 0, sortMapEntries: false } as const;

/** Thrown inside the walk when only the library can print the document; caught in `emitYaml`. */
export class NeedsLibrary extends Error {}

/** `{ a: { a: ... inner } }`, `levels` deep. */
function nestInMaps(inner: unknown, levels: number): unknown {
  let doc = inner;
  for (let i = 0; i < levels; i++) doc = { a: doc };
  return doc;
}

const prefixCache = new Map<string, string>();

/**
 * Prints `doc` with the library and returns the part after the fixed prefix that `probe` (the
 * same skeleton holding a plain sentinel whose text is `sentinel`) has before the sentinel,
 * without the final newline. Prefixes are measured once per skeleton kind and depth.
 */
function spliceFromLibrary(cacheKey: string, probe: () => unknown, sentinel: string, doc: unknown): string {
  let prefix = prefixCache.get(cacheKey);
  if (prefix === undefined) {
    const text = stringify(probe(), YAML_OPTIONS);
    if (!text.endsWith(`${sentinel}\n`)) throw new NeedsLibrary();
    prefix = text.slice(0, -sentinel.length - 1);
    prefixCache.set(cacheKey, prefix);
  }
  const out = stringify(doc, YAML_OPTIONS);
  if (!out.startsWith(prefix) || !out.endsWith("\n")) throw new NeedsLibrary();
  return out.slice(prefix.length, -1);
}

/** The library's `key: value` text for a scalar value in a map whose node indent is `indent`. */
export function libraryPair(key: string, value: unknown, indent: string): string {
  const levels = indent.length / 2;
  return spliceFromLibrary(`pair:${levels}`, () => nestInMaps({ k: "x" }, levels), "k: x", nestInMaps({ [key]: value }, levels));
}

/** The library's text for a scalar sequence item (after `- `) whose node indent is `indent`. */
export function libraryItem(value: unknown, indent: string): string {
  // The root sequence's items are indented by two; a sequence under a key at depth d by 2d + 4.
  const levels = indent.length / 2;
  const skeleton = (v: unknown) => (levels === 1 ? [v] : nestInMaps([v], levels - 1));
  return spliceFromLibrary(`item:${levels}`, () => skeleton("x"), "x", skeleton(value));
}
