/**
 * Checks synthesized Grafana resources against the Grafana provider schema (the committed subset,
 * or the official v4.45.1 schema in ../shared/reference), the way `terraform validate` would judge
 * their shape, without Terraform or the provider binary (neither is installed offline).
 *
 * Usage in a test:
 *   const problems = validateGrafanaResources(JSON.parse(Testing.synth(stack)), loadGrafanaSchema("subset"));
 *   expect(problems).toEqual([]);
 * Each problem names the resource address and the attribute path, e.g.
 *   grafana_rule_group.slo: rule[0].data[0].relative_time_range.from: expected number, got "ten"
 */
import { existsSync, readFileSync } from "node:fs";
import {
  GRAFANA_PROVIDER_ADDRESS,
  GRAFANA_REFERENCE_PATH,
  GRAFANA_SUBSET_PATH,
} from "../../scripts/make-grafana-schema-subset";

export { GRAFANA_REFERENCE_PATH, GRAFANA_SUBSET_PATH };

/** A type as `terraform providers schema -json` writes it. */
export type SchemaType = string | [string, SchemaType] | ["object", Record<string, SchemaType>];
export interface SchemaAttribute {
  type?: SchemaType;
  nested_type?: { nesting_mode: string; attributes?: Record<string, SchemaAttribute> };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}
export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, { nesting_mode: string; block: SchemaBlock; min_items?: number; max_items?: number }>;
}
interface ProviderSchemas {
  provider_schemas?: Record<
    string,
    { provider?: { block: SchemaBlock }; resource_schemas?: Record<string, { block: SchemaBlock }>; data_source_schemas?: Record<string, { block: SchemaBlock }> }
  >;
}

const cache = new Map<string, object>();

/** True when the official schema is beside the project (it is never committed into it). */
export function hasGrafanaReferenceSchema(): boolean {
  return existsSync(GRAFANA_REFERENCE_PATH);
}

/**
 * The committed subset (`providers/grafana/schema-subset.json`) or the official v4.45.1 schema
 * (`../shared/reference/`; throws when absent, see hasGrafanaReferenceSchema). Parsed once.
 */
export function loadGrafanaSchema(which: "subset" | "reference"): object {
  const path = which === "subset" ? GRAFANA_SUBSET_PATH : GRAFANA_REFERENCE_PATH;
  let schema = cache.get(path);
  if (!schema) {
    if (!existsSync(path)) throw new Error(`the Grafana provider schema (${which}) is missing: ${path}`);
    schema = JSON.parse(readFileSync(path, "utf8")) as object;
    cache.set(path, schema);
  }
  return schema;
}

/** Keys Terraform reads itself rather than passing to the provider. */
const RESOURCE_META = new Set(["//", "count", "depends_on", "for_each", "lifecycle", "provider", "provisioner", "connection"]);
const PROVIDER_META = new Set(["//", "alias"]);

type Stack = {
  provider?: Record<string, unknown>;
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
};

/**
 * Problems (empty when none) of every `grafana_*` resource and data source and every `grafana`
 * provider block in a synthesized cdk.tf.json: unknown attribute or block names, missing required
 * attributes and blocks, read-only (computed) attributes that are set, values whose JSON type
 * cannot convert to the schema type, and nested blocks, recursively, with their min/max items.
 * A string holding a Terraform interpolation (`${...}`) matches any type: it is known only at plan.
 */
export function validateGrafanaResources(synthesizedStackJson: object, schema: object): string[] {
  const stack = synthesizedStackJson as Stack;
  const providers = (schema as ProviderSchemas).provider_schemas ?? {};
  const grafana = providers[GRAFANA_PROVIDER_ADDRESS];
  if (!grafana) return [`the schema has no provider ${GRAFANA_PROVIDER_ADDRESS}`];
  const problems: string[] = [];

  const configs = stack.provider?.grafana;
  if (configs !== undefined && grafana.provider) {
    for (const [i, config] of (Array.isArray(configs) ? configs : [configs]).entries()) {
      const alias = isObject(config) && typeof config.alias === "string" ? config.alias : undefined;
      const address = alias ? `provider.grafana (alias ${alias})` : Array.isArray(configs) && configs.length > 1 ? `provider.grafana[${i}]` : "provider.grafana";
      checkBlockBody(grafana.provider.block, config, PROVIDER_META, (path, message) => problems.push(`${address}: ${path ? `${path}: ` : ""}${message}`));
    }
  }

  const kinds = [
    { entries: stack.resource, schemas: grafana.resource_schemas ?? {}, prefix: "", noun: "resource type" },
    { entries: stack.data, schemas: grafana.data_source_schemas ?? {}, prefix: "data.", noun: "data source" },
  ];
  for (const { entries, schemas, prefix, noun } of kinds) {
    for (const [type, byName] of Object.entries(entries ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (!type.startsWith("grafana_")) continue;
      for (const [name, body] of Object.entries(byName ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        const address = `${prefix}${type}.${name}`;
        const resource = schemas[type];
        if (!resource) {
          problems.push(`${address}: ${noun} ${type} is not in the schema${suggest(type, Object.keys(schemas))}`);
          continue;
        }
        checkBlockBody(resource.block, body, RESOURCE_META, (path, message) => problems.push(`${address}: ${path ? `${path}: ` : ""}${message}`));
      }
    }
  }
  return problems;
}

type Report = (path: string, message: string) => void;

function checkBlockBody(block: SchemaBlock, body: unknown, meta: ReadonlySet<string>, report: Report, path = ""): void {
  const at = (name: string) => (path ? `${path}.${name}` : name);
  if (isInterpolation(body)) return;
  if (!isObject(body)) {
    report(path, `expected a block (JSON object), got ${describe(body)}`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (meta.has(key) || (key === "//" && !(key in attributes))) continue;
    if (key in attributes) {
      const attribute = attributes[key];
      if (attribute.computed && !attribute.optional && !attribute.required && value !== null) {
        report(at(key), "is read-only (computed by the provider) and cannot be set");
      } else if (value !== null) {
        checkAttributeValue(attribute, value, at(key), report);
      }
    } else if (key in blocks) {
      if (value !== null) checkNestedBlock(blocks[key], value, at(key), report);
    } else if (key === "dynamic" && isObject(value)) {
      // Terraform JSON `dynamic` blocks: only their labels can be checked before plan.
      for (const label of Object.keys(value)) {
        if (!(label in blocks)) report(at(`dynamic.${label}`), `unknown block type "${label}"${suggest(label, Object.keys(blocks))}`);
      }
    } else {
      report(at(key), `unknown attribute or block${suggest(key, [...Object.keys(attributes), ...Object.keys(blocks)])}`);
    }
  }
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && (body[name] === undefined || body[name] === null)) report(at(name), "required attribute is missing");
  }
  for (const [name, nested] of Object.entries(blocks)) {
    const dynamic = isObject(body.dynamic) && name in body.dynamic;
    if ((nested.min_items ?? 0) > 0 && (body[name] === undefined || body[name] === null) && !dynamic) {
      report(at(name), `required block is missing (at least ${nested.min_items})`);
    }
  }
}

function checkNestedBlock(
  nested: { nesting_mode: string; block: SchemaBlock; min_items?: number; max_items?: number },
  value: unknown,
  path: string,
  report: Report,
): void {
  if (isInterpolation(value)) return;
  if (nested.nesting_mode === "map") {
    if (!isObject(value)) return report(path, `expected an object of labelled blocks, got ${describe(value)}`);
    for (const [label, body] of Object.entries(value)) checkBlockBody(nested.block, body, new Set(), report, `${path}["${label}"]`);
    return;
  }
  // Terraform's JSON syntax takes one block as an object, several as an array of objects.
  const items = Array.isArray(value) ? value : [value];
  if (nested.nesting_mode === "single" || nested.nesting_mode === "group") {
    if (items.length > 1) report(path, `takes one block, got ${items.length}`);
  } else {
    const { min_items: min, max_items: max } = nested;
    if (min !== undefined && items.length < min) report(path, `needs at least ${min} block(s), got ${items.length}`);
    if (max !== undefined && items.length > max) report(path, `takes at most ${max} block(s), got ${items.length}`);
  }
  items.forEach((body, i) => checkBlockBody(nested.block, body, new Set(), report, Array.isArray(value) ? `${path}[${i}]` : path));
}

function checkAttributeValue(attribute: SchemaAttribute, value: unknown, path: string, report: Report): void {
  if (attribute.type !== undefined) return checkType(attribute.type, value, path, report);
  const nested = attribute.nested_type;
  if (!nested || isInterpolation(value)) return;
  const asBlock: SchemaBlock = { attributes: nested.attributes ?? {} };
  if (nested.nesting_mode === "single") return checkBlockBody(asBlock, value, new Set(), report, path);
  if (nested.nesting_mode === "map") {
    if (!isObject(value)) return report(path, `expected a map (JSON object), got ${describe(value)}`);
    for (const [k, v] of Object.entries(value)) checkBlockBody(asBlock, v, new Set(), report, `${path}["${k}"]`);
    return;
  }
  if (!Array.isArray(value)) return report(path, `expected a ${nested.nesting_mode} (JSON array), got ${describe(value)}`);
  value.forEach((v, i) => checkBlockBody(asBlock, v, new Set(), report, `${path}[${i}]`));
}

/** Whether `value` converts to `type` as Terraform converts JSON values (numbers and bools to strings too). */
function checkType(type: SchemaType, value: unknown, path: string, report: Report): void {
  if (value === null || isInterpolation(value)) return;
  const fail = (expected: string) => report(path, `expected ${expected}, got ${describe(value)}`);
  if (typeof type === "string") {
    switch (type) {
      case "string":
        if (!["string", "number", "boolean"].includes(typeof value)) fail("string");
        return;
      case "number":
        if (typeof value !== "number" && !(typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))) fail("number");
        return;
      case "bool":
        if (typeof value !== "boolean" && value !== "true" && value !== "false") fail("bool");
        return;
      case "dynamic":
        return;
      default:
        return report(path, `has a schema type this validator does not know: ${JSON.stringify(type)}`);
    }
  }
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      if (!Array.isArray(value)) return fail(`${kind} (JSON array)`);
      value.forEach((v, i) => checkType(inner as SchemaType, v, `${path}[${i}]`, report));
      return;
    case "map":
      if (!isObject(value)) return fail("map (JSON object)");
      for (const [k, v] of Object.entries(value)) checkType(inner as SchemaType, v, `${path}["${k}"]`, report);
      return;
    case "object": {
      if (!isObject(value)) return fail("object (JSON object)");
      const fields = inner as Record<string, SchemaType>;
      for (const [k, v] of Object.entries(value)) {
        if (k in fields) checkType(fields[k], v, `${path}.${k}`, report);
        else report(`${path}.${k}`, `unknown object attribute${suggest(k, Object.keys(fields))}`);
      }
      for (const k of Object.keys(fields)) if (!(k in value)) report(`${path}.${k}`, "object attribute is missing");
      return;
    }
    case "tuple": {
      const elements = inner as unknown as SchemaType[];
      if (!Array.isArray(value) || value.length !== elements.length) return fail(`tuple of ${elements.length} (JSON array)`);
      value.forEach((v, i) => checkType(elements[i], v, `${path}[${i}]`, report));
      return;
    }
    default:
      return report(path, `has a schema type this validator does not know: ${JSON.stringify(type)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isInterpolation(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isObject(value)) return "an object";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/** ` (did you mean "org_id"?)` for a camelCase or near-miss name, else "". */
function suggest(name: string, known: string[]): string {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const close = known.filter((k) => k === snake || editDistance(k, name) <= 2).sort();
  return close.length > 0 ? ` (did you mean ${close.map((k) => `"${k}"`).join(" or ")}?)` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
