/**
 * The declarative description the bare baseline is built from: the project's own synthesized
 * output, turned into provider-class configs. Per stack its dependencies, backend, providers and
 * blocks; per block its type, a construct id and its config with keys as the provider classes
 * spell them (camelCase for attributes and nested blocks, as written for map keys such as tags:
 * the provider schemas say which is which) and every Terraform reference (`${aws_kms_key.x.arn}`,
 * a cross-stack read through remote state) as a pointer to the block it reads, so the baseline
 * references the object as a cdktf program would, rather than copying the text.
 *
 * Nothing in here knows the project's constructs: a construct change reaches the baseline through
 * the output alone (the old baseline was a hand copy of the constructs that had to follow every
 * change). Built in the benchmark's parent process, outside the baseline's measured time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { blockPath, type StackOutput } from "../synthOutput";

/** A reference to a block of a stack: `attr` read as a token, or the block's address when absent. */
export interface BlockRef {
  readonly stack: number;
  readonly block: number;
  readonly attr?: string;
}

/** A string with references: literal parts and references, joined. */
export interface Template {
  readonly $template: readonly (string | BlockRef)[];
}

export type Value = null | boolean | number | string | Template | readonly Value[] | { readonly [key: string]: Value };

export interface BlockDescription {
  readonly kind: "resource" | "data";
  readonly type: string;
  /** Construct path below its stack: the scopes, then the block's own id (logical ids come out as the project's). */
  readonly path: readonly string[];
  readonly config: { readonly [key: string]: Value };
}

export interface StackDescription {
  readonly id: string;
  /** Stacks this one is deployed after (indexes of earlier stacks). */
  readonly dependsOn: readonly number[];
  readonly backendPath?: string;
  /** Provider configurations by provider name (`aws`, `grafana`). */
  readonly providers: readonly { readonly name: string; readonly config: { readonly [key: string]: Value } }[];
  /** Blocks in an order where every block comes after the blocks it references. */
  readonly blocks: readonly BlockDescription[];
}

export interface ProgramDescription {
  readonly stacks: readonly StackDescription[];
}

interface SchemaBlock {
  readonly attributes?: Record<string, unknown>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}
interface ProviderSchema {
  readonly provider: { readonly block: SchemaBlock };
  readonly resource_schemas: Record<string, { readonly block: SchemaBlock }>;
  readonly data_source_schemas?: Record<string, { readonly block: SchemaBlock }>;
}

/** The committed provider schemas (providers/), by provider name. */
export function loadProviderSchemas(root = join(__dirname, "..", "..")): Map<string, ProviderSchema> {
  const read = (file: string, address: string) => (JSON.parse(readFileSync(join(root, file), "utf8")) as { provider_schemas: Record<string, ProviderSchema> }).provider_schemas[address];
  return new Map([
    ["aws", read("providers/aws/schema-subset.json", "registry.terraform.io/hashicorp/aws")],
    ["grafana", read("providers/grafana/schema-subset.json", "registry.terraform.io/grafana/grafana")],
  ]);
}

/** Terraform's built-in resource: its one attribute is a map. */
const TERRAFORM_DATA: SchemaBlock = { attributes: { triggers_replace: {} } };
/** Meta-arguments every resource takes besides its schema. */
const LIFECYCLE: SchemaBlock = { attributes: { prevent_destroy: {}, create_before_destroy: {}, ignore_changes: {}, replace_triggered_by: {} } };

export const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Output = StackOutput["json"] & { terraform?: { backend?: { local?: { path?: string } } } };

/** The description of a synthesized output (every stack of the folder, in manifest order). */
export function describeProgram(outdir: string, stacks: readonly StackOutput[], schemas = loadProviderSchemas()): ProgramDescription {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies?: string[] }> };
  const stackIndex = new Map(stacks.map((s, i) => [s.id, i]));
  // Every block of every stack, by its address, for references to point at.
  const blockIndex = stacks.map((s) => {
    const json = s.json as Output;
    const list: { kind: "resource" | "data"; type: string; name: string; body: Record<string, Json> }[] = [];
    for (const kind of ["resource", "data"] as const)
      for (const [type, byName] of Object.entries(json[kind] ?? {}))
        if (!(kind === "data" && type === "terraform_remote_state"))
          for (const [name, body] of Object.entries(byName)) list.push({ kind, type, name, body: body as Record<string, Json> });
    return list;
  });
  const addresses = blockIndex.map((list) => new Map(list.map((b, j) => [`${b.kind === "data" ? "data." : ""}${b.type}.${b.name}`, j])));

  /** A `${...}` expression as a reference, or undefined when it reads no block (`terraform.workspace`, `timestamp()`). */
  const refOf = (stack: number, expr: string): BlockRef | undefined => {
    const remote = /^data\.terraform_remote_state\.cross-stack-reference-input-(.+?)\.outputs\.(.+)$/.exec(expr);
    if (remote) {
      const from = stackIndex.get(remote[1]);
      const value = from === undefined ? undefined : (stacks[from].json.output?.[remote[2]] as { value?: string } | undefined)?.value;
      const inner = typeof value === "string" ? /^\$\{(.*)\}$/.exec(value)?.[1] : undefined;
      const ref = inner === undefined ? undefined : refOf(from!, inner);
      if (!ref) throw new Error(`describeProgram: cannot follow the cross-stack reference ${expr}`);
      return ref;
    }
    const m = /^((?:data\.)?[a-z0-9_]+\.[^.]+)(?:\.(.+))?$/.exec(expr);
    const block = m ? addresses[stack].get(m[1]) : undefined;
    return block === undefined ? undefined : { stack, block, attr: m![2] };
  };

  /** A string, with each reference it holds as a pointer. */
  const text = (stack: number, s: string): string | Template => {
    if (!s.includes("${")) return s;
    const parts: (string | BlockRef)[] = [];
    let last = 0;
    // `$${` is an escaped dollar (literal text), never a reference.
    for (const m of s.matchAll(/(?<!\$)\$\{([^{}]*)\}/g)) {
      const ref = refOf(stack, m[1]);
      if (!ref) continue;
      parts.push(s.slice(last, m.index), ref);
      last = m.index! + m[0].length;
    }
    if (parts.length === 0) return s;
    parts.push(s.slice(last));
    return { $template: parts.filter((p) => p !== "") };
  };

  /** An attribute's value: data as it is (map keys untouched), strings with their references. */
  const attribute = (stack: number, v: Json): Value => {
    if (typeof v === "string") return text(stack, v);
    if (Array.isArray(v)) return v.map((x) => attribute(stack, x));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, attribute(stack, x)]));
    return v;
  };

  /** A block's body as a provider-class config, following the schema into nested blocks. */
  const config = (stack: number, body: Record<string, Json>, schema: SchemaBlock): Record<string, Value> => {
    const out: Record<string, Value> = {};
    for (const [key, v] of Object.entries(body)) {
      if (key === "//") continue;
      if (key === "lifecycle") {
        // Meta-argument: its `replace_triggered_by` lists bare addresses, which become pointers too.
        const { replace_triggered_by: replace, ...rest } = v as Record<string, Json>;
        out.lifecycle = { ...config(stack, rest, LIFECYCLE), ...(Array.isArray(replace) ? { replaceTriggeredBy: replace.map((a) => ({ $template: [refOf(stack, String(a)) ?? String(a)] })) } : {}) };
        continue;
      }
      const nested = schema.block_types?.[key];
      if (nested) {
        out[camelCase(key)] = Array.isArray(v) ? v.map((x) => config(stack, x as Record<string, Json>, nested.block)) : config(stack, v as Record<string, Json>, nested.block);
      } else out[camelCase(key)] = attribute(stack, v);
    }
    return out;
  };

  const schemaOf = (kind: "resource" | "data", type: string): SchemaBlock => {
    if (type === "terraform_data") return TERRAFORM_DATA;
    const provider = schemas.get(type.split("_")[0]);
    const entry = kind === "resource" ? provider?.resource_schemas[type] : provider?.data_source_schemas?.[type];
    if (!entry) throw new Error(`describeProgram: no schema for ${kind} ${type} (add it to the provider subset: npm run gen:aws-subset / gen:grafana-subset)`);
    return entry.block;
  };

  /** The construct path below the stack; a block without metadata goes by its logical name. */
  const pathOf = (b: (typeof blockIndex)[number][number]) => {
    const below = blockPath(b.body).split("/").slice(1);
    return below.length > 0 ? below : [b.name];
  };
  const described = stacks.map((s, i) => {
    const json = s.json as Output;
    const blocks = blockIndex[i].map((b) => ({
      kind: b.kind,
      type: b.type,
      path: pathOf(b),
      config: config(i, b.body, schemaOf(b.kind, b.type)),
    }));
    const providers = Object.entries((json.provider ?? {}) as Record<string, Json[]>).flatMap(([name, list]) =>
      list.map((p) => ({ name, config: config(i, p as Record<string, Json>, schemas.get(name)!.provider.block) })),
    );
    return {
      id: s.id,
      dependsOn: (manifest.stacks[s.id]?.dependencies ?? []).map((d) => stackIndex.get(d)!),
      backendPath: json.terraform?.backend?.local?.path,
      providers,
      blocks,
    };
  });
  // Each stack's blocks after the blocks they reference; references (also from other stacks) follow.
  const orders = described.map((d, i) => referencedFirst(i, d.blocks));
  const position = orders.map((order) => new Map(order.map((j, p) => [j, p])));
  const renumber = (v: Value): Value => {
    if (v === null || typeof v !== "object") return v;
    if ("$template" in v) return { $template: (v as Template).$template.map((p) => (typeof p === "string" ? p : { ...p, block: position[p.stack].get(p.block)! })) };
    if (Array.isArray(v)) return v.map(renumber);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renumber(x as Value)]));
  };
  return {
    stacks: described.map((d, i) => ({
      ...d,
      providers: d.providers.map((p) => ({ ...p, config: renumber(p.config) as Record<string, Value> })),
      blocks: orders[i].map((j) => ({ ...d.blocks[j], config: renumber(d.blocks[j].config) as BlockDescription["config"] })),
    })),
  };
}

/** An order of a stack's blocks where each comes after the blocks of the same stack it references. */
function referencedFirst(stack: number, blocks: readonly BlockDescription[]): number[] {
  const refsOf = (v: Value, out: number[] = []): number[] => {
    if (v === null || typeof v !== "object") return out;
    if ("$template" in v) {
      for (const p of (v as Template).$template) if (typeof p !== "string" && p.stack === stack) out.push(p.block);
      return out;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) refsOf(x as Value, out);
    return out;
  };
  const order: number[] = [];
  const state = new Array<0 | 1 | 2>(blocks.length).fill(0);
  const visit = (j: number) => {
    if (state[j] === 2) return;
    if (state[j] === 1) throw new Error(`describeProgram: reference cycle through ${blocks[j].type} ${blocks[j].path.join("/")}`);
    state[j] = 1;
    for (const k of refsOf(blocks[j].config)) visit(k);
    state[j] = 2;
    order.push(j);
  };
  blocks.forEach((_, j) => visit(j));
  return order;
}
