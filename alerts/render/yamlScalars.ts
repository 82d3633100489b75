/**
 * How the `yaml` library (2.x, stringify/stringifyString.js) prints one scalar, decided in one pass
 * over it: plain, in quotes with nothing to escape, as a `|-` literal, or "only the library knows"
 * (undefined), for `yamlEmit` to hand to the library.
 */
import { Document } from "yaml";

/** Longer implicit keys become explicit (`? key`). */
const MAX_IMPLICIT_KEY = 1024;

/**
 * The default schema's tests for plain scalars that would read back as something other than a
 * string ("true", "42", "0x1F", "1e3", "", "~", ".nan", ...), taken from the library itself so
 * they follow it, joined into one pattern (each is anchored at both ends).
 */
const OTHER_TYPE = new RegExp(
  new Document().schema.tags
    .flatMap((t) => (t.default && t.tag !== "tag:yaml.org,2002:str" && "test" in t && t.test instanceof RegExp ? [t.test] : []))
    .map((re) => {
      if (re.flags !== "") throw new Error(`yamlEmit: unexpected flags on the yaml schema test ${re}`);
      return `(?:${re.source})`;
    })
    .join("|"),
);

const enum Style {
  /** Printed as is. */
  Plain,
  /** In double quotes with nothing escaped: "42", "true", "", ": x", "it's". */
  Double,
  /** In single quotes with nothing escaped: '{{ printf "%.2f" $value }}'. */
  Single,
  /** Only the library knows: escapes, both kinds of quote, document markers, line breaks. */
  Library,
}

/** ` ,[]{}#&*!|>'"%@` and tab: a plain scalar cannot start with these. */
const INDICATOR_START = new Set([..."\t ,[]{}#&*!|>'\"%@`"].map((c) => c.charCodeAt(0)));

/** Printable ASCII only: no control characters, tabs, line breaks or non-ASCII. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A leading `%` (directive), `---` or `...` (document markers): left to the library. */
const startsWithMarker = (s: string) => s.charCodeAt(0) === 0x25 /* % */ || s.startsWith("---") || s.startsWith("...");

/**
 * `lineStyle` for a printable-ASCII `s` (most of a rule file) that starts with no document
 * marker, with native substring searches instead of a loop over its characters: the same
 * decisions, and with no tab, control character or surrogate to consider, only the indicators,
 * `: `, ` #`, quotes and backslashes matter.
 */
function printableStyle(s: string): Style {
  const n = s.length;
  const c0 = s.charCodeAt(0);
  let plain = !INDICATOR_START.has(c0);
  if ((c0 === 0x3f /* ? */ || c0 === 0x2d) /* - */ && (n === 1 || s.charCodeAt(1) === 0x20)) plain = false;
  const cl = s.charCodeAt(n - 1);
  if (cl === 0x20 || cl === 0x3a /* : */) plain = false;
  if (plain && !s.includes(": ") && !s.includes(" #") && !OTHER_TYPE.test(s)) return Style.Plain;
  if (s.includes('"')) return s.includes("'") ? Style.Library : Style.Single;
  return s.includes("\\") ? Style.Library : Style.Double;
}

/**
 * How the library prints the single-line `s` as a map value, sequence item or key. Mirrors
 * `stringifyString`: control characters (but tab), C1 controls and lone surrogates force escaped
 * double quotes; indicators at the start, `: `, ` #`, a trailing space or colon, or a plain
 * reading as another type force quotes, single ones when `s` holds `"` and no `'`, else double.
 * A leading `%`, `---` or `...` (document markers) and line breaks are left to the library,
 * which treats them differently at the top level.
 */
function lineStyle(s: string): Style {
  if (startsWithMarker(s)) return Style.Library;
  if (PRINTABLE_ASCII.test(s)) return printableStyle(s);
  // A line break is a control character: the loop below would return Library at it anyway.
  if (s.includes("\n")) return Style.Library;
  const n = s.length;
  const c0 = s.charCodeAt(0);
  let plain = !INDICATOR_START.has(c0);
  if (c0 === 0x3f /* ? */ || c0 === 0x2d /* - */) {
    const c1 = s.charCodeAt(1);
    if (n === 1 || c1 === 0x20 || c1 === 0x09) plain = false;
  }
  const cl = s.charCodeAt(n - 1);
  if (cl === 0x20 || cl === 0x09 || cl === 0x3a /* : */) plain = false;
  let double = false;
  let single = false;
  let escaped = false; // a tab or backslash, which JSON.stringify escapes
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09) return Style.Library; // line break or control character
      escaped = true;
      if (s.charCodeAt(i + 1) === 0x23 /* # */) plain = false; // "\t#" starts a comment
    } else if (c >= 0x7f) {
      if (c <= 0x9f) return Style.Library;
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = s.charCodeAt(i + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return Style.Library; // lone surrogate
        i++;
      }
    } else if (c === 0x3a /* : */) {
      const d = s.charCodeAt(i + 1);
      if (d === 0x20 || d === 0x09) plain = false;
    } else if (c === 0x20) {
      if (s.charCodeAt(i + 1) === 0x23 /* # */) plain = false;
    } else if (c === 0x22) double = true;
    else if (c === 0x27) single = true;
    else if (c === 0x5c) escaped = true;
  }
  if (plain && !OTHER_TYPE.test(s)) return Style.Plain;
  if (double) return single ? Style.Library : Style.Single;
  return escaped ? Style.Library : Style.Double;
}

/**
 * True when the library prints the (non-key) multi-line `s` as a `|-` literal with no indentation
 * indicator: no leading space or line break, no trailing line break, no whitespace-only last line
 * (the library quotes those), no control characters or lone surrogates (escaped double quotes),
 * no line starting with a document marker (left to the library).
 */
function isStripLiteral(s: string): boolean {
  const n = s.length;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x20 || c0 === 0x0a || s.charCodeAt(n - 1) === 0x0a || startsWithMarker(s)) return false;
  if (PRINTABLE_ASCII_LINES.test(s)) {
    // Printable ASCII and line breaks (most multi-line PromQL): only the markers can disqualify.
    if (!s.includes("\n") || MARKER_LINE.test(s)) return false;
    return !lastLineBlank(s);
  }
  let lineBreaks = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x0a) {
        lineBreaks++;
        const d = s.charCodeAt(i + 1);
        if (d === 0x25 || ((d === 0x2d || d === 0x2e) && s.startsWith(d === 0x2d ? "---" : "...", i + 1))) return false;
      } else if (c !== 0x09) return false;
    } else if (c >= 0x7f) {
      if (c <= 0x9f) return false;
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = s.charCodeAt(i + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return false;
        i++;
      }
    }
  }
  if (lineBreaks === 0) return false;
  return !lastLineBlank(s);
}

/** Printable ASCII and line feeds only. */
const PRINTABLE_ASCII_LINES = /^[\x20-\x7e\n]*$/;
/** A line starting with a document marker or directive (`%`, `---`, `...`). */
const MARKER_LINE = /\n(?:%|---|\.\.\.)/;

/** True when the last line of the multi-line `s` is spaces and tabs only (and not empty). */
function lastLineBlank(s: string): boolean {
  const n = s.length;
  let j = n - 1;
  while (j >= 0 && (s.charCodeAt(j) === 0x20 || s.charCodeAt(j) === 0x09)) j--;
  return j < n - 1 && s.charCodeAt(j) === 0x0a;
}

const LINE_BREAKS = /\n+/g;

/**
 * A scalar in value position (map value or sequence item) whose node is indented by `indent`,
 * or undefined when only the library knows how it prints.
 */
export function fastScalar(v: unknown, indent: string): string | undefined {
  if (typeof v === "string") {
    switch (lineStyle(v)) {
      case Style.Plain:
        return v;
      case Style.Double:
        return `"${v}"`;
      case Style.Single:
        return `'${v}'`;
    }
    // Each run of line breaks is followed by the indent; empty lines inside stay empty.
    if (!isStripLiteral(v)) return undefined;
    // Split and join where no line is empty (the usual case): no regex replacement callback.
    return `|-\n${indent}${v.includes("\n\n") ? v.replace(LINE_BREAKS, `$&${indent}`) : v.split("\n").join(`\n${indent}`)}`;
  }
  if (typeof v === "number") return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : undefined;
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** Printed keys (null: only the library knows), for the few hundred distinct keys a file has. */
const keyCache = new Map<string, string | null>();
const KEY_CACHE_LIMIT = 4096;

/** A key as the library prints it in implicit form (`key: value`), or undefined. */
export function fastKey(k: string): string | undefined {
  const hit = keyCache.get(k);
  if (hit !== undefined) return hit ?? undefined;
  const style = lineStyle(k);
  let text = style === Style.Plain ? k : style === Style.Double ? `"${k}"` : style === Style.Single ? `'${k}'` : undefined;
  if (text !== undefined && text.length > MAX_IMPLICIT_KEY) text = undefined;
  if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(k, text ?? null);
  return text;
}
