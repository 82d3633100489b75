/**
 * The project's output as a declarative table the bare baseline rebuilds: per stack its providers,
 * backend, dependencies and blocks (kind, type, logical name, attributes as synthesized), where
 * every reference to another block (`${aws_x.name.attr}`, `${data.aws_y.name.attr}`, and a
 * cross-stack `${data.terraform_remote_state.<input>.outputs.<output>}` traced back to the block
 * the output reads) is recorded as that block's index, and long text as its length. cdktf's own
 * cross-stack plumbing (remote state inputs, `cross-stack-output-*` outputs) is left out: the
 * baseline's references to blocks of other stacks make cdktf write it again.
 *
 * Nothing here knows the project's constructs: a construct that writes other resources, attributes
 * or references changes this table, and the baseline follows (bench/synthBench.ts checks that it
 * does). Long text is kept as its length and one sample per attribute, so the file stays a small
 * fraction of the output and the baseline reads it in a few milliseconds.
 */
import type { StackOutput } from "../synthOutput";

/**
 * An attribute value, compacted: numbers, booleans, null and short strings as they are; anything
 * else an array whose first element says what it is:
 * - `[k, ...values]`, k >= 0: an object with the keys `keys[k]` (most of the output is keys);
 * - `[LIST, ...values]`: a list;
 * - `[TEXT, sample, ...parts]`: a string holding a reference or long text; a part is literal text,
 *   a number (that many characters of `samples[sample]`) or a reference (BlockRef: indices into
 *   `stacks` and the stack's `blocks`; attribute "" for the block's own address; the stack left
 *   out when it is the same, so that alike stacks share values);
 * - `[SHARED, i]`: `shared[i]`, a value that occurs more than once (a rule's expression step, the
 *   labels of a service's rules);
 * - `[NAMED, text]`: text where NAME and PASCAL_NAME stand for the stack's `name` and that name in
 *   PascalCase, so that alike stacks of differently named services share values.
 */
export type ShapeValue = null | boolean | number | string | readonly ShapeValue[];
/** A reference: `[block, attribute]` in the same stack, `[stack, block, attribute]` to another one. */
export type BlockRef = readonly [block: number, attribute: string] | readonly [stack: number, block: number, attribute: string];
export const LIST = -1;
export const TEXT = -2;
export const SHARED = -3;
export const NAMED = -4;
export const NAME = "\u0001";
export const PASCAL_NAME = "\u0002";
/** `ads-assistant-2` -> `AdsAssistant2`. */
export const pascalCase = (s: string) => s.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * A block: its type (index into `OutputShape.types`), its logical name (the JSON key: the baseline
 * uses it as the construct id, so it comes out the same) and its attributes (an object value,
 * snake_case as synthesized, cdktf's `//` metadata left out).
 */
export type BlockShape = readonly [type: number, name: ShapeValue, attributes: ShapeValue];

export interface StackShape {
  readonly id: string;
  /**
   * What NAMED text stands for: the stack id past the prefix all ids share (`obs-prod-`), without
   * the most frequent last part when that leaves another stack's name (`ads-assistant-2` for
   * `obs-prod-ads-assistant-2-grafana` next to `obs-prod-ads-assistant-2`).
   */
  readonly name: string;
  /** Indices of the stacks this one depends on (manifest `dependencies`). */
  readonly deps: readonly number[];
  /** Provider blocks: provider name (`aws`, `grafana`) and configuration. */
  readonly providers: readonly { readonly name: string; readonly a: ShapeValue }[];
  /** Backend type (`local`) and configuration. */
  readonly backend?: { readonly type: string; readonly a: ShapeValue };
  readonly blocks: readonly BlockShape[];
  /** Outputs other than cdktf's cross-stack ones. */
  readonly outputs: readonly { readonly name: string; readonly a: ShapeValue }[];
}

export interface OutputShape {
  readonly stacks: readonly StackShape[];
  /** Block types: `aws_cloudwatch_log_group` for a resource, `data.aws_region` for a data source. */
  readonly types: readonly string[];
  /** Key lists of the objects. */
  readonly keys: readonly (readonly string[])[];
  /** Values that occur more than once. */
  readonly shared: readonly ShapeValue[];
  /** Text samples that stand for long strings: one per attribute (type and top-level key), `$` left out. */
  readonly samples: readonly string[];
}

/** Strings longer than this are written as their length. */
const LITERAL_MAX = 64;
const SAMPLE_CHARS = 512;
const INTERPOLATION = /(?<!\$)\$\{([^{}]*)\}/g;
const REMOTE_STATE = "terraform_remote_state";
const CROSS_STACK_OUTPUT = "cross-stack-output-";

type Json = Record<string, unknown>;

/** Extracts the output shape from the project's stacks (manifest order). */
export function extractShape(stacks: readonly StackOutput[]): OutputShape {
  const stackIndex = new Map(stacks.map((s, i) => [s.id, i]));
  const ids = stacks.map((s) => s.id);
  let common = 0;
  while (ids.length > 1 && ids.every((id) => id[common] !== undefined && id[common] === ids[0][common])) common++;
  const rest = ids.map((id) => id.slice(common));
  // The most frequent last part of the remainders (`grafana`) marks a second stack of the same name.
  const lastParts = new Map<string, number>();
  for (const r of rest) lastParts.set(r.split("-").pop()!, (lastParts.get(r.split("-").pop()!) ?? 0) + 1);
  const [suffix, count] = [...lastParts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? ["", 0];
  const remainders = new Set(rest);
  const names = rest.map((r) => (count > 1 && r.endsWith(`-${suffix}`) && remainders.has(r.slice(0, -suffix.length - 1)) ? r.slice(0, -suffix.length - 1) : r));
  /** Text with the stack's name (and its PascalCase) as NAME and PASCAL_NAME, `[NAMED, text]`, when it holds either. */
  const named = (si: number, text: string): ShapeValue => {
    const name = names[si];
    if (!name || (!text.includes(name) && !text.includes(pascalCase(name)))) return text;
    return [NAMED, text.split(name).join(NAME).split(pascalCase(name)).join(PASCAL_NAME)];
  };
  // Per stack: `<type>.<name>` / `data.<type>.<name>` -> block index.
  const addresses = stacks.map((s) => {
    const m = new Map<string, number>();
    let i = 0;
    for (const kind of ["resource", "data"] as const)
      for (const [type, byName] of Object.entries(s.json[kind] ?? {})) {
        if (kind === "data" && type === REMOTE_STATE) continue;
        for (const name of Object.keys(byName)) m.set(`${kind === "data" ? "data." : ""}${type}.${name}`, i++);
      }
    return m;
  });
  const samples: string[] = [];
  const sampleIndex = new Map<string, number>();

  /** `${<address>.<attribute>}` in stack `si` as a block reference, or undefined for other expressions. */
  function reference(si: number, expression: string): readonly [number, number, string] | undefined {
    const parts = expression.split(".");
    if (parts[0] === "data" && parts[1] === REMOTE_STATE) {
      // data.terraform_remote_state.<input>.outputs.<output>: the block that output reads.
      // cdktf names the input `cross-stack-reference-input-<stack path>`; the stack path is its id.
      const origin = stackIndex.get(parts[2].replace(/^cross-stack-reference-input-/, ""));
      if (origin === undefined) throw new Error(`extractShape: ${stacks[si].id}: no stack for remote state ${parts[2]}`);
      const output = stacks[origin].json.output?.[parts[4]] as Json | undefined;
      const m = /^\$\{([^{}]*)\}$/.exec(String(output?.value ?? ""));
      const ref = m ? reference(origin, m[1]) : undefined;
      if (!ref || parts.length > 5) throw new Error(`extractShape: ${stacks[si].id}: cross-stack reference ${expression} does not read one attribute of one block`);
      return ref;
    }
    const typeParts = parts[0] === "data" ? 3 : 2;
    const block = addresses[si].get(parts.slice(0, typeParts).join("."));
    return block === undefined ? undefined : [si, block, parts.slice(typeParts).join(".")] as const;
  }

  function sample(key: string, text: string): number {
    let i = sampleIndex.get(key);
    if (i === undefined) {
      i = samples.push(text.slice(0, SAMPLE_CHARS).replace(/\$/g, "S")) - 1;
      sampleIndex.set(key, i);
    }
    return i;
  }

  const types: string[] = [];
  const typeIndex = (t: string) => (types.includes(t) ? types.indexOf(t) : types.push(t) - 1);
  const keys: string[][] = [];
  const keyIndex = new Map<string, number>();
  const shared: ShapeValue[] = [];
  // Encoded list or object (its JSON) -> [SHARED, i] once seen twice.
  const seen = new Map<string, { value: ShapeValue; ref?: ShapeValue }>();

  /** A list or object seen before comes out as the same [SHARED, i]; the first time as itself. */
  function intern(v: ShapeValue): ShapeValue {
    if (!Array.isArray(v)) return v;
    const json = JSON.stringify(v);
    if (json.length < 16) return v;
    const entry = seen.get(json);
    if (!entry) {
      seen.set(json, { value: v });
      return v;
    }
    entry.ref ??= [SHARED, shared.push(v) - 1];
    return entry.ref;
  }

  function value(si: number, key: string, v: unknown): ShapeValue {
    if (typeof v === "string") return text(si, key, v);
    if (Array.isArray(v)) return intern([LIST, ...v.map((x) => value(si, key, x))]);
    if (v !== null && typeof v === "object") return object(si, key, v as Json);
    return v as ShapeValue;
  }

  function keyList(ks: string[]): number {
    const id = ks.join("\n");
    let k = keyIndex.get(id);
    if (k === undefined) {
      k = keys.push(ks) - 1;
      keyIndex.set(id, k);
    }
    return k;
  }

  function object(si: number, key: string, v: Json): ShapeValue {
    const ks = Object.keys(v);
    return intern([keyList(ks), ...ks.map((x) => value(si, key, v[x]))]);
  }

  function text(si: number, key: string, s: string): ShapeValue {
    if (s.length <= LITERAL_MAX && !s.includes("${")) return intern(named(si, s));
    const parts: ShapeValue[] = [];
    let literal = "";
    const flush = () => {
      if (literal.length > LITERAL_MAX) parts.push(literal.length);
      else if (literal) parts.push(named(si, literal));
      literal = "";
    };
    let at = 0;
    for (const m of s.matchAll(INTERPOLATION)) {
      literal += s.slice(at, m.index);
      at = m.index + m[0].length;
      const ref = reference(si, m[1]);
      if (!ref) {
        literal += m[0];
        continue;
      }
      flush();
      parts.push(ref[0] === si ? [ref[1], ref[2]] : ref);
    }
    literal += s.slice(at);
    flush();
    if (parts.length === 1 && (typeof parts[0] === "string" || (parts[0] as ShapeValue[])[0] === NAMED)) return intern(parts[0]);
    return intern([TEXT, sample(key, s), ...parts]);
  }

  /** A block's attributes; the long strings under one top-level attribute of a type share a sample. */
  const attributes = (si: number, type: string, block: Json): ShapeValue => {
    const ks = Object.keys(block).filter((k) => k !== "//");
    return [keyList(ks), ...ks.map((k) => value(si, `${type}.${k}`, block[k]))];
  };

  return {
    stacks: stacks.map((s, si) => {
      const blocks: BlockShape[] = [];
      for (const kind of ["resource", "data"] as const)
        for (const [type, byName] of Object.entries(s.json[kind] ?? {})) {
          if (kind === "data" && type === REMOTE_STATE) continue;
          const t = typeIndex(kind === "data" ? `data.${type}` : type);
          for (const [name, block] of Object.entries(byName)) blocks.push([t, named(si, name), attributes(si, type, block)]);
        }
      const backend = Object.entries(((s.json.terraform as Json | undefined)?.backend ?? {}) as Record<string, Json>)[0];
      return {
        id: s.id,
        name: names[si],
        deps: s.dependencies.map((d) => {
          const i = stackIndex.get(d);
          if (i === undefined) throw new Error(`extractShape: ${s.id} depends on ${d}, which is not in the output`);
          return i;
        }),
        providers: Object.entries(s.json.provider ?? {}).flatMap(([name, configs]) => (configs as Json[]).map((c) => ({ name, a: attributes(si, `provider.${name}`, c) }))),
        backend: backend && { type: backend[0], a: attributes(si, "backend", backend[1]) },
        blocks,
        outputs: Object.entries(s.json.output ?? {})
          .filter(([name]) => !name.startsWith(CROSS_STACK_OUTPUT))
          .map(([name, o]) => ({ name, a: attributes(si, "output", o as Json) })),
      };
    }),
    types,
    keys,
    shared,
    samples,
  };
}
