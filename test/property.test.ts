/**
 * Property tests of validation (fast-check, fixed seed): random and mutated descriptions fed to
 * `normalizeService` and `servicesFromData` either give a model or throw a ValidationError, never
 * anything else; every rejection names at least one problem; every problem's path leads through
 * fields the schema declares, or is `(top level)`, or (for an unknown field) leads through declared
 * fields to a key the input really holds there; every message is a non-empty one-line sentence.
 *
 * Mutations start from the two example services and a minimal one: drop fields, change types,
 * insert unknown or misspelt keys, set known keys anywhere, duplicate list items, nudge numbers.
 * Run counts are tuned so the file takes about 8 s on a two-core machine while the total of
 * generated inputs stays above 10 000 (16 000; printed at the end).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as fc from "fast-check";
import { parse } from "yaml";
import { SERVICES_FILE_SCHEMA, SERVICE_SCHEMA } from "../service/descriptionSchema";
import { servicesFromData } from "../service/load";
import { normalizeService, ValidationError } from "../service/normalize";
import { nodeOf, type Node } from "../service/schemaDsl";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

/** Fixed, so CI replays the same inputs; change it locally to explore further. */
const SEED = 20251124;
let totalRuns = 0;
const assertProperty = <T>(prop: fc.IProperty<T>, numRuns: number) => {
  fc.assert(prop, { seed: SEED, numRuns });
  totalRuns += numRuns;
};

// ---------------------------------------------------------------------------------------------
// What the schema declares: every field name anywhere, and a walker that checks a reported path.
// ---------------------------------------------------------------------------------------------

function fieldNames(node: Node, out = new Set<string>()): Set<string> {
  if (node.type === "object")
    for (const [k, f] of Object.entries(node.fields)) {
      out.add(k);
      fieldNames(nodeOf(f), out);
    }
  if (node.type === "array") fieldNames(node.items, out);
  if (node.type === "map") fieldNames(node.values, out);
  return out;
}
const FIELD_NAMES = [...fieldNames(SERVICES_FILE_SCHEMA)].sort();
const TOP_LEVEL_FIELDS = Object.keys(SERVICE_SCHEMA.fields);

/**
 * True when `path` walks from `node` through declared fields, list indices and map keys. Paths
 * are not escaped (a map key may itself hold `.` or `[`), so every split is tried.
 */
function pathResolves(node: Node, path: string): boolean {
  if (path === "") return true;
  const next = (child: Node, rest: string): boolean => {
    if (rest === "") return true;
    if (rest.startsWith(".")) return rest.length > 1 && (child.type === "object" || child.type === "map") && pathResolves(child, rest.slice(1));
    // Keys that are not plain names are quoted: `selector["a b"]`.
    if (rest.startsWith('["')) return child.type === "map" || child.type === "object";
    return rest.startsWith("[") && child.type === "array" && pathResolves(child, rest);
  };
  switch (node.type) {
    case "object":
      return Object.entries(node.fields).some(([k, f]) => path.startsWith(k) && next(nodeOf(f), path.slice(k.length)));
    case "array": {
      const m = /^\[(\d+)\](.*)$/s.exec(path);
      return m !== null && next(node.items, m[2]);
    }
    case "map":
      return true; // the rest is a key the user chose; map values are plain strings
    default:
      return false;
  }
}
const resolvesInSchema = (path: string, servicesFile: boolean) =>
  pathResolves(SERVICE_SCHEMA, path) || (servicesFile && pathResolves(SERVICES_FILE_SCHEMA, path));

/** The values `path` may lead to in the input itself (every split of an unescaped path is tried). */
function locate(value: unknown, path: string): unknown[] {
  if (path === "") return [value];
  const next = (v: unknown, rest: string): unknown[] =>
    rest === "" ? [v] : rest.startsWith(".") ? locate(v, rest.slice(1)) : rest.startsWith("[") ? locate(v, rest) : [];
  if (Array.isArray(value)) {
    const m = /^\[(\d+)\](.*)$/s.exec(path);
    return m && Number(m[1]) < value.length ? next(value[Number(m[1])], m[2]) : [];
  }
  if (!isContainer(value)) return [];
  return Object.keys(value).flatMap((k) => (path.startsWith(k) ? next((value as Record<string, unknown>)[k], path.slice(k.length)) : []));
}

/**
 * An "unknown field" problem's path is `<declared path>.<key>` (or just `<key>` at top level),
 * where the input really holds `key` at that place.
 */
function unknownFieldResolves(input: unknown, path: string, servicesFile: boolean): boolean {
  const quoted = /^(.*)\[("(?:[^"\\]|\\.)*")\]$/s.exec(path);
  if (quoted) {
    const [, prefix, key] = quoted;
    if (prefix !== "" && !resolvesInSchema(prefix, servicesFile)) return false;
    return locate(input, prefix).some((v) => isContainer(v) && !Array.isArray(v) && Object.hasOwn(v, JSON.parse(key)));
  }
  const splits = [-1, ...[...path].flatMap((c, i) => (c === "." ? [i] : []))];
  return splits.some((i) => {
    const prefix = i < 0 ? "" : path.slice(0, i);
    const key = path.slice(i + 1);
    if (prefix !== "" && !resolvesInSchema(prefix, servicesFile)) return false;
    return locate(input, prefix).some((v) => isContainer(v) && !Array.isArray(v) && Object.hasOwn(v, key));
  });
}

/**
 * Throws (failing the property) unless `fn` returns models or throws a well-formed ValidationError
 * about `input`. `filePrefix`: the file name servicesFromData puts before every path.
 */
function expectModelOrValidationError(input: unknown, fn: (input: unknown) => unknown, filePrefix?: string): void {
  let result: unknown;
  try {
    result = fn(input);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw new Error(`threw something other than a ValidationError: ${e}`);
    if (e.issues.length === 0) throw new Error("a rejection without a single issue");
    const servicesFile = filePrefix !== undefined;
    for (const { path, message } of e.issues) {
      let p = path;
      if (filePrefix !== undefined) {
        if (!p.startsWith(`${filePrefix}: `)) throw new Error(`path "${p}" lacks the file prefix`);
        p = p.slice(filePrefix.length + 2);
      }
      if (p.length === 0) throw new Error(`empty path for "${message}"`);
      const ok =
        p === "(top level)" ||
        resolvesInSchema(p, servicesFile) ||
        (message.startsWith("unknown field") && unknownFieldResolves(input, p, servicesFile));
      if (!ok) throw new Error(`path "${p}" does not lead through the schema (message: ${message})`);
      if (message.trim() !== message || message.length < 3 || /\n/.test(message))
        throw new Error(`not a one-line sentence at ${p}: ${JSON.stringify(message)}`);
      // Values quoted from the input (JSON strings, possibly cut short with "...") may hold anything.
      const ownWords = message.replace(/"(?:[^"\\]|\\.)*(?:"|\.\.\.$)/g, '""');
      if (/undefined|\[object Object\]|NaN/.test(ownWords))
        throw new Error(`message leaks an internal value at ${p}: ${message}`);
    }
    return;
  }
  const models = Array.isArray(result) ? result : [result];
  for (const m of models)
    if (!m || typeof m !== "object" || typeof (m as { name?: unknown }).name !== "string")
      throw new Error(`returned something other than a model: ${JSON.stringify(m)}`);
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/**
 * Two kinds of key are left out, because each trips a known bug (see the failing tests at the end)
 * and a property that always fails would hide every other finding: keys named like
 * Object.prototype members (they crash the validator) and the empty key (reported with an empty path).
 */
const reportableKey = (k: string) => k !== "" && !(k in Object.prototype);
const keyArb = fc.oneof(fc.string({ maxLength: 12 }).filter(reportableKey), fc.constantFrom(...FIELD_NAMES));

const interestingStrings = fc.constantFrom(
  "", " ", "x", "rag-pipeline", "tier1", "email", "slack", "pagerduty", "embed", "relevance", "#alerts",
  "ssm:/observability/key", "secretsmanager:hook", "hunter2", "1h", "7d", "0", "https://runbooks.example.com", "a@b.c", "qa-bot",
);
const interestingNumbers = fc.constantFrom(0, -1, 1, 0.16, 0.3, 0.7, 2.5, 2.56, 3, 14, 90, 99.9, 100, 101, 400, 3653, 1e21, 0.1 + 0.2);
const leafArb = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(), // NaN and ±Infinity too: YAML `.nan` and `.inf` produce them
  fc.string({ maxLength: 20 }),
  interestingStrings,
  interestingNumbers,
);
const { value: valueArb } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
  value: fc.oneof({ depthSize: "small", maxDepth: 4 }, leafArb, leafArb, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(keyArb, tie("value"), { maxKeys: 5 }),
}));

const EXAMPLES = join(__dirname, "..", "examples");
const MINIMAL: Record<string, unknown> = minimalDescription(
  { name: "min-svc", team: "core-ml", owner: "me", kind: "custom" },
  emailAlerting("https://runbooks.example.com", "a@example.com"),
);
/** The example services and a minimal one: mutations start from these. */
const SEEDS: Record<string, unknown>[] = [
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => parse(readFileSync(join(EXAMPLES, f), "utf8")) as Record<string, unknown>),
  MINIMAL,
];

type Path = (string | number)[];
type Container = Record<string, unknown> | unknown[];
const isContainer = (v: unknown): v is Container => v !== null && typeof v === "object";

function allPaths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...at, i], out));
  else if (isContainer(v)) for (const [k, x] of Object.entries(v)) allPaths(x, [...at, k], out);
  return out;
}
const getAt = (root: unknown, path: Path) => path.reduce<unknown>((v, k) => (isContainer(v) ? (v as Record<string | number, unknown>)[k] : undefined), root);
/** Nearest container of the wanted kind at or above `path`. */
function containerAt(root: unknown, path: Path, want: "object" | "array"): Container | undefined {
  for (let n = path.length; n >= 0; n--) {
    const v = getAt(root, path.slice(0, n));
    if (want === "array" ? Array.isArray(v) : isContainer(v) && !Array.isArray(v)) return v as Container;
  }
  return undefined;
}
function misspell(k: string, pick: number): string {
  if (k.length < 2) return `${k}x`;
  const i = pick % (k.length - 1);
  switch (pick % 3) {
    case 0:
      return k.slice(0, i) + k[i + 1] + k[i] + k.slice(i + 2); // swap two letters
    case 1:
      return k.slice(0, i) + k.slice(i + 1); // drop one
    default:
      return `${k.slice(0, i)}${k[i]}${k.slice(i)}`; // double one
  }
}

const OPS = ["delete", "replace", "unknownKey", "misspell", "knownKey", "duplicate", "tweakNumber", "stringify"] as const;
interface Mutation {
  readonly op: (typeof OPS)[number];
  readonly at: number;
  readonly pick: number;
  readonly key: string;
  readonly value: unknown;
}
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom(...OPS),
  at: fc.nat(),
  pick: fc.nat(),
  key: keyArb,
  value: valueArb,
});

/** Applies mutations in order to a copy of a seed; every step is deterministic in its inputs. */
function mutate(seed: unknown, mutations: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(seed);
  for (const m of mutations) {
    const paths = allPaths(root);
    const path = paths[m.at % paths.length];
    const parent = path.length ? (getAt(root, path.slice(0, -1)) as Container) : undefined;
    const last = path[path.length - 1];
    const set = (v: unknown) => {
      if (!parent) root = v;
      else (parent as Record<string | number, unknown>)[last] = v;
    };
    const current = getAt(root, path);
    switch (m.op) {
      case "delete":
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else if (parent) delete (parent as Record<string, unknown>)[last as string];
        break;
      case "replace":
        set(structuredClone(m.value));
        break;
      case "unknownKey":
      case "knownKey": {
        const target = containerAt(root, path, "object") as Record<string, unknown> | undefined;
        if (target) target[m.op === "knownKey" ? FIELD_NAMES[m.pick % FIELD_NAMES.length] : m.key] = structuredClone(m.value);
        break;
      }
      case "misspell": {
        const target = containerAt(root, path, "object") as Record<string, unknown> | undefined;
        const keys = target ? Object.keys(target) : [];
        if (!target || keys.length === 0) break;
        const k = keys[m.pick % keys.length];
        const wrong = misspell(k, m.pick);
        if (!reportableKey(wrong)) break;
        const v = target[k];
        delete target[k];
        target[wrong] = v;
        break;
      }
      case "duplicate": {
        const list = containerAt(root, path, "array") as unknown[] | undefined;
        if (list && list.length) list.push(structuredClone(list[m.pick % list.length]));
        break;
      }
      case "tweakNumber":
        if (typeof current === "number") set([current + 0.01, current * 2, -current, 0, current / 3, Math.round(current) + 1, 1e21][m.pick % 7]);
        break;
      case "stringify":
        set(m.pick % 2 && !isContainer(current) ? String(current) : JSON.stringify(current ?? null));
        break;
    }
  }
  return root;
}

const mutatedArb = fc
  .tuple(fc.nat(SEEDS.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
  .map(([i, ms]) => mutate(SEEDS[i], ms));
/** Objects with the service's own top-level keys and random values: get past the first checks. */
const nearShapeArb = fc.dictionary(fc.constantFrom(...TOP_LEVEL_FIELDS), valueArb, { minKeys: 1, maxKeys: TOP_LEVEL_FIELDS.length });

// ---------------------------------------------------------------------------------------------

describe("validation never crashes and always explains itself", () => {
  const started = Date.now();
  afterAll(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`property tests: ${totalRuns} generated inputs (seed ${SEED}) in ${seconds} s`);
  });

  it("the mutations keep a meaningful share of descriptions valid, so both outcomes are exercised", () => {
    const sample = fc.sample(mutatedArb, { seed: SEED, numRuns: 500 });
    let valid = 0;
    for (const d of sample) {
      try {
        normalizeService(d);
        valid++;
      } catch {
        // counted as rejected
      }
    }
    expect(valid).toBeGreaterThan(25);
    expect(valid).toBeLessThan(475);
  });

  it("normalizeService on mutated example descriptions returns a model or a well-formed ValidationError", () => {
    assertProperty(fc.property(mutatedArb, (d) => expectModelOrValidationError(d, normalizeService)), 6000);
  });

  it("servicesFromData on mutated descriptions, alone and two to a services file, returns models or a well-formed ValidationError", () => {
    assertProperty(
      fc.property(mutatedArb, mutatedArb, (a, b) => {
        expectModelOrValidationError(a, (x) => servicesFromData(x, "svc.yaml"), "svc.yaml");
        expectModelOrValidationError({ services: [a, b] }, (x) => servicesFromData(x, "svc.yaml"), "svc.yaml");
      }),
      4000,
    );
  });

  it("normalizeService and servicesFromData on fully random values return a model or a well-formed ValidationError", () => {
    assertProperty(
      fc.property(valueArb, (v) => {
        expectModelOrValidationError(v, normalizeService);
        expectModelOrValidationError(v, (x) => servicesFromData(x, "svc.yaml"), "svc.yaml");
        expectModelOrValidationError({ services: v }, (x) => servicesFromData(x, "svc.yaml"), "svc.yaml");
      }),
      3500,
    );
  });

  it("objects with the service's own keys and random values are judged without crashing", () => {
    assertProperty(
      fc.property(nearShapeArb, (v) => {
        expectModelOrValidationError(v, normalizeService);
        expectModelOrValidationError({ services: [v] }, (x) => servicesFromData(x, "svc.yaml"), "svc.yaml");
      }),
      2500,
    );
  });
});

// BUG (service/schemaDsl.ts `check` and `prune`): fields are looked up with `node.fields[k]`, so
// a key named like an Object.prototype member finds the inherited member instead of nothing and
// the validator crashes with "TypeError: Cannot read properties of undefined (reading 'type')"
// instead of reporting an unknown field. fast-check generates such keys on purpose; the generators
// above leave them out so the other properties stay meaningful. Fix: `Object.hasOwn(node.fields, k)`.
it("keys named like Object.prototype members are reported as unknown fields, not crashed on", () => {
  for (const key of ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"]) {
    const d = structuredClone(MINIMAL) as Record<string, unknown>;
    Object.defineProperty(d, key, { value: 1, enumerable: true, configurable: true, writable: true });
    let caught: unknown;
    try {
      normalizeService(d);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.path)).toEqual([key]);
  }
});

// BUG (service/schemaDsl.ts `joinPath` and `check`): an empty key (`"": x` in YAML) is reported as
// an unknown field at the path "" at top level (the CLI prints `file.yaml: : unknown field...`) and at
// "logs." when nested, so the user cannot tell which key is meant. Paths should quote such keys.
it("an empty key is reported at a path that shows it", () => {
  for (const [where, put] of [
    ["top level", (d: Record<string, any>) => (d[""] = 1)],
    ["logs", (d: Record<string, any>) => (d.logs = { "": 1 })],
  ] as const) {
    const d = structuredClone(MINIMAL) as Record<string, any>;
    put(d);
    let paths: string[] = [];
    try {
      normalizeService(d);
    } catch (e) {
      paths = (e as ValidationError).issues.map((i) => i.path);
    }
    expect([where, paths.length, paths.every((p) => p !== "" && !p.endsWith("."))]).toEqual([where, 1, true]);
  }
});
