/**
 * What the schema language publishes: the JSON Schema (draft 2020-12) that editors use to complete
 * and check YAML/JSON descriptions, and the field reference for docs/. Both show each default from
 * the same `dflt` the validator applies, so documentation cannot disagree with behaviour.
 */
import { maxEntries, maxItems, maxLength } from "./check";
import { hasDefault, isRequired, nodeOf, type FieldSpec, type Node } from "./nodes";

/** A default worth printing: scalars and lists; `{}` only says a section is always present. */
function shownDefault(f: FieldSpec): { value: unknown } | undefined {
  if (!hasDefault(f)) return undefined;
  const v = f.default;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? undefined : { value: v };
}

function withDefaultNote(description: string, f: FieldSpec): string {
  const d = shownDefault(f);
  return d ? `${description} Default: ${JSON.stringify(d.value)}.` : description;
}

/** Renders a node as JSON Schema, for editor completion of YAML/JSON descriptions. */
export function toJsonSchema(node: Node, description = node.description): Record<string, unknown> {
  const d = { description };
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
        ...(node.allowed ? { enum: [...node.allowed.values] } : {}),
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
      return { type: "array", ...d, items: toJsonSchema(node.items), ...(node.minItems !== undefined ? { minItems: node.minItems } : {}), maxItems: maxItems(node) };
    case "map":
      return {
        type: "object",
        ...d,
        propertyNames: { pattern: node.keyPattern.source },
        maxProperties: maxEntries(node),
        additionalProperties: toJsonSchema(node.values),
      };
    case "declared":
      return toJsonSchema(node.inner, description);
    case "object": {
      const required = Object.entries(node.fields).filter(([, f]) => isRequired(f)).map(([k]) => k);
      const property = (f: FieldSpec) => {
        const schema = toJsonSchema(nodeOf(f), withDefaultNote(nodeOf(f).description, f));
        const shown = shownDefault(f);
        return shown ? { ...schema, default: shown.value } : schema;
      };
      return {
        type: "object",
        ...d,
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(node.fields).map(([k, f]) => [k, property(f)])),
        ...(required.length ? { required } : {}),
        ...(node.oneOf ? { oneOf: node.oneOf.map((k) => ({ required: [k] })) } : {}),
      };
    }
  }
}

/** One row of the field reference. */
export interface FieldDoc {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  /** JSON text of the default, when the field has a printable one. */
  readonly default?: string;
  readonly description: string;
}

function typeName(node: Node): string {
  switch (node.type) {
    case "enum":
      return node.values.map((v) => `"${v}"`).join(" \\| ");
    case "array":
      return `list of ${typeName(node.items)}`;
    case "map":
      return `map of ${typeName(node.values)}`;
    case "declared":
      return typeName(node.inner);
    case "number":
      return node.integer ? "integer" : "number";
    default:
      return node.type;
  }
}

/** Every field below `node`, depth first, with list items written `[]` (`slos[].latency.stage`). */
export function fieldDocs(node: Node, path = ""): FieldDoc[] {
  const inner = node.type === "declared" ? node.inner : node;
  if (inner.type === "array") return fieldDocs(inner.items, `${path}[]`);
  if (inner.type !== "object") return [];
  return Object.entries(inner.fields).flatMap(([k, f]) => {
    const n = nodeOf(f);
    const p = path === "" ? k : `${path}.${k}`;
    const shown = shownDefault(f);
    const row: FieldDoc = { path: p, type: typeName(n), required: isRequired(f), description: n.description, ...(shown ? { default: JSON.stringify(shown.value) } : {}) };
    return [row, ...fieldDocs(n, p)];
  });
}
