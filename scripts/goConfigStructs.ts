/**
 * Just enough of a Go parser to read component `Config` structs: type declarations (structs,
 * named and alias types), their fields with `mapstructure` tags, typed string constants (the
 * enum-like values a component switches on) and which types decode from text (`UnmarshalText`).
 *
 * Why not a real Go toolchain: none can be installed here, and the collector's config structs are
 * gofmt'd declarations that a small tokenizer reads reliably. Function bodies are skipped, never
 * interpreted: only declarations at the top level of a file count.
 */
import { tokenize, type Tok } from "./goTokenizer";

/** A Go type expression, as written. */
export type GoType =
  | { kind: "name"; pkg?: string; name: string; args: GoType[] }
  | { kind: "pointer"; elem: GoType }
  | { kind: "slice"; elem: GoType }
  | { kind: "map"; key: GoType; value: GoType }
  | { kind: "struct"; fields: GoField[] }
  | { kind: "other"; text: string };

export interface GoField {
  /** The Go field name; for an embedded field, the type's name. */
  readonly name: string;
  readonly embedded: boolean;
  readonly type: GoType;
  /** The raw struct tag without backquotes, or "" when the field has none. */
  readonly tag: string;
}

export interface GoTypeDecl {
  readonly name: string;
  readonly typeParams: string[];
  /** `type A = B` (an alias) rather than `type A B` (a new named type). */
  readonly alias: boolean;
  readonly type: GoType;
  /** Import alias -> import path of the file the declaration is in (qualifiers resolve there). */
  readonly imports: ReadonlyMap<string, string>;
}

export interface GoFile {
  pkg: string;
  readonly imports: Map<string, string>;
  readonly types: GoTypeDecl[];
  /** Typed string constants: `Latency PolicyType = "latency"` or `Record = AttributeSource("record")`. */
  readonly stringConsts: { name: string; type: string; value: string }[];
  /** Receiver type names of `UnmarshalText` methods: such types are written as plain strings. */
  readonly textUnmarshalers: string[];
  /** Receiver type names of `Unmarshal(*confmap.Conf)` methods: such types decode themselves. */
  readonly confUnmarshalers: string[];
}

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}

  peek(offset = 0): Tok | undefined { return this.toks[this.i + offset]; }
  next(): Tok | undefined { return this.toks[this.i++]; }
  atEnd(): boolean { return this.i >= this.toks.length; }
  is(v: string, offset = 0): boolean { const t = this.peek(offset); return t !== undefined && t.t !== "str" && t.t !== "raw" && t.v === v; }
  skipNl(): void { while (this.peek()?.t === "nl") this.i++; }
  expect(v: string): void {
    const t = this.next();
    if (!t || t.v !== v) throw new Error(`expected "${v}", found "${t?.v ?? "end of file"}"`);
  }

  /** Skips a balanced (...), [...] or {...} starting at the current opening token. */
  skipBalanced(): void {
    const open = this.next()!.v;
    const close = ({ "(": ")", "[": "]", "{": "}" } as Record<string, string>)[open];
    let depth = 1;
    while (!this.atEnd() && depth > 0) {
      const t = this.next()!;
      if (t.t !== "op") continue;
      if (t.v === open) depth++;
      else if (t.v === close) depth--;
    }
  }

  parseType(): GoType {
    this.skipNl();
    const t = this.peek();
    if (!t) throw new Error("expected a type, found end of file");
    if (t.t === "op" && t.v === "*") { this.next(); return { kind: "pointer", elem: this.parseType() }; }
    if (t.t === "op" && t.v === "[") {
      this.next();
      if (this.is("]")) { this.next(); return { kind: "slice", elem: this.parseType() }; }
      while (!this.is("]")) this.next(); // a fixed-size array decodes like a list
      this.next();
      return { kind: "slice", elem: this.parseType() };
    }
    if (t.t === "id" && t.v === "map") {
      this.next();
      this.expect("[");
      const key = this.parseType();
      this.expect("]");
      return { kind: "map", key, value: this.parseType() };
    }
    if (t.t === "id" && t.v === "struct") { this.next(); return { kind: "struct", fields: this.parseStructBody() }; }
    if (t.t === "op" && t.v === "<" && this.is("-", 1)) { this.next(); this.next(); return this.parseType(); } // `<-chan T`
    if (t.t === "id" && t.v === "chan") { this.next(); this.parseType(); return { kind: "other", text: "chan" }; }
    if (t.t === "id" && (t.v === "interface" || t.v === "func")) {
      // Neither decodes from config; skip `interface{...}` and `func(...) results`.
      this.next();
      while (this.is("(") || this.is("{")) this.skipBalanced();
      if (t.v === "func" && (this.peek()?.t === "id" || this.is("*") || this.is("["))) this.parseType();
      return { kind: "other", text: t.v };
    }
    if (t.t === "id") {
      this.next();
      let pkg: string | undefined;
      let name = t.v;
      if (this.is(".") && this.peek(1)?.t === "id") { this.next(); pkg = name; name = this.next()!.v; }
      const args: GoType[] = [];
      if (this.is("[") && !this.is("]", 1)) {
        this.next();
        args.push(this.parseType());
        while (this.is(",")) { this.next(); args.push(this.parseType()); }
        this.expect("]");
      }
      return { kind: "name", pkg, name, args };
    }
    throw new Error(`unexpected "${t.v}" where a type belongs`);
  }

  /** `{ field decls }` of a struct type; the opening brace is next. */
  parseStructBody(): GoField[] {
    this.expect("{");
    const fields: GoField[] = [];
    for (;;) {
      this.skipNl();
      while (this.is(";")) { this.next(); this.skipNl(); }
      if (this.is("}")) { this.next(); return fields; }
      if (this.atEnd()) throw new Error("unterminated struct");
      fields.push(...this.parseFieldDecl());
    }
  }

  private parseFieldDecl(): GoField[] {
    const first = this.peek()!;
    const tagAfter = (): string => (this.peek()?.t === "raw" || this.peek()?.t === "str" ? this.next()!.v : "");
    // Embedded: `*pkg.T`, `pkg.T` or `T`, optionally followed by a tag, then the line ends.
    const embeddedEnd = (t: Tok | undefined) => !t || t.t === "nl" || t.t === "raw" || t.t === "str" || t.v === "}" || t.v === ";";
    if ((first.t === "op" && first.v === "*") || (first.t === "id" && this.is(".", 1)) || (first.t === "id" && embeddedEnd(this.peek(1)))) {
      const type = this.parseType();
      const named = type.kind === "pointer" ? type.elem : type;
      const name = named.kind === "name" ? named.name : "?";
      return [{ name, embedded: true, type, tag: tagAfter() }];
    }
    if (first.t === "id" && this.is("[", 1)) {
      // `T[X]` embedded generic, or a field `Name []T` / `Name [4]T`: try the former, else back up.
      const save = this.i;
      try {
        const type = this.parseType();
        if (type.kind === "name" && type.args.length > 0 && embeddedEnd(this.peek())) return [{ name: type.name, embedded: true, type, tag: tagAfter() }];
      } catch {
        // not a type: it is a named field
      }
      this.i = save;
    }
    const names = [this.next()!.v];
    while (this.is(",")) { this.next(); names.push(this.next()!.v); }
    const type = this.parseType();
    const tag = tagAfter();
    return names.map((name) => ({ name, embedded: false, type, tag }));
  }
}

/** Parses the top-level declarations of one Go source file. */
export function parseGoFile(src: string): GoFile {
  const p = new Parser(tokenize(src));
  const file: GoFile = { pkg: "", imports: new Map(), types: [], stringConsts: [], textUnmarshalers: [], confUnmarshalers: [] };
  const group = (each: () => void) => {
    if (p.is("(")) {
      p.next();
      for (;;) {
        p.skipNl();
        while (p.is(";")) { p.next(); p.skipNl(); }
        if (p.is(")")) { p.next(); return; }
        if (p.atEnd()) return;
        each();
      }
    } else each();
  };
  while (!p.atEnd()) {
    p.skipNl();
    const t = p.next();
    if (!t) break;
    if (t.t !== "id") { if (t.t === "op" && (t.v === "{" || t.v === "(" || t.v === "[")) { p.i--; p.skipBalanced(); } continue; }
    if (t.v === "package") { file.pkg = p.next()!.v; continue; }
    if (t.v === "import") {
      group(() => {
        let alias: string | undefined;
        if (p.peek()?.t === "id" || p.is("_") || p.is(".")) alias = p.next()!.v;
        const path = p.next()!.v;
        file.imports.set(alias ?? path.slice(path.lastIndexOf("/") + 1), path);
      });
      continue;
    }
    if (t.v === "type") { group(() => file.types.push(parseTypeSpec(p, file.imports))); continue; }
    if (t.v === "const") { group(() => parseConstSpec(p, file)); continue; }
    if (t.v === "func") { parseFuncHeader(p, file); continue; }
  }
  return file;
}

function parseTypeSpec(p: Parser, imports: Map<string, string>): GoTypeDecl {
  const name = p.next()!.v;
  const typeParams: string[] = [];
  // `type Optional[T any] struct` declares type parameters; `type X []T` does not.
  if (p.is("[") && p.peek(1)?.t === "id" && p.peek(2)?.t === "id") {
    // Names are the identifiers right after `[` or a top-level `,`; constraints may nest brackets.
    const start = p.i;
    p.skipBalanced();
    let depth = 0;
    for (let k = start; k < p.i; k++) {
      const tok = p.toks[k];
      if (tok.t === "op" && (tok.v === "[" || tok.v === "(")) depth++;
      else if (tok.t === "op" && (tok.v === "]" || tok.v === ")")) depth--;
      else if (tok.t === "id" && depth === 1 && (p.toks[k - 1].v === "[" || p.toks[k - 1].v === ",")) typeParams.push(tok.v);
    }
  }
  let alias = false;
  if (p.is("=")) { p.next(); alias = true; }
  const type = p.parseType();
  return { name, typeParams, alias, type, imports };
}

function parseConstSpec(p: Parser, file: GoFile): void {
  // One spec per line: `Name [Type] [= value]`; only `Name Type = "string"` is kept.
  const line: Tok[] = [];
  let depth = 0;
  while (!p.atEnd()) {
    const t = p.peek()!;
    const op = t.t === "op" ? t.v : ""; // a string holding ")" is no bracket
    if (depth === 0 && (t.t === "nl" || op === ")" || op === ";")) break;
    if (op === "(" || op === "{" || op === "[") depth++;
    if (op === ")" || op === "}" || op === "]") depth--;
    line.push(p.next()!);
  }
  if (line.length === 4 && line[0].t === "id" && line[1].t === "id" && line[2].v === "=" && line[3].t === "str")
    file.stringConsts.push({ name: line[0].v, type: line[1].v, value: line[3].v });
  // `Name = Type("value")`, the conversion form of the same thing.
  else if (line.length === 6 && line[0].t === "id" && line[1].v === "=" && line[2].t === "id" && line[3].v === "(" && line[4].t === "str" && line[5].v === ")")
    file.stringConsts.push({ name: line[0].v, type: line[2].v, value: line[4].v });
}

function parseFuncHeader(p: Parser, file: GoFile): void {
  // `func (r *T) UnmarshalText(...)` marks T as decoded from a string;
  // `func (r *T) Unmarshal(conf *confmap.Conf)` as decoding itself from the config map.
  if (p.is("(")) {
    const start = p.i;
    p.skipBalanced();
    const typeTok = [...p.toks.slice(start, p.i)].reverse().find((t) => t.t === "id");
    const method = p.peek()?.v;
    if (typeTok && method === "UnmarshalText") file.textUnmarshalers.push(typeTok.v);
    if (typeTok && method === "Unmarshal" && p.is("(", 1)) {
      const paramsStart = p.i + 1;
      let end = paramsStart;
      while (end < p.toks.length && !(p.toks[end].t === "op" && p.toks[end].v === ")")) end++;
      if (p.toks.slice(paramsStart, end).some((t) => t.t === "id" && t.v === "confmap")) file.confUnmarshalers.push(typeTok.v);
    }
  }
  // Skip name, parameters and results up to the body, which is skipped whole; a declaration
  // without a body ends at the line break. A `{` inside a result type (`interface{}`) ends the
  // header early; the real body is then skipped by the top-level loop as a balanced block.
  let depth = 0;
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (depth === 0 && t.t === "op" && t.v === "{") { p.skipBalanced(); return; }
    if (depth === 0 && t.t === "nl") return;
    if (t.t === "op" && (t.v === "(" || t.v === "[")) depth++;
    if (t.t === "op" && (t.v === ")" || t.v === "]")) depth--;
    p.next();
  }
}

/**
 * The `mapstructure` part of a struct tag: the key (may be ""), whether the field is squashed into
 * its parent, or collects the keys no other field takes (`,remain`).
 */
export function mapstructureTag(tag: string): { present: boolean; key: string; squash: boolean; remain: boolean; skip: boolean } {
  const m = /(?:^|\s)mapstructure:"([^"]*)"/.exec(tag);
  if (!m) return { present: false, key: "", squash: false, remain: false, skip: false };
  const [key, ...opts] = m[1].split(",");
  return { present: true, key, squash: opts.includes("squash"), remain: opts.includes("remain"), skip: key === "-" };
}
