/**
 * Reading a synthesized cdktf output folder (manifest.json + stacks/<id>/cdk.tf.json): resource
 * and data-source counts by type, outputs, bytes per stack. Used to check that the bare baseline
 * emits what the project emits, and to report output size.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type TerraformJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
  provider?: Record<string, unknown>;
};

export interface StackOutput {
  readonly id: string;
  readonly bytes: number;
  readonly json: TerraformJson;
}

/** Every stack of an output folder, in manifest order. */
export function readStacks(outdir: string): StackOutput[] {
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return Object.entries(manifest.stacks).map(([id, s]) => {
    const file = join(outdir, s.synthesizedStackPath);
    return { id, bytes: statSync(file).size, json: JSON.parse(readFileSync(file, "utf8")) as TerraformJson };
  });
}

/** `resource.<type>` / `data.<type>` / `output` / `stack` counts over all stacks. */
export function typeCounts(stacks: readonly StackOutput[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (k: string, n: number) => counts.set(k, (counts.get(k) ?? 0) + n);
  for (const s of stacks) {
    add("stack", 1);
    for (const kind of ["resource", "data"] as const)
      for (const [type, byName] of Object.entries(s.json[kind] ?? {})) add(`${kind}.${type}`, Object.keys(byName).length);
    add("output", Object.keys(s.json.output ?? {}).length);
  }
  return counts;
}

/** Values in a block's attributes (strings, numbers, booleans in every nested block, map and list), cdktf's `//` metadata left out. */
function attributeValues(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + attributeValues(x), 0);
  if (v !== null && typeof v === "object") return Object.entries(v).reduce((n, [k, x]) => (k === "//" ? n : n + attributeValues(x)), 0);
  return 1;
}

/** Terraform interpolations (`${...}`, not the escaped `$${`) in a block. */
const interpolations = (v: unknown) => JSON.stringify(v).match(/(?<!\$)\$\{/g)?.length ?? 0;

/**
 * Per `resource.<type>` / `data.<type>` over all stacks: how many attribute values its blocks set
 * and how many references they hold. Equal for two outputs when both write the same attributes and
 * reference the same things, whatever the construct paths and the text of large strings.
 */
export function attributeCounts(stacks: readonly StackOutput[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (k: string, n: number) => counts.set(k, (counts.get(k) ?? 0) + n);
  for (const s of stacks)
    for (const kind of ["resource", "data"] as const)
      for (const [type, byName] of Object.entries(s.json[kind] ?? {}))
        for (const block of Object.values(byName)) {
          add(`${kind}.${type} attribute values`, attributeValues(block));
          add(`${kind}.${type} references`, interpolations(block));
        }
  return counts;
}

/** Differences between two count maps, as readable lines (empty when equal). */
export function countDifferences(expected: Map<string, number>, actual: Map<string, number>): string[] {
  const keys = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return keys.filter((k) => (expected.get(k) ?? 0) !== (actual.get(k) ?? 0)).map((k) => `${k}: project ${expected.get(k) ?? 0}, baseline ${actual.get(k) ?? 0}`);
}

/** Total resources and data sources. */
export function blockTotal(counts: Map<string, number>): number {
  let n = 0;
  for (const [k, v] of counts) if (k.startsWith("resource.") || k.startsWith("data.")) n += v;
  return n;
}

/** Construct path of a block (`obs-prod-grafana/grafana-content/<service>/...`). */
export function blockPath(block: Record<string, unknown>): string {
  const meta = (block["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
  return meta?.path ?? "";
}

/**
 * Stacks whose `cdk.tf.json` differ between two output folders, the stack-level `//` metadata
 * left out (the project records its runbooks there); empty when both wrote the same Terraform.
 */
export function outputDifferences(a: string, b: string): string[] {
  const manifest = (dir: string) => (JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { stacks: Record<string, { synthesizedStackPath: string }> }).stacks;
  const ma = manifest(a);
  const mb = manifest(b);
  const body = (dir: string, path: string) => {
    const { "//": _meta, ...rest } = JSON.parse(readFileSync(join(dir, path), "utf8")) as Record<string, unknown>;
    return JSON.stringify(rest);
  };
  const out: string[] = [];
  for (const id of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
    if (!ma[id] || !mb[id]) out.push(`stack ${id} only in ${ma[id] ? "the project's" : "the baseline's"} output`);
    else if (body(a, ma[id].synthesizedStackPath) !== body(b, mb[id].synthesizedStackPath)) out.push(`stack ${id} differs`);
  }
  return out;
}
