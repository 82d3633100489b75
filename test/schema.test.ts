/**
 * The published JSON Schema (service/service-description.schema.json): up to date with the one
 * definition in service/descriptionSchema.ts, well-formed, strict (no unknown fields anywhere, a
 * description on every field for editor tooltips), and in agreement with the validator on the
 * example files. A tiny evaluator of the keywords the schema uses checks what an editor would do.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REFERENCE_FILE, SCHEMA_FILE, renderReference, renderSchema, serviceDescriptionJsonSchema } from "../scripts/generate-schema";
import { SERVICE_SCHEMA } from "../service/descriptionSchema";
import { loadServicesFile } from "../service/load";
import { normalizeService, ValidationError } from "../service/normalize";

type Schema = Record<string, unknown>;
const ROOT = join(__dirname, "..");
const committedText = readFileSync(join(ROOT, SCHEMA_FILE), "utf8");
const committed = JSON.parse(committedText) as Schema;
const defs = committed.$defs as Record<string, Schema>;

/** Every keyword the published schema may use (draft 2020-12); anything else is a typo. */
const KNOWN_KEYWORDS = new Set([
  "$schema", "$id", "$ref", "$defs", "title", "description", "type", "enum", "pattern", "minLength", "maxLength",
  "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "items", "minItems", "maxItems", "properties",
  "required", "additionalProperties", "propertyNames", "maxProperties", "oneOf", "default",
]);

/** Every schema node with the path that leads to it (`#/$defs/service/properties/slos/items`...). */
function schemaNodes(node: Schema, path = "#"): [string, Schema][] {
  const out: [string, Schema][] = [[path, node]];
  const sub = (key: string, child: unknown) => {
    if (child && typeof child === "object" && !Array.isArray(child)) out.push(...schemaNodes(child as Schema, `${path}/${key}`));
  };
  for (const [k, v] of Object.entries((node.$defs ?? {}) as Record<string, Schema>)) sub(`$defs/${k}`, v);
  for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) sub(`properties/${k}`, v);
  sub("items", node.items);
  sub("additionalProperties", node.additionalProperties);
  sub("propertyNames", node.propertyNames);
  ((node.oneOf ?? []) as Schema[]).forEach((v, i) => sub(`oneOf/${i}`, v));
  return out;
}

/** Resolves `#/$defs/<name>`; the schema uses no other references. */
function resolve(ref: string): Schema {
  const m = /^#\/\$defs\/([A-Za-z]+)$/.exec(ref);
  if (!m || !defs[m[1]]) throw new Error(`unresolvable $ref ${ref}`);
  return defs[m[1]];
}

/** Errors of `value` against `schema`, for the keywords in KNOWN_KEYWORDS (draft 2020-12 semantics). */
function schemaErrors(schema: Schema, value: unknown, at = ""): string[] {
  if (typeof schema.$ref === "string") return schemaErrors(resolve(schema.$ref), value, at);
  const errs: string[] = [];
  const s = schema as {
    type?: string; enum?: unknown[]; pattern?: string; minLength?: number; maxLength?: number; minimum?: number;
    maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number; items?: Schema; minItems?: number;
    maxItems?: number; properties?: Record<string, Schema>; required?: string[]; additionalProperties?: false | Schema;
    propertyNames?: Schema; oneOf?: Schema[];
  };
  const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  const typeOk: Record<string, boolean> = {
    string: typeof value === "string",
    number: typeof value === "number",
    integer: Number.isInteger(value),
    boolean: typeof value === "boolean",
    array: Array.isArray(value),
    object: isObject,
  };
  if (s.type && !typeOk[s.type]) return [`${at}: not ${s.type}`];
  if (s.enum && !s.enum.includes(value)) errs.push(`${at}: not in enum`);
  if (typeof value === "string") {
    if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) errs.push(`${at}: pattern`);
    if (s.minLength !== undefined && [...value].length < s.minLength) errs.push(`${at}: minLength`);
    if (s.maxLength !== undefined && [...value].length > s.maxLength) errs.push(`${at}: maxLength`);
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) errs.push(`${at}: minimum`);
    if (s.maximum !== undefined && value > s.maximum) errs.push(`${at}: maximum`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errs.push(`${at}: exclusiveMinimum`);
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) errs.push(`${at}: exclusiveMaximum`);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errs.push(`${at}: minItems`);
    if (s.maxItems !== undefined && value.length > s.maxItems) errs.push(`${at}: maxItems`);
    if (s.items) value.forEach((v, i) => errs.push(...schemaErrors(s.items!, v, `${at}[${i}]`)));
  }
  if (isObject) {
    const record = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!Object.hasOwn(record, k)) errs.push(`${at}.${k}: required`);
    for (const [k, v] of Object.entries(record)) {
      if (s.propertyNames) errs.push(...schemaErrors(s.propertyNames, k, `${at}.${k} (name)`));
      if (s.properties && Object.hasOwn(s.properties, k)) errs.push(...schemaErrors(s.properties[k], v, `${at}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${at}.${k}: additional property`);
      else if (s.additionalProperties) errs.push(...schemaErrors(s.additionalProperties, v, `${at}.${k}`));
    }
  }
  if (s.oneOf) {
    const matching = s.oneOf.filter((alt) => schemaErrors(alt, value, at).length === 0).length;
    if (matching !== 1) errs.push(`${at}: matches ${matching} of oneOf`);
  }
  return errs;
}

/** Every example description (read from the folder, not through the example app, so no cdktf loads here). */
const exampleData = readdirSync(join(ROOT, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => [f, parse(readFileSync(join(ROOT, "examples", f), "utf8"))] as const);

describe("the committed JSON Schema", () => {
  it("is exactly what scripts/generate-schema.ts produces today (run `npm run gen:schema` after changing the schema)", () => {
    expect(committedText).toBe(renderSchema(serviceDescriptionJsonSchema()));
  });

  it("comes with docs/description.md, the field reference generated from the same schema, up to date", () => {
    const reference = readFileSync(join(ROOT, REFERENCE_FILE), "utf8");
    expect(reference).toBe(renderReference());
    // Defaults in the reference are the ones the validator applies.
    expect(reference).toContain("| `alerting.pagingBudget` | integer |  | `6` |");
    expect(reference).toContain("| `logs.standard.samplePercent` | number |  | `10` |");
  });

  it("is deterministic: two renders are byte-identical and end with a single newline", () => {
    const a = renderSchema(serviceDescriptionJsonSchema());
    expect(renderSchema(serviceDescriptionJsonSchema())).toBe(a);
    expect(a.endsWith("}\n")).toBe(true);
    expect(a.endsWith("\n\n")).toBe(false);
    expect(a.split("\n")[1]).toBe('  "$schema": "https://json-schema.org/draft/2020-12/schema",');
  });

  it("declares draft 2020-12, an absolute $id and a title, and accepts one service or a services file", () => {
    expect(committed.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(committed.$id).toMatch(/^[a-z][a-z0-9+.-]*:\S+$/);
    expect(typeof committed.title).toBe("string");
    expect(committed.oneOf).toEqual([{ $ref: "#/$defs/service" }, { $ref: "#/$defs/servicesFile" }]);
    const services = (defs.servicesFile.properties as Record<string, Schema>).services;
    expect(services.items).toEqual({ $ref: "#/$defs/service" });
    expect(defs.servicesFile.required).toEqual(["services"]);
  });

  it("describes every field of the service description, and no others", () => {
    expect(Object.keys(defs.service.properties as Schema)).toEqual(Object.keys(SERVICE_SCHEMA.fields));
    expect(defs.service.required).toEqual(["name", "team", "owner", "kind", "alerting"]);
  });

  it("closes every object: additionalProperties false, except label maps, which constrain their keys and values", () => {
    const objects = schemaNodes(committed).filter(([, n]) => n.type === "object");
    expect(objects.length).toBeGreaterThan(20);
    const maps: string[] = [];
    for (const [path, n] of objects) {
      if (n.properties) expect([path, n.additionalProperties]).toEqual([path, false]);
      else {
        maps.push(path);
        expect([path, typeof (n.propertyNames as Schema | undefined)?.pattern]).toEqual([path, "string"]);
        expect([path, typeof (n.additionalProperties as Schema | undefined)?.type]).toEqual([path, "string"]);
      }
    }
    expect(maps).toEqual(["#/$defs/service/properties/selector"]);
  });

  it("gives every property a one-sentence description, for editor tooltips", () => {
    for (const [path, n] of schemaNodes(committed))
      for (const [name, prop] of Object.entries((n.properties ?? {}) as Record<string, Schema>)) {
        const d = prop.description ?? (typeof prop.$ref === "string" ? resolve(prop.$ref).description : undefined);
        expect([`${path}/properties/${name}`, typeof d === "string" && d.length > 1 && d.endsWith(".")]).toEqual([
          `${path}/properties/${name}`,
          true,
        ]);
      }
  });

  it("uses only known keywords, valid types, compilable patterns and resolvable references", () => {
    const types = new Set(["object", "array", "string", "number", "integer", "boolean"]);
    for (const [path, n] of schemaNodes(committed)) {
      for (const k of Object.keys(n)) expect([path, k, KNOWN_KEYWORDS.has(k)]).toEqual([path, k, true]);
      if (n.type !== undefined) expect([path, types.has(n.type as string)]).toEqual([path, true]);
      if (n.pattern !== undefined) expect(() => new RegExp(n.pattern as string, "u")).not.toThrow();
      if (n.$ref !== undefined) expect(() => resolve(n.$ref as string)).not.toThrow();
      if (n.enum !== undefined) expect((n.enum as unknown[]).length).toBeGreaterThan(0);
      if (!n.properties) continue;
      // `required`, and the `oneOf` choices of an object (`{ required: [kind] }`), name declared properties.
      const names = [...((n.required ?? []) as string[]), ...((n.oneOf ?? []) as Schema[]).flatMap((alt) => (alt.required ?? []) as string[])];
      for (const r of names) expect([path, r, Object.hasOwn(n.properties as Schema, r)]).toEqual([path, r, true]);
    }
  });
});

describe("the example service files", () => {
  it.each(exampleData)("%s points editors at the committed schema", (file) => {
    const text = readFileSync(join(ROOT, "examples", file), "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../service/service-description.schema.json");
  });

  it.each(exampleData)("%s is accepted by the validator", (file, data) => {
    const models = loadServicesFile(join(ROOT, "examples", file));
    expect(models.map((m) => m.name)).toEqual([(data as { name: string }).name]);
  });

  it.each(exampleData)("%s is accepted by the published JSON Schema, alone and inside a services file", (_file, data) => {
    expect(schemaErrors(committed, data)).toEqual([]);
    expect(schemaErrors(committed, { services: [data] })).toEqual([]);
  });

  it("mistakes the validator rejects for their shape are rejected by the published JSON Schema too", () => {
    const [, rag] = exampleData.find(([f]) => f === "rag-assistant.yaml")!;
    const variants: [string, (d: Record<string, any>) => void][] = [
      ["unknown top-level field", (d) => (d.ownr = "x")],
      ["unknown nested field", (d) => (d.slos[0].availability.stag = "embed")],
      ["bad enum", (d) => (d.kind = "rag")],
      ["objective of 100", (d) => (d.slos[0].objectivePercent = 100)],
      ["two SLI kinds", (d) => (d.slos[0].latency = { thresholdSeconds: 3 })],
      ["no SLI kind", (d) => delete d.slos[0].availability],
      ["literal secret", (d) => (d.alerting.page.secret = "0123456789abcdef")],
      ["missing alerting", (d) => delete d.alerting],
      ["fractional retention", (d) => (d.logs = { errors: { retentionDays: 1.5 } })],
      ["bad selector key", (d) => (d.selector = { "bad-key": "x" })],
    ];
    for (const [what, mutate] of variants) {
      const d = structuredClone(rag) as Record<string, any>;
      mutate(d);
      expect(() => normalizeService(d)).toThrow(ValidationError);
      expect([what, schemaErrors(committed, d).length > 0]).toEqual([what, true]);
    }
  });
});
