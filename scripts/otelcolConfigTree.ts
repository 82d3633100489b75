/**
 * Turns a component's Go `Config` struct into the SchemaNode tree the checker reads, following
 * types across packages and modules (core `go.opentelemetry.io/collector/...`, contrib
 * `github.com/open-telemetry/opentelemetry-collector-contrib/...`) the way the collector's config
 * decoder sees them: `mapstructure` keys, `,squash` embeds, pointers and optionals as their target,
 * durations, types decoded from text as strings, typed string constants as enums.
 */
import type { SchemaNode } from "../tracing/collectorSchema";
import { type GoType, type GoTypeDecl, mapstructureTag, parseGoFile } from "./goConfigStructs";
import type { SourceTree } from "./otelcolSourceTree";

export const CORE_MODULE = "go.opentelemetry.io/collector";
export const CONTRIB_MODULE = "github.com/open-telemetry/opentelemetry-collector-contrib";

interface GoPackage {
  readonly importPath: string;
  readonly types: Map<string, GoTypeDecl>;
  /** Named string type -> the values of its typed constants, in declaration order. */
  readonly enums: Map<string, string[]>;
  readonly textTypes: Set<string>;
  readonly selfDecoding: Set<string>;
}

interface Scope {
  readonly pkg: GoPackage;
  readonly imports: ReadonlyMap<string, string>;
  /** Type parameters bound to the schema of their arguments. */
  readonly params: ReadonlyMap<string, SchemaNode>;
}

const INT_TYPES = new Set(["int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune"]);

/** One place contrib packages are read from; earlier layers win, package by package. */
export interface SourceLayer {
  readonly name: string;
  readonly tree: SourceTree;
}

export class GoConfigWorld {
  private readonly packages = new Map<string, GoPackage | null>();
  /** Every package folder read (`core:<dir>` / `contrib:<dir>`) -> the layer it came from. */
  readonly packagesRead = new Map<string, string>();

  constructor(private readonly trees: { core: SourceLayer; contrib: readonly SourceLayer[] }) {}

  /** The layer holding a contrib package folder (its non-test Go files), if any. */
  contribLayer(dir: string): SourceLayer | undefined {
    return this.trees.contrib.find((l) => l.tree.files(dir).some((f) => f.endsWith(".go") && !f.endsWith("_test.go")));
  }

  /** The schema of type `typeName` in the package at `importPath`; null if the package is absent. */
  configOf(importPath: string, typeName: string): SchemaNode | null {
    const pkg = this.load(importPath);
    if (!pkg || !pkg.types.has(typeName)) return null;
    return this.named(pkg, typeName, [], []);
  }

  private locate(importPath: string): { layer: SourceLayer; dir: string; label: string } | undefined {
    if (importPath.startsWith(`${CONTRIB_MODULE}/`)) {
      const dir = importPath.slice(CONTRIB_MODULE.length + 1);
      const layer = this.contribLayer(dir);
      return layer && { layer, dir, label: `contrib:${dir}` };
    }
    if (importPath.startsWith(`${CORE_MODULE}/`)) {
      const dir = importPath.slice(CORE_MODULE.length + 1);
      return { layer: this.trees.core, dir, label: `core:${dir}` };
    }
    return undefined;
  }

  private load(importPath: string): GoPackage | null {
    if (this.packages.has(importPath)) return this.packages.get(importPath)!;
    const where = this.locate(importPath);
    let pkg: GoPackage | null = null;
    const sources = where ? where.layer.tree.files(where.dir).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go")) : [];
    if (where && sources.length > 0) {
      pkg = { importPath, types: new Map(), enums: new Map(), textTypes: new Set(), selfDecoding: new Set() };
      this.packagesRead.set(where.label, where.layer.name);
      for (const f of sources) {
        const file = parseGoFile(where.layer.tree.read(`${where.dir}/${f}`) ?? "");
        for (const t of file.types) pkg.types.set(t.name, t);
        for (const c of file.stringConsts) pkg.enums.set(c.type, [...(pkg.enums.get(c.type) ?? []), c.value]);
        for (const t of file.textUnmarshalers) pkg.textTypes.add(t);
        for (const t of file.confUnmarshalers) pkg.selfDecoding.add(t);
      }
    }
    this.packages.set(importPath, pkg);
    return pkg;
  }

  private named(pkg: GoPackage, name: string, args: SchemaNode[], stack: string[]): SchemaNode {
    const key = `${pkg.importPath}.${name}`;
    const decl = pkg.types.get(name)!;
    const values = pkg.enums.get(name);
    // A type that decodes itself from text (component.ID, URL paths, ...) is written as a string;
    // its typed constants, if any, are the values its decoder accepts.
    if (pkg.textTypes.has(name)) return values ? { type: "string", enum: values } : { type: "string" };
    if (stack.includes(key)) return { type: "opaque", go: key };
    const params = new Map(decl.typeParams.map((p, i) => [p, args[i] ?? ({ type: "any" } as SchemaNode)]));
    const node = this.toNode(decl.type, { pkg, imports: decl.imports, params }, [...stack, key]);
    // A type with its own Unmarshal(*confmap.Conf) may accept other shapes than its fields say
    // (a map for a list of pairs, strings for structured entries). For a struct, its keys still
    // hold (these methods end in the strict decoder) but its values are not judged; anything else
    // is opaque.
    if (pkg.selfDecoding.has(name))
      return node.type === "object" ? { ...node, selfDecoding: true } : { type: "opaque", go: `${key} (decodes itself)` };
    if (node.type === "string" && values && !decl.alias) return { type: "string", enum: values };
    return node;
  }

  private toNode(type: GoType, scope: Scope, stack: string[]): SchemaNode {
    switch (type.kind) {
      case "pointer":
        return this.toNode(type.elem, scope, stack);
      case "slice":
        if (type.elem.kind === "name" && !type.elem.pkg && type.elem.name === "byte") return { type: "string" };
        return { type: "list", items: this.toNode(type.elem, scope, stack) };
      case "map":
        return { type: "map", values: this.toNode(type.value, scope, stack) };
      case "struct":
        return this.struct(type.fields, scope, stack);
      case "other":
        return { type: "opaque", go: type.text };
      case "name":
        return this.name(type, scope, stack);
    }
  }

  private name(type: Extract<GoType, { kind: "name" }>, scope: Scope, stack: string[]): SchemaNode {
    const args = type.args.map((a) => this.toNode(a, scope, stack));
    if (!type.pkg) {
      if (scope.params.has(type.name)) return scope.params.get(type.name)!;
      if (type.name === "string") return { type: "string" };
      if (type.name === "bool") return { type: "bool" };
      if (INT_TYPES.has(type.name)) return { type: "int" };
      if (type.name === "float32" || type.name === "float64") return { type: "float" };
      if (type.name === "any") return { type: "any" };
      if (scope.pkg.types.has(type.name)) return this.named(scope.pkg, type.name, args, stack);
      return { type: "opaque", go: type.name };
    }
    const importPath = scope.imports.get(type.pkg) ?? type.pkg;
    if (importPath === "time" && type.name === "Duration") return { type: "duration" };
    if (importPath === "time" && type.name === "Time") return { type: "string" };
    // configoptional.Optional[T] decodes exactly like T; only "was it set" is extra.
    if (importPath === `${CORE_MODULE}/config/configoptional` && type.name === "Optional") return args[0] ?? { type: "any" };
    const pkg = this.load(importPath);
    if (!pkg || !pkg.types.has(type.name)) return { type: "opaque", go: `${importPath}.${type.name}` };
    return this.named(pkg, type.name, args, stack);
  }

  private struct(fields: Extract<GoType, { kind: "struct" }>["fields"], scope: Scope, stack: string[]): SchemaNode {
    const out: Record<string, SchemaNode> = {};
    let open = false;
    let rest: SchemaNode | undefined;
    for (const f of fields) {
      const tag = mapstructureTag(f.tag);
      if (tag.skip || f.name === "_") continue;
      if (tag.remain) {
        // Keys no other field takes land here (a map), so they are checked as its values.
        const inner = this.toNode(f.type, scope, stack);
        rest = inner.type === "map" ? inner.values : { type: "any" };
        continue;
      }
      if (tag.squash) {
        const inner = this.toNode(f.type, scope, stack);
        if (inner.type === "object") {
          Object.assign(out, inner.fields);
          open ||= inner.open === true;
          rest ??= inner.rest;
        } else open = true; // its keys are unknown here, so unknown keys cannot be judged
        continue;
      }
      // The decoder matches names case-sensitively; untagged exported fields use the Go name,
      // an untagged embedded struct is a field named after its type; unexported fields are ignored.
      if (!/^[A-Z]/.test(f.name)) continue;
      out[tag.key || f.name] = this.toNode(f.type, scope, stack);
    }
    return { type: "object", fields: out, ...(open ? { open } : {}), ...(rest ? { rest } : {}) };
  }
}
