/**
 * A tiny schema language for the service description. One definition gives both:
 *  - a validator that walks untrusted input (YAML, JSON or a TS object) and collects EVERY problem,
 *    each with its field path and a fix, instead of stopping at the first; and
 *  - the published JSON Schema that editors use for completion.
 * Keeping both in one place means the schema and the validator cannot drift apart.
 */
import { MAX_LIST_ITEMS, MAX_MAP_ENTRIES, MAX_STRING_LENGTH, httpsUrlProblem, re2Problem, unsafeTextProblem } from "./inputLimits";
import { aKind, findSecrets, secretIssues } from "./secrets";

export interface Issue {
  /** Field path in the user's terms, e.g. `slos[1].latency.thresholdSeconds`. */
  readonly path: string;
  /** What is wrong, the value found, and how to fix it. */
  readonly message: string;
}

export type Node =
  | StringNode
  | NumberNode
  | BooleanNode
  | EnumNode
  | ArrayNode
  | ObjectNode
  | MapNode;

interface Base {
  readonly description: string;
}
export interface StringNode extends Base {
  readonly type: "string";
  readonly pattern?: RegExp;
  readonly patternHint?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** The value may be a secret pasted by mistake: never echo it in messages. */
  readonly sensitive?: boolean;
  /** The value is a regular expression Prometheus compiles (RE2 syntax, as Go's regexp reads it). */
  readonly re2?: boolean;
  /** The value is a plain https URL (see httpsUrlProblem). */
  readonly httpsUrl?: boolean;
}
export interface NumberNode extends Base {
  readonly type: "number";
  readonly integer?: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
  /** Exclusive bounds, for ratios such as 0 < objective < 100. */
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}
export interface BooleanNode extends Base {
  readonly type: "boolean";
}
export interface EnumNode extends Base {
  readonly type: "enum";
  readonly values: readonly string[];
}
export interface ArrayNode extends Base {
  readonly type: "array";
  readonly items: Node;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Property of object items that must be unique across the array (e.g. `name`). */
  readonly uniqueBy?: string;
  /** Numbers must be strictly increasing (histogram bucket boundaries). */
  readonly increasing?: boolean;
}
export interface Field {
  readonly node: Node;
  readonly required?: boolean;
}
export interface ObjectNode extends Base {
  readonly type: "object";
  readonly fields: Readonly<Record<string, Field>>;
  /** Exactly one of these keys must be present (a tagged choice, e.g. the SLI kind of an SLO). */
  readonly oneOf?: readonly string[];
}
export interface MapNode extends Base {
  readonly type: "map";
  readonly keyPattern: RegExp;
  readonly keyHint: string;
  readonly values: Node;
  /** @default MAX_MAP_ENTRIES */
  readonly maxEntries?: number;
}

export const str = (description: string, o: Omit<StringNode, "type" | "description"> = {}): StringNode => ({
  type: "string",
  description,
  ...o,
});
export const num = (description: string, o: Omit<NumberNode, "type" | "description"> = {}): NumberNode => ({
  type: "number",
  description,
  ...o,
});
export const bool = (description: string): BooleanNode => ({ type: "boolean", description });
export const oneOfStrings = (description: string, values: readonly string[]): EnumNode => ({
  type: "enum",
  description,
  values,
});
export const arr = (description: string, items: Node, o: Omit<ArrayNode, "type" | "description" | "items"> = {}): ArrayNode => ({
  type: "array",
  description,
  items,
  ...o,
});
export const obj = (
  description: string,
  fields: Record<string, Field | Node>,
  o: { oneOf?: readonly string[] } = {},
): ObjectNode => ({
  type: "object",
  description,
  fields: Object.fromEntries(
    Object.entries(fields).map(([k, f]) => [k, "node" in f ? f : { node: f }]),
  ),
  ...o,
});
export const map = (description: string, keyPattern: RegExp, keyHint: string, values: Node, o: { maxEntries?: number } = {}): MapNode => ({
  type: "map",
  description,
  keyPattern,
  keyHint,
  values,
  ...o,
});
/** Marks a field as required. */
export const req = (node: Node): Field => ({ node, required: true });

// Every string, list and map has a bound, so no input can grow the output without limit.
const maxLength = (n: StringNode) => n.maxLength ?? MAX_STRING_LENGTH;
const maxItems = (n: ArrayNode) => n.maxItems ?? MAX_LIST_ITEMS;
const maxEntries = (n: MapNode) => n.maxEntries ?? MAX_MAP_ENTRIES;

export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  // A key pasted where a value belongs is not echoed in the path either.
  const leaked = findSecrets(key)[0];
  if (leaked) return `${base}[(${leaked.kind}, masked: ${leaked.masked})]`;
  // Keys that are not plain names (empty, spaces, dots) are quoted so the path still shows them.
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === "" ? key : `${base}.${key}`;
}

export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  // YAML spells these .nan / .inf; JSON.stringify would print null.
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
  const s = JSON.stringify(value);
  // No message echoes a pasted key, not even its start in a cut-off value.
  const leaked = findSecrets(s)[0];
  if (leaked) return `(not shown: holds ${aKind(leaked.kind)}, masked: ${leaked.masked})`;
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Closest candidate by edit distance, to suggest a fix for a misspelt key. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Validates `value` against `node`, appending every problem found to `issues`. */
export function check(node: Node, value: unknown, path: string, issues: Issue[]): void {
  const at = path === "" ? "(top level)" : path;
  const add = (message: string): void => {
    issues.push({ path: at, message });
  };
  switch (node.type) {
    case "string":
      if (typeof value !== "string") return add(`expected a string, got ${kindOf(value)} ${show(value)}`);
      // A credential in any string: reported masked and nothing else, so no later message echoes it.
      const credentialIssues = secretIssues(at, value, node.sensitive);
      if (credentialIssues.length > 0) return void issues.push(...credentialIssues);
      if (node.minLength !== undefined && value.length < node.minLength)
        return add(`${show(value)} is too short; use at least ${node.minLength} character(s)`);
      if (value.length > maxLength(node))
        return add(`${node.sensitive ? "the value (not shown)" : show(value)} is ${value.length} characters long; use at most ${maxLength(node)}`);
      {
        const unsafe = unsafeTextProblem(value) ?? (node.re2 ? re2Problem(value) : undefined) ?? (node.httpsUrl ? httpsUrlProblem(value) : undefined);
        if (unsafe) return add(unsafe);
      }
      if (node.pattern && !node.pattern.test(value))
        return add(`${node.sensitive ? "the value (not shown)" : show(value)} is not allowed; ${node.patternHint ?? `it must match ${node.pattern}`}`);
      return;
    case "number":
      if (typeof value !== "number") return add(`expected a number, got ${kindOf(value)} ${show(value)}`);
      if (!Number.isFinite(value)) return add(`${show(value)} is not a finite number; give a number such as 99.5`);
      if (node.integer && !Number.isInteger(value)) return add(`${value} must be a whole number`);
      if (node.minimum !== undefined && value < node.minimum) return add(`${value} is below the minimum ${node.minimum}`);
      if (node.maximum !== undefined && value > node.maximum) return add(`${value} is above the maximum ${node.maximum}`);
      if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum)
        return add(`${value} must be greater than ${node.exclusiveMinimum}`);
      if (node.exclusiveMaximum !== undefined && value >= node.exclusiveMaximum)
        return add(`${value} must be less than ${node.exclusiveMaximum}`);
      return;
    case "boolean":
      if (typeof value !== "boolean") return add(`expected true or false, got ${kindOf(value)} ${show(value)}`);
      return;
    case "enum":
      if (typeof value !== "string" || !node.values.includes(value)) {
        const hint = typeof value === "string" ? closest(value, node.values) : undefined;
        return add(
          `${show(value)} is not one of ${node.values.map((v) => `"${v}"`).join(", ")}` +
            (hint ? `; did you mean "${hint}"?` : ""),
        );
      }
      return;
    case "array": {
      if (!Array.isArray(value)) return add(`expected a list, got ${kindOf(value)} ${show(value)}`);
      if (node.minItems !== undefined && value.length < node.minItems)
        return add(`has ${value.length} item(s); give at least ${node.minItems}`);
      if (value.length > maxItems(node)) return add(`has ${value.length} items; give at most ${maxItems(node)}`);
      value.forEach((item, i) => check(node.items, item, joinPath(path, i), issues));
      if (node.uniqueBy) {
        const seen = new Map<unknown, number>();
        value.forEach((item, i) => {
          const key = item && typeof item === "object" ? (item as Record<string, unknown>)[node.uniqueBy!] : undefined;
          if (key === undefined) return;
          if (seen.has(key))
            issues.push({
              path: joinPath(joinPath(path, i), node.uniqueBy!),
              message: `${show(key)} is already used by ${joinPath(path, seen.get(key)!)}; each ${node.uniqueBy} must be unique`,
            });
          else seen.set(key, i);
        });
      }
      if (node.increasing && value.every((v) => typeof v === "number")) {
        for (let i = 1; i < value.length; i++)
          if ((value[i] as number) <= (value[i - 1] as number)) {
            issues.push({
              path: joinPath(path, i),
              message: `${value[i]} does not increase after ${value[i - 1]}; list boundaries in strictly increasing order`,
            });
            break;
          }
      }
      return;
    }
    case "map": {
      if (value === null || typeof value !== "object" || Array.isArray(value))
        return add(`expected an object of ${node.keyHint}, got ${kindOf(value)} ${show(value)}`);
      if (Object.keys(value).length > maxEntries(node))
        return add(`has ${Object.keys(value).length} entries; give at most ${maxEntries(node)}`);
      for (const [k, v] of Object.entries(value)) {
        if (!node.keyPattern.test(k)) issues.push({ path: joinPath(path, k), message: `key ${show(k)} is not allowed; ${node.keyHint}` });
        check(node.values, v, joinPath(path, k), issues);
      }
      return;
    }
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value))
        return add(`expected an object, got ${kindOf(value)} ${show(value)}`);
      const record = value as Record<string, unknown>;
      const known = Object.keys(node.fields);
      for (const [k, v] of Object.entries(record)) {
        const field = Object.hasOwn(node.fields, k) ? node.fields[k] : undefined;
        if (!field) {
          const hint = closest(k, known);
          issues.push({
            path: joinPath(path, k),
            message: `unknown field` + (hint ? `; did you mean "${hint}"?` : `; allowed fields are ${known.join(", ")}`),
          });
          continue;
        }
        if (v === undefined) continue;
        check(field.node, v, joinPath(path, k), issues);
      }
      for (const [k, f] of Object.entries(node.fields))
        if (f.required && record[k] === undefined)
          issues.push({ path: joinPath(path, k), message: `is required: ${f.node.description}` });
      if (node.oneOf) {
        const present = node.oneOf.filter((k) => record[k] !== undefined);
        if (present.length !== 1)
          add(
            present.length === 0
              ? `set exactly one of ${node.oneOf.join(", ")}`
              : `set only one of ${node.oneOf.join(", ")}; found ${present.join(" and ")}`,
          );
      }
      return;
    }
  }
}

/** Renders a node as JSON Schema (draft 2020-12), for editor completion of YAML/JSON descriptions. */
export function toJsonSchema(node: Node): Record<string, unknown> {
  const d = { description: node.description };
  switch (node.type) {
    case "string":
      return {
        type: "string",
        ...d,
        ...(node.pattern ? { pattern: node.pattern.source } : {}),
        ...(node.minLength !== undefined ? { minLength: node.minLength } : {}),
        maxLength: maxLength(node),
      };
    case "number":
      return {
        type: node.integer ? "integer" : "number",
        ...d,
        ...(node.minimum !== undefined ? { minimum: node.minimum } : {}),
        ...(node.maximum !== undefined ? { maximum: node.maximum } : {}),
        ...(node.exclusiveMinimum !== undefined ? { exclusiveMinimum: node.exclusiveMinimum } : {}),
        ...(node.exclusiveMaximum !== undefined ? { exclusiveMaximum: node.exclusiveMaximum } : {}),
      };
    case "boolean":
      return { type: "boolean", ...d };
    case "enum":
      return { type: "string", enum: [...node.values], ...d };
    case "array":
      return {
        type: "array",
        ...d,
        items: toJsonSchema(node.items),
        ...(node.minItems !== undefined ? { minItems: node.minItems } : {}),
        maxItems: maxItems(node),
      };
    case "map":
      return {
        type: "object",
        ...d,
        propertyNames: { pattern: node.keyPattern.source },
        maxProperties: maxEntries(node),
        additionalProperties: toJsonSchema(node.values),
      };
    case "object": {
      const required = Object.entries(node.fields)
        .filter(([, f]) => f.required)
        .map(([k]) => k);
      return {
        type: "object",
        ...d,
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(node.fields).map(([k, f]) => [k, toJsonSchema(f.node)])),
        ...(required.length ? { required } : {}),
        ...(node.oneOf ? { oneOf: node.oneOf.map((k) => ({ required: [k] })) } : {}),
      };
    }
  }
}

/**
 * The part of `value` that fits `node`: fields and items that fail their own check become
 * undefined (array positions are kept, so paths stay right). Lets cross-field checks run on
 * everything that is well-formed even when other fields are broken, so one pass reports all.
 */
export function prune(node: Node, value: unknown): unknown {
  const issues: Issue[] = [];
  switch (node.type) {
    case "array":
      return Array.isArray(value) ? value.map((v) => prune(node.items, v)) : undefined;
    case "map":
      if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => node.keyPattern.test(k))
          .map(([k, v]) => [k, prune(node.values, v)])
          .filter(([, v]) => v !== undefined),
      );
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const field = Object.hasOwn(node.fields, k) ? node.fields[k] : undefined;
        if (!field) continue;
        const p = prune(field.node, v);
        if (p !== undefined) out[k] = p;
      }
      return out;
    }
    default:
      check(node, value, "", issues);
      return issues.length ? undefined : value;
  }
}
