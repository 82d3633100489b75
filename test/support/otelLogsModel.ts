/**
 * A model of the collector's logs pipelines, read from a generated collector config: it runs each
 * `logs/*` pipeline's processors in order over synthetic records and says which log group each
 * record reaches and how it looks there. No collector binary can run on this machine, so the model
 * interprets the config's own text (filter conditions, OTTL statements with their string escaping,
 * sampler settings) rather than trusting the generator: a statement it cannot read fails the test.
 *
 * Covered: the OTTL subset our generator writes (boolean and/or/not, comparisons of
 * `severity_number` and `attributes["k"]` with literals, `replace_all_patterns`, `replace_pattern`,
 * `set(..., SHA256(...))`, `delete_key`, `IsString`), filter `logs.log_record` with
 * error_mode ignore, and probabilistic_sampler in hash_seed mode on trace ids.
 */
import { createHash } from "node:crypto";
import { RE2JS } from "re2js";

export interface LogRecord {
  readonly severityNumber: number;
  readonly body: unknown;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** 32 hex digits. */
  readonly traceId: string;
}
export interface Landed {
  readonly logGroup: string;
  readonly pipeline: string;
  readonly record: LogRecord;
}

const SEVERITY: Record<string, number> = {
  SEVERITY_NUMBER_UNSPECIFIED: 0,
  SEVERITY_NUMBER_TRACE: 1,
  SEVERITY_NUMBER_DEBUG: 5,
  SEVERITY_NUMBER_INFO: 9,
  SEVERITY_NUMBER_WARN: 13,
  SEVERITY_NUMBER_ERROR: 17,
  SEVERITY_NUMBER_FATAL: 21,
};

// ---- OTTL tokens and expressions ----

type Token = { kind: "str"; value: string } | { kind: "num"; value: number } | { kind: "word"; value: string } | { kind: "punct"; value: string };

/** Go-style unquoting of an OTTL string literal body. */
function unquote(raw: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:"((?:\\.|[^\\"])*)"|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|>=|<=|[<>()[\],]))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    if (m[1] !== undefined) out.push({ kind: "str", value: unquote(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: "num", value: Number(m[2]) });
    else if (m[3] !== undefined) out.push({ kind: "word", value: m[3] });
    else out.push({ kind: "punct", value: m[4] });
  }
  if (text.slice(re.lastIndex).trim() !== "") throw new Error(`OTTL the model cannot read at: ${text.slice(re.lastIndex)}`);
  return out;
}

type Expr = (r: LogRecord) => unknown;

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  done = () => this.i >= this.tokens.length;
  peek = () => this.tokens[this.i];
  next = () => this.tokens[this.i++];
  expect(value: string): void {
    const t = this.next();
    if (!t || t.value !== value) throw new Error(`expected ${value}, got ${t ? t.value : "end"}`);
  }
  isWord = (w: string) => this.peek()?.kind === "word" && this.peek()?.value === w;

  condition(): Expr {
    let left = this.conjunction();
    while (this.isWord("or")) {
      this.next();
      const l = left, r = this.conjunction();
      left = (x) => Boolean(l(x)) || Boolean(r(x));
    }
    return left;
  }
  private conjunction(): Expr {
    let left = this.unary();
    while (this.isWord("and")) {
      this.next();
      const l = left, r = this.unary();
      left = (x) => Boolean(l(x)) && Boolean(r(x));
    }
    return left;
  }
  private unary(): Expr {
    if (this.isWord("not")) {
      this.next();
      const e = this.unary();
      return (x) => !e(x);
    }
    if (this.peek()?.value === "(") {
      this.next();
      const e = this.condition();
      this.expect(")");
      return e;
    }
    return this.comparison();
  }
  private comparison(): Expr {
    const left = this.value();
    const op = this.peek();
    if (op?.kind !== "punct" || !["==", "!=", ">", "<", ">=", "<="].includes(op.value)) return left;
    this.next();
    const right = this.value();
    return (x) => compare(op.value, left(x), right(x));
  }
  value(): Expr {
    const t = this.next();
    if (!t) throw new Error("unexpected end of OTTL");
    if (t.kind === "str" || t.kind === "num") return () => t.value;
    if (t.kind !== "word") throw new Error(`unexpected ${t.value}`);
    if (t.value in SEVERITY) return () => SEVERITY[t.value];
    if (t.value === "true" || t.value === "false") return () => t.value === "true";
    if (t.value === "nil") return () => undefined;
    if (t.value === "severity_number") return (r) => r.severityNumber;
    if (t.value === "body") return (r) => r.body;
    if (t.value === "attributes") {
      this.expect("[");
      const key = this.next();
      this.expect("]");
      if (key?.kind !== "str") throw new Error("attributes[...] needs a string key");
      return (r) => r.attributes[key.value];
    }
    if (t.value === "IsString") {
      this.expect("(");
      const v = this.value();
      this.expect(")");
      return (r) => typeof v(r) === "string";
    }
    throw new Error(`the model does not know ${t.value}`);
  }
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === "==") return a === b;
  if (op === "!=") return a !== b;
  // OTTL compares numbers with numbers; anything else is false.
  if (typeof a !== "number" || typeof b !== "number") return false;
  return op === ">" ? a > b : op === "<" ? a < b : op === ">=" ? a >= b : a <= b;
}

export function parseCondition(text: string): Expr {
  const p = new Parser(tokenize(text));
  const e = p.condition();
  if (!p.done()) throw new Error(`trailing OTTL in: ${text}`);
  return e;
}

// ---- statements ----

type Statement = (r: LogRecord) => LogRecord;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const compiled = new Map<string, RE2JS>();
const re2 = (pattern: string): RE2JS => {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = RE2JS.compile(pattern)));
  return re;
};

function replaceIn(value: unknown, pattern: string, replacement: string): unknown {
  return typeof value === "string" ? re2(pattern).matcher(value).replaceAll(replacement) : value;
}

/** Parses one statement of the forms the generator writes; anything else throws. */
export function parseStatement(text: string): Statement {
  const [call, where] = text.split(/\swhere\s/);
  const guard = where === undefined ? () => true : parseCondition(where);
  const tokens = tokenize(call);
  const fn = tokens[0]?.value;
  const strs = tokens.filter((t) => t.kind === "str").map((t) => String(t.value));
  const run = (f: Statement): Statement => (r) => (guard(r) ? f(r) : r);
  switch (fn) {
    case "replace_all_patterns": {
      const [mode, pattern, replacement] = strs;
      if (mode !== "value") throw new Error(`replace_all_patterns mode ${mode}`);
      return run((r) => ({ ...r, attributes: Object.fromEntries(Object.entries(r.attributes).map(([k, v]) => [k, replaceIn(v, pattern, replacement)])) }));
    }
    case "replace_pattern": {
      if (tokens[2]?.value !== "body") throw new Error("replace_pattern on something other than body");
      const [pattern, replacement] = strs;
      return run((r) => ({ ...r, body: replaceIn(r.body, pattern, replacement) }));
    }
    case "set": {
      const m = /^set\(attributes\["((?:\\.|[^\\"])*)"\], SHA256\(attributes\["((?:\\.|[^\\"])*)"\]\)\)$/.exec(call.trim());
      if (!m || m[1] !== m[2]) throw new Error(`set form the model does not know: ${call}`);
      const key = unquote(m[1]);
      return run((r) => ({ ...r, attributes: { ...r.attributes, [key]: sha256(String(r.attributes[key])) } }));
    }
    case "delete_key": {
      const [key] = strs;
      return run((r) => ({ ...r, attributes: Object.fromEntries(Object.entries(r.attributes).filter(([k]) => k !== key)) }));
    }
    default:
      throw new Error(`statement the model does not know: ${text}`);
  }
}

// ---- processors and pipelines ----

/** probabilistic_sampler, hash_seed mode: FNV-1a 32 of the seed's 4 bytes then the trace id, 14 bits. */
function keptBySampler(traceIdHex: string, seed: number, percent: number): boolean {
  let h = 0x811c9dc5;
  const bytes = [seed & 0xff, (seed >>> 8) & 0xff, (seed >>> 16) & 0xff, (seed >>> 24) & 0xff, ...Buffer.from(traceIdHex, "hex")];
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return (h & 0x3fff) < Math.floor((percent / 100) * 0x4000);
}

type Processor = (r: LogRecord) => LogRecord | undefined;

function processor(name: string, config: Record<string, unknown>): Processor {
  const type = name.split("/")[0];
  if (["memory_limiter", "resource", "batch"].includes(type)) return (r) => r;
  if (type === "filter") {
    const conditions = ((config.logs as { log_record?: string[] } | undefined)?.log_record ?? []).map(parseCondition);
    return (r) => (conditions.some((c) => c(r)) ? undefined : r);
  }
  if (type === "probabilistic_sampler") {
    if (config.mode !== "hash_seed" || config.attribute_source !== "traceID") throw new Error(`sampler settings the model does not know: ${JSON.stringify(config)}`);
    return (r) => (keptBySampler(r.traceId, Number(config.hash_seed), Number(config.sampling_percentage)) ? r : undefined);
  }
  if (type === "transform") {
    const groups = config.log_statements as { context: string; statements: string[] }[];
    const statements = groups.flatMap((g) => {
      if (g.context !== "log") throw new Error(`context ${g.context}`);
      return g.statements.map(parseStatement);
    });
    return (r) => statements.reduce((acc, s) => s(acc), r);
  }
  throw new Error(`processor the model does not know: ${name}`);
}

export interface CollectorConfig {
  readonly processors: Record<string, Record<string, unknown>>;
  readonly exporters: Record<string, Record<string, unknown>>;
  readonly service: { readonly pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

/** Runs `records` through every `logs/*` pipeline of `config`; returns where each copy lands. */
export function runLogsPipelines(config: CollectorConfig, records: readonly LogRecord[]): Landed[] {
  const landed: Landed[] = [];
  for (const [pipeline, p] of Object.entries(config.service.pipelines)) {
    if (!pipeline.startsWith("logs/")) continue;
    const steps = p.processors.map((n) => processor(n, config.processors[n] ?? {}));
    for (const record of records) {
      let r: LogRecord | undefined = record;
      for (const step of steps) if (r) r = step(r);
      if (r) for (const e of p.exporters) landed.push({ pipeline, logGroup: String(config.exporters[e].log_group_name), record: r });
    }
  }
  return landed;
}
