/**
 * The validator of the schema language: walks untrusted input (YAML, JSON or a TS object) and
 * collects EVERY problem, each with its field path and a fix, instead of stopping at the first.
 * `parse` is the one entry point: structure, then each object's cross-field `refine` on the
 * well-formed part, then the defaults; it returns a typed value only when nothing was wrong.
 */
import { MAX_LIST_ITEMS, MAX_MAP_ENTRIES, MAX_STRING_LENGTH, httpsUrlProblem, re2Problem, unsafeTextProblem } from "../inputLimits";
import { secretIssues } from "../secretReferences";
import { hasDefault, isRequired, nodeOf, type ArrayNode, type Issue, type MapNode, type Node, type NumberNode, type ObjectNode, type Output, type StringNode } from "./nodes";
import { closest, got, joinPath, nearestValues, show } from "./text";

// Every string, list and map has a bound, so no input can grow the output without limit.
export const maxLength = (n: StringNode) => n.maxLength ?? MAX_STRING_LENGTH;
export const maxItems = (n: ArrayNode) => n.maxItems ?? MAX_LIST_ITEMS;
export const maxEntries = (n: MapNode) => n.maxEntries ?? MAX_MAP_ENTRIES;

type Add = (message: string) => void;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
/** `value[key]` when value is a list or an object, else undefined. */
const member = (value: unknown, key: string | number): unknown => (value !== null && typeof value === "object" ? Reflect.get(value, key) : undefined);

/**
 * Validates `value` against `node` and returns the typed value with defaults applied, or undefined
 * when anything is wrong; every problem is appended to `issues`.
 */
export function parse<N extends Node>(node: N, value: unknown, path: string, issues: Issue[]): Output<N> | undefined {
  const before = issues.length;
  check(node, value, path, issues);
  const wellFormed = issues.length === before;
  // A well-formed value needs no pruning: cross-field checks read it whole, and it is the result.
  const defaulted = withDefaults(node, wellFormed ? value : prune(node, value));
  const crossField: Issue[] = [];
  refineAll(node, defaulted, value, path, crossField);
  issues.push(...inDocumentOrder(node, path, crossField));
  if (issues.length > before) return undefined;
  // The value passed every check of `node`, so it has the shape `Output<N>` describes: this is the
  // one place where the schema's runtime checks vouch for its static type.
  return defaulted as Output<N>;
}

/** Validates `value` against `node` (structure only), appending every problem found to `issues`. */
export function check(node: Node, value: unknown, path: string, issues: Issue[]): void {
  const at = path === "" ? "(top level)" : path;
  const add: Add = (message) => void issues.push({ path: at, message });
  switch (node.type) {
    case "string":
      return checkString(node, value, at, add, issues);
    case "number":
      return checkNumber(node, value, add);
    case "boolean":
      if (typeof value !== "boolean") add(`expected true or false, got ${got(value)}`);
      return;
    case "enum":
      if (typeof value !== "string" || !node.values.includes(value)) {
        const hint = typeof value === "string" ? closest(value, node.values) : undefined;
        add(`${show(value)} is not one of ${node.values.map((v) => `"${v}"`).join(", ")}` + (hint ? `; did you mean "${hint}"?` : ""));
      }
      return;
    case "array":
      return checkArray(node, value, path, add, issues);
    case "map":
      return checkMap(node, value, path, add, issues);
    case "object":
      return checkObject(node, value, path, add, issues);
    case "declared":
      return check(node.inner, value, path, issues);
  }
}

function checkString(node: StringNode, value: unknown, at: string, add: Add, issues: Issue[]): void {
  if (typeof value !== "string") return add(`expected a string, got ${got(value)}`);
  // A credential in any string: reported masked and nothing else, so no later message echoes it.
  const credentialIssues = secretIssues(at, value, node.sensitive);
  if (credentialIssues.length > 0) return void issues.push(...credentialIssues);
  const shown = () => (node.sensitive ? "the value (not shown)" : show(value));
  if (node.minLength !== undefined && value.length < node.minLength) return add(`${show(value)} is too short; use at least ${node.minLength} character(s)`);
  if (value.length > maxLength(node)) return add(`${shown()} is ${value.length} characters long; use at most ${maxLength(node)}`);
  const unsafe = unsafeTextProblem(value) ?? (node.re2 ? re2Problem(value) : undefined) ?? (node.httpsUrl ? httpsUrlProblem(value) : undefined);
  if (unsafe) return add(unsafe);
  if (node.pattern && !node.pattern.test(value)) add(`${shown()} is not allowed; ${node.patternHint ?? `it must match ${node.pattern}`}`);
}

function checkNumber(node: NumberNode, value: unknown, add: Add): void {
  if (typeof value !== "number") return add(`expected a number, got ${got(value)}`);
  if (!Number.isFinite(value)) return add(`${show(value)} is not a finite number; give a number such as 99.5`);
  if (node.integer && !Number.isInteger(value)) return add(`${value} must be a whole number`);
  if (node.minimum !== undefined && value < node.minimum) return add(`${value} is below the minimum ${node.minimum}`);
  if (node.maximum !== undefined && value > node.maximum) return add(`${value} is above the maximum ${node.maximum}`);
  if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum) return add(`${value} must be greater than ${node.exclusiveMinimum}`);
  if (node.exclusiveMaximum !== undefined && value >= node.exclusiveMaximum) return add(`${value} must be less than ${node.exclusiveMaximum}`);
  if (node.allowed && !node.allowed.values.includes(value)) add(`${value} is not ${node.allowed.what}; ${nearestValues(value, node.allowed.values)}`);
}

function checkArray(node: ArrayNode, value: unknown, path: string, add: Add, issues: Issue[]): void {
  if (!Array.isArray(value)) return add(`expected a list, got ${got(value)}`);
  if (node.minItems !== undefined && value.length < node.minItems) return add(`has ${value.length} item(s); give at least ${node.minItems}`);
  if (value.length > maxItems(node)) return add(`has ${value.length} items; give at most ${maxItems(node)}`);
  value.forEach((item, i) => check(node.items, item, joinPath(path, i), issues));
  if (node.uniqueBy) checkUnique(node.uniqueBy, value, path, issues);
  if (node.increasing && value.every((v) => typeof v === "number")) {
    const i = value.findIndex((v, j) => j > 0 && v <= value[j - 1]);
    if (i > 0)
      issues.push({ path: joinPath(path, i), message: `${value[i]} does not increase after ${value[i - 1]}; list boundaries in strictly increasing order` });
  }
}

function checkUnique(key: string, list: readonly unknown[], path: string, issues: Issue[]): void {
  const seen = new Map<unknown, number>();
  list.forEach((item, i) => {
    const v = isRecord(item) ? item[key] : undefined;
    if (v === undefined) return;
    const first = seen.get(v);
    if (first === undefined) seen.set(v, i);
    else issues.push({ path: joinPath(joinPath(path, i), key), message: `${show(v)} is already used by ${joinPath(path, first)}; each ${key} must be unique` });
  });
}

function checkMap(node: MapNode, value: unknown, path: string, add: Add, issues: Issue[]): void {
  if (!isRecord(value)) return add(`expected an object of ${node.keyHint}, got ${got(value)}`);
  const entries = Object.entries(value);
  if (entries.length > maxEntries(node)) return add(`has ${entries.length} entries; give at most ${maxEntries(node)}`);
  for (const [k, v] of entries) {
    if (!node.keyPattern.test(k)) issues.push({ path: joinPath(path, k), message: `key ${show(k)} is not allowed; ${node.keyHint}` });
    check(node.values, v, joinPath(path, k), issues);
  }
}

function checkObject(node: ObjectNode, value: unknown, path: string, add: Add, issues: Issue[]): void {
  if (!isRecord(value)) return add(`expected an object, got ${got(value)}`);
  const known = Object.keys(node.fields);
  for (const [k, v] of Object.entries(value)) {
    // hasOwn: a key named like an Object.prototype member (`constructor`) is not a field.
    const field = Object.hasOwn(node.fields, k) ? node.fields[k] : undefined;
    if (!field) {
      const hint = closest(k, known);
      issues.push({ path: joinPath(path, k), message: `unknown field` + (hint ? `; did you mean "${hint}"?` : `; allowed fields are ${known.join(", ")}`) });
    } else if (v !== undefined) check(nodeOf(field), v, joinPath(path, k), issues);
  }
  for (const [k, f] of Object.entries(node.fields))
    if (isRequired(f) && value[k] === undefined) issues.push({ path: joinPath(path, k), message: `is required: ${nodeOf(f).description}` });
  if (node.oneOf) {
    const present = node.oneOf.filter((k) => value[k] !== undefined);
    if (present.length === 0) add(`set exactly one of ${node.oneOf.join(", ")}`);
    else if (present.length > 1) add(`set only one of ${node.oneOf.join(", ")}; found ${present.join(" and ")}`);
  }
}

/**
 * The part of `value` that fits `node`: fields and items that fail their own check become
 * undefined (array positions are kept, so paths stay right). Lets cross-field checks run on
 * everything that is well-formed even when other fields are broken, so one pass reports all.
 */
export function prune(node: Node, value: unknown): unknown {
  switch (node.type) {
    case "array":
      return Array.isArray(value) ? value.map((v) => prune(node.items, v)) : undefined;
    case "map":
      if (!isRecord(value)) return undefined;
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => node.keyPattern.test(k))
          .map(([k, v]) => [k, prune(node.values, v)])
          .filter(([, v]) => v !== undefined),
      );
    case "object": {
      if (!isRecord(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const field = Object.hasOwn(node.fields, k) ? node.fields[k] : undefined;
        const p = field ? prune(nodeOf(field), v) : undefined;
        if (p !== undefined) out[k] = p;
      }
      return out;
    }
    case "declared":
      return prune(node.inner, value);
    default: {
      const issues: Issue[] = [];
      check(node, value, "", issues);
      return issues.length ? undefined : value;
    }
  }
}

/** `value` with the defaults of every absent field filled in, recursively; the input is not changed. */
export function withDefaults(node: Node, value: unknown): unknown {
  switch (node.type) {
    case "array":
      return Array.isArray(value) ? value.map((v) => withDefaults(node.items, v)) : value;
    case "map":
      return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDefaults(node.values, v)])) : value;
    case "object": {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = { ...value };
      for (const [k, f] of Object.entries(node.fields)) {
        const v = value[k] ?? (hasDefault(f) ? structuredClone(f.default) : undefined);
        if (v !== undefined) out[k] = withDefaults(nodeOf(f), v);
      }
      return out;
    }
    default:
      return value;
  }
}

/** Runs every object's `refine` on the pruned, defaulted value; `raw` answers "did the user write it". */
function refineAll(node: Node, loose: unknown, raw: unknown, path: string, issues: Issue[]): void {
  if (loose === undefined) return;
  const child = (key: string | number, n: Node, v: unknown) => refineAll(n, v, member(raw, key), joinPath(path, key), issues);
  switch (node.type) {
    case "array":
      if (Array.isArray(loose)) loose.forEach((v, i) => child(i, node.items, v));
      return;
    case "map":
      if (isRecord(loose)) for (const [k, v] of Object.entries(loose)) child(k, node.values, v);
      return;
    case "declared":
      return refineAll(node.inner, loose, raw, path, issues);
    case "object":
      if (!isRecord(loose)) return;
      for (const [k, f] of Object.entries(node.fields)) child(k, nodeOf(f), loose[k]);
      node.refine?.(loose, {
        issue: (subPath, message) => issues.push({ path: subPath === "" ? path || "(top level)" : path === "" ? subPath : `${path}.${subPath}`, message }),
        given: (...keys) => keys.reduce<unknown>(member, raw) !== undefined,
      });
      return;
    default:
      return;
  }
}

/** Where `path` sits in the schema: field positions and list indexes, for sorting messages. */
function positionOf(node: Node, path: string): number[] {
  const out: number[] = [];
  let n: Node | undefined = node;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (n?.type === "declared") n = n.inner;
    if (m[2] !== undefined) {
      out.push(Number(m[2]));
      n = n?.type === "array" ? n.items : undefined;
    } else if (n?.type === "object" && Object.hasOwn(n.fields, m[1])) {
      out.push(Object.keys(n.fields).indexOf(m[1]));
      n = nodeOf(n.fields[m[1]]);
    } else out.push(Number.MAX_SAFE_INTEGER);
  }
  return out;
}

/** Cross-field problems sorted as their fields appear in the description (a stable sort keeps ties in check order). */
function inDocumentOrder(node: Node, base: string, issues: readonly Issue[]): Issue[] {
  const rel = (p: string) => (base !== "" && p.startsWith(base) ? p.slice(base.length).replace(/^\./, "") : p);
  const keyed = issues.map((issue) => ({ issue, key: positionOf(node, rel(issue.path)) }));
  const compare = (a: number[], b: number[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  return keyed.sort((a, b) => compare(a.key, b.key)).map((k) => k.issue);
}
