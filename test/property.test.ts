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
import * as fc from "fast-check";
import { SERVICES_FILE_SCHEMA, SERVICE_SCHEMA } from "../service/descriptionSchema";
import { servicesFromData } from "../service/load";
import { normalizeService, ValidationError } from "../service/normalize";
import { nodeOf, type Node } from "../service/schemaDsl";
import { isContainer, mutatedArb, nearShapeArb, valueArb } from "./support/descriptionMutations";

/** Fixed, so CI replays the same inputs; change it locally to explore further. */
const SEED = 20251124;
let totalRuns = 0;
const assertProperty = <T>(prop: fc.IProperty<T>, numRuns: number) => {
  fc.assert(prop, { seed: SEED, numRuns });
  totalRuns += numRuns;
};

// ---------------------------------------------------------------------------------------------
// What the schema declares: a walker that checks a reported path.
// ---------------------------------------------------------------------------------------------

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
