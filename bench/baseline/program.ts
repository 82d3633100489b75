/**
 * The bare cdktf baseline: the project's output rebuilt from its declarative shape
 * (bench/baseline/shape.ts) with plain cdktf: per stack its backend and providers, per block the
 * provider class of its type (deep import, found by the type's name) synthesizing the attributes
 * the project's block has (the snake_case JSON its typed config would map to, so map keys such as
 * tags and labels stay data), long text as literal text of the same length, and every reference as
 * a cdktf token of the block it points to, so cdktf writes the cross-stack outputs and remote state
 * itself. No service
 * description, validation, generator or construct of the project runs: what is left is what cdktf
 * itself costs for this output.
 */
import * as cdktf from "cdktf";
import type { App, TerraformElement, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { TerraformData } from "../../constructs/terraformData";
import { LIST, NAME, NAMED, PASCAL_NAME, pascalCase, SHARED, TEXT, type BlockRef, type OutputShape, type ShapeValue } from "./shape";

type Block = TerraformElement & { readonly fqn: string; getStringAttribute(attribute: string): string };
type ElementClass = (new (scope: Construct, id: string, config: object) => Block) & { readonly tfResourceType?: string };

/**
 * The provider class of a block (`aws_cloudwatch_log_group` -> `@cdktf/provider-aws/lib/cloudwatch-log-group`,
 * `data.aws_region` -> `.../lib/data-aws-region`, `grafana_rule_group` -> `.gen/providers/grafana/rule-group`),
 * found by its type name. `terraform_data` is the project's own small class (cdktf's DataResource runs
 * `terraform version` at synth).
 */
function elementClass(key: string): ElementClass {
  const kind = key.startsWith("data.") ? "data" : "resource";
  const type = kind === "data" ? key.slice(5) : key;
  if (type === TerraformData.tfResourceType) return TerraformData as unknown as ElementClass;
  const [provider, ...rest] = type.split("_");
  const module = providerModule(provider, (kind === "data" ? ["data", provider, ...rest] : rest).join("-"));
  const c = Object.values(module).find((x) => typeof x === "function" && x.tfResourceType === type);
  if (!c) throw new Error(`baseline: no class for ${kind} ${type} in ${provider}'s module ${rest.join("-")}`);
  return c;
}

/** One module of a provider's bindings: `@cdktf/provider-aws/lib/<name>`, or the generated `.gen/providers/<provider>/<name>`. */
function providerModule(provider: string, name: string): Record<string, ElementClass> {
  const dir = provider === "aws" ? "@cdktf/provider-aws/lib" : `../../.gen/providers/${provider}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`${dir}/${name}`) as Record<string, ElementClass>;
}

/** Terraform's meta-arguments: cdktf writes them from the element's own properties. */
const META_ARGUMENTS = ["lifecycle", "depends_on", "count", "provider", "for_each", "connection", "provisioner"];

/** Snake_case keys as the camelCase ones cdktf's own classes take (one level: backend and lifecycle settings). */
const camelKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));

const providerClass = (name: string): ElementClass => providerModule(name, "provider")[`${pascalCase(name)}Provider`];

/** The classes a shape's blocks and providers need, loaded (what a program's imports would load). */
export function loadClasses(shape: OutputShape): Classes {
  return { blocks: shape.types.map(elementClass), providers: new Map(shape.stacks.flatMap((s) => s.providers).map((p) => [p.name, providerClass(p.name)])) };
}

export interface Classes {
  readonly blocks: readonly ElementClass[];
  readonly providers: ReadonlyMap<string, ElementClass>;
}

/** Builds the bare program for a shape; the caller synthesizes. */
export function buildBaseline(app: App, shape: OutputShape, classes: Classes = loadClasses(shape)): void {
  const built: Block[][] = [];
  // Each attribute read once, its token used wherever the output references it (as a hand-written program holds it in a variable).
  const tokens = new Map<Block, Map<string, string>>();
  const token = (target: Block, attribute: string): string => {
    let m = tokens.get(target);
    if (!m) tokens.set(target, (m = new Map()));
    let t = m.get(attribute);
    if (t === undefined) m.set(attribute, (t = attribute ? target.getStringAttribute(attribute) : target.fqn));
    return t;
  };
  const { keys, samples } = shape;
  // The stack being filled (references without a stack are to its blocks), and the shared values decoded in it.
  let current = 0;
  let shared: unknown[] = [];
  let name = "";
  let pascalName = "";
  const named = (v: readonly ShapeValue[]) => (v[1] as string).split(NAME).join(name).split(PASCAL_NAME).join(pascalName);
  const text = (v: readonly ShapeValue[]): string => {
    const sample = samples[v[1] as number];
    let s = "";
    for (let i = 2; i < v.length; i++) {
      const p = v[i];
      if (typeof p === "string") s += p;
      else if (Array.isArray(p) && p[0] === NAMED) s += named(p);
      else if (typeof p === "number") s += sample.repeat(Math.ceil(p / sample.length)).slice(0, p);
      else {
        const r = p as BlockRef;
        const [stack, block, attribute] = r.length === 2 ? [current, ...r] : r;
        s += token(built[stack][block], attribute);
      }
    }
    return s;
  };
  // Decodes a shape value (see ShapeValue): the synthesized JSON, references as cdktf tokens.
  const value = (v: ShapeValue): unknown => {
    if (v === null || typeof v !== "object") return v;
    const tag = v[0] as number;
    if (tag === TEXT) return text(v);
    if (tag === NAMED) return named(v);
    if (tag === SHARED) return (shared[v[1] as number] ??= value(shape.shared[v[1] as number]));
    if (tag === LIST) return v.slice(1).map(value);
    const out: Record<string, unknown> = {};
    const ks = keys[tag];
    for (let i = 0; i < ks.length; i++) out[ks[i]] = value(v[i + 1]);
    return out;
  };
  const enter = (stack: number, stackName: string) => {
    current = stack;
    shared = [];
    name = stackName;
    pascalName = pascalCase(stackName);
  };
  // A block's attributes as its class would synthesize them from a typed config: cdktf merges in the
  // meta-arguments (lifecycle, depends_on, ...) itself, so those are set on the element, the rest
  // is what synthesizeAttributes() returns. (addOverride would be simpler, but cdktf lists every
  // override in the stack's metadata: more output and work than the project's typed configs.)
  const configure = (e: TerraformElement, attributes: ShapeValue) => {
    const a = value(attributes) as Record<string, unknown>;
    for (const k of META_ARGUMENTS)
      if (k in a) {
        if (k === "lifecycle") (e as Block & { lifecycle: unknown }).lifecycle = camelKeys(a[k] as Record<string, unknown>);
        else e.addOverride(k, a[k]);
        delete a[k];
      }
    Object.defineProperty(e, "synthesizeAttributes", { value: () => a });
  };

  const stacks: TerraformStack[] = [];
  const providers: TerraformElement[][] = [];
  for (const st of shape.stacks) {
    const s = new cdktf.TerraformStack(app, st.id);
    enter(stacks.length, st.name);
    stacks.push(s);
    if (st.backend) {
      const Backend = (cdktf as unknown as Record<string, new (scope: Construct, props: object) => TerraformElement>)[`${pascalCase(st.backend.type)}Backend`];
      new Backend(s, camelKeys(value(st.backend.a) as Record<string, unknown>));
    }
    providers.push(st.providers.map((p) => new (classes.providers.get(p.name)!)(s, p.name, {})));
    built.push(st.blocks.map(([type, id]) => new classes.blocks[type](s, value(id) as string, {})));
  }
  shape.stacks.forEach((st, i) => {
    enter(i, st.name);
    for (const d of st.deps) stacks[i].addDependency(stacks[d]);
    st.providers.forEach((p, k) => configure(providers[i][k], p.a));
    st.blocks.forEach((b, k) => configure(built[i][k], b[2]));
    for (const o of st.outputs) {
      const output = new cdktf.TerraformOutput(stacks[i], o.name, { value: "" });
      const a = value(o.a) as Record<string, unknown>;
      for (const k in a) output.addOverride(k, a[k]);
    }
  });
}
