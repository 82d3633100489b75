/**
 * Rebuilds providers/otelcol/schema-<version>.json (the config tree of every collector component
 * the project uses or plans to use) and providers/otelcol/distributions.json (which of those
 * components the otelcol-contrib and AWS Distro for OpenTelemetry builds include) from snapshots of
 * the upstream repositories, so tracing/collectorSchema.ts can check the generated collector config
 * without a collector binary.
 *
 * Usage (each source is a folder, or a bare git directory with @<tag>[:<subfolder>]):
 *   npm run gen:otelcol -- --core <opentelemetry-collector>@v0.156.0 \
 *     --contrib <contrib source>[,<another contrib source>...] \
 *     --releases <opentelemetry-collector-releases>@v0.156.0 --adot <aws-otel-collector>@v0.49.0
 * Contrib sources are layers, earlier first, package by package: a contrib checkout at the tag;
 * or ADOT's vendored copy (`<aws-otel-collector>@v0.49.0:vendor/github.com/open-telemetry/
 * opentelemetry-collector-contrib`), whose vendor/modules.txt must name OTELCOL_VERSION for every
 * module read; or a folder holding some packages laid out as in the repository with a
 * PROVENANCE.json saying where its files came from. Every layer's origin goes into the schema.
 * Components whose package no layer has get `config: null` (their fields are not checked).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { CollectorSchema, ComponentKind, ComponentSchema } from "../tracing/collectorSchema";
import { sortKeysDeep } from "./make-grafana-schema-subset";
import { CONTRIB_MODULE, CORE_MODULE, GoConfigWorld, type SourceLayer } from "./otelcolConfigTree";
import { openSourceTree, type SourceTree } from "./otelcolSourceTree";

/**
 * The collector release the schema describes (core, contrib and the otelcol-contrib build share it):
 * the one ADOT v0.49.0 vendors, so contrib's sources can be read at the tag (see README).
 */
export const OTELCOL_VERSION = "v0.156.0";
/** The AWS Distro for OpenTelemetry release whose component list is recorded. */
export const ADOT_VERSION = "v0.49.0";

interface ComponentSource {
  readonly kind: ComponentKind;
  /** The component type as written in a collector config (its metadata.yaml `type`). */
  readonly type: string;
  readonly repo: "core" | "contrib";
  /** The Go package folder inside its repository. */
  readonly dir: string;
}

/** Every component the collector config uses now or will use for a logs pipeline. */
export const OTELCOL_COMPONENTS: readonly ComponentSource[] = [
  { kind: "receivers", type: "otlp", repo: "core", dir: "receiver/otlpreceiver" },
  { kind: "processors", type: "memory_limiter", repo: "core", dir: "processor/memorylimiterprocessor" },
  { kind: "processors", type: "batch", repo: "core", dir: "processor/batchprocessor" },
  { kind: "processors", type: "tail_sampling", repo: "contrib", dir: "processor/tailsamplingprocessor" },
  { kind: "processors", type: "resource", repo: "contrib", dir: "processor/resourceprocessor" },
  { kind: "processors", type: "attributes", repo: "contrib", dir: "processor/attributesprocessor" },
  { kind: "processors", type: "filter", repo: "contrib", dir: "processor/filterprocessor" },
  { kind: "processors", type: "transform", repo: "contrib", dir: "processor/transformprocessor" },
  { kind: "processors", type: "probabilistic_sampler", repo: "contrib", dir: "processor/probabilisticsamplerprocessor" },
  { kind: "processors", type: "redaction", repo: "contrib", dir: "processor/redactionprocessor" },
  { kind: "connectors", type: "spanmetrics", repo: "contrib", dir: "connector/spanmetricsconnector" },
  { kind: "connectors", type: "routing", repo: "contrib", dir: "connector/routingconnector" },
  { kind: "exporters", type: "awsxray", repo: "contrib", dir: "exporter/awsxrayexporter" },
  { kind: "exporters", type: "prometheus_remote_write", repo: "contrib", dir: "exporter/prometheusremotewriteexporter" },
  { kind: "exporters", type: "awscloudwatchlogs", repo: "contrib", dir: "exporter/awscloudwatchlogsexporter" },
  { kind: "extensions", type: "health_check", repo: "contrib", dir: "extension/healthcheckextension" },
  { kind: "extensions", type: "sigv4auth", repo: "contrib", dir: "extension/sigv4authextension" },
];

const KINDS: readonly ComponentKind[] = ["receivers", "processors", "exporters", "connectors", "extensions"];
const modulePath = (c: ComponentSource) => `${c.repo === "core" ? CORE_MODULE : CONTRIB_MODULE}/${c.dir}`;
const origin = (tree: SourceTree) => ({ ...tree.origin, location: undefined });

export interface OtelcolSources {
  readonly core: SourceTree;
  /** Earlier layers win, package by package. */
  readonly contrib: readonly SourceTree[];
  readonly releases: SourceTree;
  readonly adot: SourceTree;
}

const VENDOR_PREFIX = `vendor/${CONTRIB_MODULE}`;

/** `# <module> <version>` lines of a vendor/modules.txt: module path -> version. */
export function vendoredModules(modulesTxt: string): Map<string, string> {
  return new Map([...modulesTxt.matchAll(/^# (\S+) (\S+)/gm)].map((m) => [m[1], m[2]]));
}

/** How a contrib layer is recorded, and (vendored copies) the module version of a package. */
function describeLayer(tree: SourceTree, index: number): { record: Record<string, unknown>; versionOf?: (dir: string) => string | undefined } {
  const { rev, commit, subdir } = tree.origin;
  if (subdir?.startsWith(VENDOR_PREFIX) && commit) {
    const root = openSourceTree(`${tree.origin.location}@${commit}`);
    const modules = vendoredModules(root.read("vendor/modules.txt") ?? missing("vendor/modules.txt"));
    const versionOf = (dir: string) => {
      const owner = [...modules.keys()].filter((m) => `${CONTRIB_MODULE}/${dir}` === m || `${CONTRIB_MODULE}/${dir}`.startsWith(`${m}/`));
      return modules.get(owner.sort((a, b) => b.length - a.length)[0] ?? "");
    };
    return { record: { layer: index, vendoredBy: "aws-observability/aws-otel-collector", rev, commit, subdir }, versionOf };
  }
  const provenance = tree.read("PROVENANCE.json");
  if (provenance) return { record: { layer: index, ...JSON.parse(provenance) } };
  return { record: { layer: index, repo: "open-telemetry/opentelemetry-collector-contrib", rev, commit } };
}

/** The schema file's content. Throws if a source contradicts the component table or the version. */
export function otelcolSchema(src: OtelcolSources): Record<string, unknown> {
  const layers = src.contrib.map((tree, i) => ({ tree, ...describeLayer(tree, i) }));
  const contribLayers: SourceLayer[] = layers.map((l, i) => ({ name: `contrib layer ${i}`, tree: l.tree }));
  const world = new GoConfigWorld({ core: { name: `core ${OTELCOL_VERSION}`, tree: src.core }, contrib: contribLayers });
  const components = Object.fromEntries(KINDS.map((k) => [k, {} as Record<string, ComponentSchema>])) as Record<ComponentKind, Record<string, ComponentSchema>>;
  for (const c of OTELCOL_COMPONENTS) {
    const layer = c.repo === "core" ? { name: `core ${OTELCOL_VERSION}`, tree: src.core } : world.contribLayer(c.dir);
    const tree = layer?.tree;
    // metadata.yaml names the type (and a deprecated old name the factory still registers);
    // where it is present it must agree with the table.
    const metadata = tree?.read(`${c.dir}/metadata.yaml`) ?? "";
    const declared = /^type:\s*(\S+)/m.exec(metadata)?.[1];
    if (declared && declared !== c.type) throw new Error(`${c.dir}/metadata.yaml declares type "${declared}", the table says "${c.type}"`);
    const deprecatedType = /^deprecated_type:\s*(\S+)/m.exec(metadata)?.[1];
    const entry: { package: string; from: string; config: unknown; deprecatedTypes?: string[]; signals?: string[] } = {
      package: `${c.repo}:${c.dir}`,
      from: layer?.name ?? "nowhere (no source holds the package)",
      config: world.configOf(modulePath(c), "Config"),
    };
    if (deprecatedType) entry.deprecatedTypes = [deprecatedType];
    const factory = c.kind === "connectors" ? tree?.read(`${c.dir}/factory.go`) : undefined;
    // The factory registers each supported pair, e.g. xconnector.WithTracesToMetrics(...).
    if (factory)
      entry.signals = [...factory.matchAll(/With(Traces|Metrics|Logs|Profiles)To(Traces|Metrics|Logs|Profiles)\(/g)]
        .map((m) => `${m[1].toLowerCase()}->${m[2].toLowerCase()}`)
        .filter((p, i, all) => all.indexOf(p) === i);
    components[c.kind][c.type] = entry as ComponentSchema;
  }
  // A vendored copy is only the release if its modules.txt says so, for every package read from it.
  for (const [label, layerName] of world.packagesRead) {
    const layer = layers[contribLayers.findIndex((l) => l.name === layerName)];
    const version = layer?.versionOf?.(label.slice("contrib:".length));
    if (layer?.versionOf && version !== OTELCOL_VERSION)
      throw new Error(`${label} is vendored at ${version ?? "an unknown version"}, not ${OTELCOL_VERSION}`);
  }
  return {
    version: OTELCOL_VERSION,
    sources: {
      core: { repo: "open-telemetry/opentelemetry-collector", ...origin(src.core) },
      contrib: layers.map((l) => l.record),
      packagesRead: Object.fromEntries([...world.packagesRead].sort(([a], [b]) => a.localeCompare(b))),
    },
    components: components satisfies CollectorSchema["components"],
  };
}

/** Which listed components each distribution includes. */
export function otelcolDistributions(src: OtelcolSources): Record<string, unknown> {
  return {
    "otelcol-contrib": {
      [OTELCOL_VERSION]: {
        source: { repo: "open-telemetry/opentelemetry-collector-releases", ...origin(src.releases), path: CONTRIB_MANIFEST },
        components: contribManifestComponents(src.releases.read(CONTRIB_MANIFEST) ?? missing(CONTRIB_MANIFEST)),
      },
    },
    "aws-otel-collector": {
      [ADOT_VERSION]: {
        source: { repo: "aws-observability/aws-otel-collector", ...origin(src.adot), path: ADOT_DEFAULTS },
        components: adotComponents(src.adot.read(ADOT_DEFAULTS) ?? missing(ADOT_DEFAULTS)),
      },
    },
  };
}

const CONTRIB_MANIFEST = "distributions/otelcol-contrib/manifest.yaml";
const ADOT_DEFAULTS = "pkg/defaultcomponents/defaults.go";
const missing = (path: string): never => {
  throw new Error(`${path} is not in the given snapshot`);
};

/** The builder manifest lists Go modules per kind: `- gomod: <module path> <version>`. */
export function contribManifestComponents(manifestYaml: string): Record<ComponentKind, string[]> {
  const manifest = parseYaml(manifestYaml) as Record<string, { gomod: string }[] | undefined>;
  const out = {} as Record<ComponentKind, string[]>;
  for (const kind of KINDS) {
    const modules = new Set((manifest[kind] ?? []).map((m) => m.gomod.split(/\s+/)[0]));
    out[kind] = OTELCOL_COMPONENTS.filter((c) => c.kind === kind && modules.has(modulePath(c))).map((c) => c.type);
  }
  return out;
}

/**
 * ADOT registers factories in Go: `xxxList := []<kind>.Factory{ pkg.NewFactory(), ... }` (plus
 * feature-gated `append(xxxList, pkg.NewFactory())`), and only the kinds it puts in otelcol.Factories.
 */
export function adotComponents(defaultsGo: string): Record<ComponentKind, string[]> {
  const imports = new Map<string, string>();
  for (const m of defaultsGo.matchAll(/^\s*(?:(\w+)\s+)?"([^"]+)"\s*$/gm)) imports.set(m[1] ?? m[2].split("/").pop()!, m[2]);
  const factoriesLiteral = /otelcol\.Factories\{([\s\S]*?)\n\t\}/.exec(defaultsGo)?.[1] ?? "";
  const byKind = new Map<string, Set<string>>();
  const listKind = new Map<string, string>();
  for (const m of defaultsGo.matchAll(/(\w+)\s*:?=\s*\[\](\w+)\.Factory\{([\s\S]*?)\n\t\}/g)) {
    listKind.set(m[1], m[2]);
    const set = byKind.get(m[2]) ?? new Set();
    for (const f of m[3].matchAll(/(\w+)\.NewFactory\(\)/g)) set.add(imports.get(f[1]) ?? f[1]);
    byKind.set(m[2], set);
  }
  for (const m of defaultsGo.matchAll(/append\((\w+),\s*(\w+)\.NewFactory\(\)\)/g)) {
    const kind = listKind.get(m[1]);
    if (kind) byKind.get(kind)!.add(imports.get(m[2]) ?? m[2]);
  }
  const registered: Record<ComponentKind, string> = {
    receivers: "Receivers", processors: "Processors", exporters: "Exporters", connectors: "Connectors", extensions: "Extensions",
  };
  const singular: Record<ComponentKind, string> = {
    receivers: "receiver", processors: "processor", exporters: "exporter", connectors: "connector", extensions: "extension",
  };
  const out = {} as Record<ComponentKind, string[]>;
  for (const kind of KINDS) {
    const inFactories = new RegExp(`\\b${registered[kind]}:`).test(factoriesLiteral);
    const modules = inFactories ? (byKind.get(singular[kind]) ?? new Set()) : new Set<string>();
    out[kind] = OTELCOL_COMPONENTS.filter((c) => c.kind === kind && modules.has(modulePath(c))).map((c) => c.type);
  }
  return out;
}

const PROJECT_ROOT = resolve(__dirname, "..");
export const OTELCOL_DIR = join(PROJECT_ROOT, "providers/otelcol");
export const OTELCOL_SCHEMA_PATH = join(OTELCOL_DIR, `schema-${OTELCOL_VERSION}.json`);
export const OTELCOL_DISTRIBUTIONS_PATH = join(OTELCOL_DIR, "distributions.json");

/** Sorted keys, 2-space indent, trailing newline: the committed bytes. */
export const renderJson = (value: unknown) => `${JSON.stringify(sortKeysDeep(value as never), null, 2)}\n`;

function argsOf(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) throw new Error(`expected --name value pairs, got "${argv[i]}"`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const need of ["core", "contrib", "releases", "adot"]) if (!out[need]) throw new Error(`missing --${need} <folder | git dir@tag>`);
  return out;
}

if (require.main === module) {
  const args = argsOf(process.argv.slice(2));
  const src: OtelcolSources = {
    core: openSourceTree(args.core),
    contrib: args.contrib.split(",").map(openSourceTree),
    releases: openSourceTree(args.releases),
    adot: openSourceTree(args.adot),
  };
  mkdirSync(dirname(OTELCOL_SCHEMA_PATH), { recursive: true });
  writeFileSync(OTELCOL_SCHEMA_PATH, renderJson(otelcolSchema(src)));
  writeFileSync(OTELCOL_DISTRIBUTIONS_PATH, renderJson(otelcolDistributions(src)));
  console.log(`wrote ${OTELCOL_SCHEMA_PATH} and ${OTELCOL_DISTRIBUTIONS_PATH}`);
}
