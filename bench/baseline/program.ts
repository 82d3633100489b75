/**
 * The bare cdktf baseline: the project's output written the way a hand-made cdktf program would
 * write it, from the declarative description of that output (describe.ts): one provider class
 * per block (deep imports, the class chosen by the block's type), its config as literals, and
 * references as attribute reads of the objects they point at (cross-stack ones included, so cdktf
 * wires remote state and outputs as it does for the project). No service description, no
 * validation, no generators: what is left is what cdktf itself costs for this output.
 */
import { App, LocalBackend, TerraformStack, type TerraformElement } from "cdktf";
import { Construct } from "constructs";
import { TerraformData } from "../../constructs/terraformData";
import type { BlockDescription, ProgramDescription, Template } from "./describe";
import type { Patch, PreparedProgram } from "./prepare";

type Element = TerraformElement & { getStringAttribute(attr: string): string; readonly terraformResourceType: string; readonly friendlyUniqueId: string };
type ElementClass = new (scope: Construct, id: string, config: unknown) => Element;

const pascal = (snake: string) => snake.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const kebab = (snake: string) => snake.replace(/_/g, "-");

const classes = new Map<string, ElementClass>();

/** The provider class of a block type: `aws_kms_key` is `KmsKey` of @cdktf/provider-aws/lib/kms-key, data sources `DataAws…`. */
function classOf(kind: BlockDescription["kind"] | "provider", type: string): ElementClass {
  const key = `${kind}.${type}`;
  let found = classes.get(key);
  if (!found) {
    const [provider, ...rest] = type.split("_");
    const name = rest.join("_");
    const folder = provider === "aws" ? "@cdktf/provider-aws/lib" : `../../.gen/providers/${provider}`;
    if (kind === "provider") found = require(`${folder}/provider`)[`${pascal(provider)}Provider`];
    else if (kind === "data") found = require(`${folder}/data-${kebab(type)}`)[`Data${pascal(type)}`];
    else found = require(`${folder}/${kebab(name)}`)[pascal(name)];
    if (!found) throw new Error(`baseline: no provider class for ${key}`);
    classes.set(key, found);
  }
  return found;
}

/** Loads every provider class the program uses (as a program's imports would). */
export function loadProviderClasses(program: ProgramDescription): void {
  for (const st of program.stacks) {
    for (const p of st.providers) classOf("provider", p.name);
    for (const b of st.blocks) if (b.type !== "terraform_data") classOf(b.kind, b.type);
  }
}

/** Builds a prepared program (patching its configs in place: build it once); the caller synthesizes. */
export function buildBaseline(app: App, prepared: PreparedProgram): void {
  const { program } = prepared;
  const built: Element[][] = [];
  const stackObjects: TerraformStack[] = [];

  const text = (t: Template): string =>
    t.$template
      .map((p) => {
        if (typeof p === "string") return p;
        const target = built[p.stack][p.block];
        // No attribute: the block's address (what `replace_triggered_by` lists).
        return p.attr === undefined ? `${target.terraformResourceType}.${target.friendlyUniqueId}` : target.getStringAttribute(p.attr);
      })
      .join("");
  const patch = (list: readonly Patch[]) => {
    for (const site of list) site.holder[site.key] = text(site.template);
  };

  const order = stacksInOrder(program);
  for (const i of order) {
    const d = program.stacks[i];
    const s = new TerraformStack(app, d.id);
    stackObjects[i] = s;
    d.providers.forEach((p, j) => {
      patch(prepared.providerPatches[i][j]);
      new (classOf("provider", p.name))(s, p.name, p.config);
    });
    if (d.backendPath) new LocalBackend(s, { path: d.backendPath });
    built[i] = [];
    // The same construct tree as the project's (plain scopes): the same logical ids.
    const scopes = new Map<string, Construct>();
    const scopeOf = (path: readonly string[]): Construct => {
      if (path.length === 0) return s;
      const key = path.join("/");
      let scope = scopes.get(key);
      if (!scope) scopes.set(key, (scope = new Construct(scopeOf(path.slice(0, -1)), path[path.length - 1])));
      return scope;
    };
    d.blocks.forEach((b, j) => {
      patch(prepared.patches[i][j]);
      const config = b.config as Record<string, unknown>;
      const scope = scopeOf(b.path.slice(0, -1));
      const id = b.path[b.path.length - 1];
      built[i].push(
        b.type === "terraform_data"
          ? (new TerraformData(scope, id, config.triggersReplace as Record<string, unknown>) as unknown as Element)
          : new (classOf(b.kind, b.type))(scope, id, config),
      );
    });
  }
  for (const i of order) for (const dep of program.stacks[i].dependsOn) stackObjects[i].addDependency(stackObjects[dep]);
}

/** Stack indexes with every stack after those it depends on. */
function stacksInOrder(program: ProgramDescription): number[] {
  const order: number[] = [];
  const seen = new Set<number>();
  const visit = (i: number) => {
    if (seen.has(i)) return;
    seen.add(i);
    program.stacks[i].dependsOn.forEach(visit);
    order.push(i);
  };
  program.stacks.forEach((_, i) => visit(i));
  return order;
}
