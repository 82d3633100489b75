/**
 * Checks an OpenTelemetry Collector configuration against the component schema and distribution
 * lists committed under providers/otelcol/ (pure: the caller passes the parsed JSON in).
 *
 * Why: no collector binary can run here, so the config the project generates is checked the way
 * the collector itself would refuse it at start-up: its config decoder rejects unknown keys
 * (`ErrorUnused`) and mistyped values, and the service refuses pipelines that name components it
 * does not define, component types the distribution was not built with, and connectors that are
 * not used as exporter in one pipeline and as receiver in another.
 */

/** The value shapes a component's config decoder accepts (derived from its Go `Config` struct). */
export type SchemaNode =
  | { readonly type: "string"; readonly enum?: readonly string[] }
  | { readonly type: "bool" | "int" | "float" | "duration" | "any" }
  | { readonly type: "list"; readonly items: SchemaNode }
  | { readonly type: "map"; readonly values: SchemaNode }
  /**
   * `open`: an embedded struct could not be resolved, so keys beyond `fields` cannot be judged;
   * `rest`: keys beyond `fields` are collected (Go `,remain`) and their values must fit `rest`;
   * `selfDecoding`: the type has its own decoder, so only its keys are judged, not their values.
   */
  | {
      readonly type: "object";
      readonly fields: Readonly<Record<string, SchemaNode>>;
      readonly open?: boolean;
      readonly rest?: SchemaNode;
      readonly selfDecoding?: boolean;
    }
  /** A Go type the schema does not describe (another module, or a custom decoder): anything goes. */
  | { readonly type: "opaque"; readonly go: string };

export const COMPONENT_KINDS = ["receivers", "processors", "exporters", "connectors", "extensions"] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export interface ComponentSchema {
  /** Where the Go package lives, e.g. "contrib:processor/tailsamplingprocessor". */
  readonly package: string;
  /** Which source it was read from (see the schema's `sources`). */
  readonly from?: string;
  /** Old names the factory still accepts, with a deprecation warning (metadata.yaml `deprecated_type`). */
  readonly deprecatedTypes?: readonly string[];
  /** The config tree, or null when the component's source was not available to derive it. */
  readonly config: SchemaNode | null;
  /** Connectors only: the pipeline signal pairs the factory registers, e.g. "traces->metrics". */
  readonly signals?: readonly string[];
}

export interface CollectorSchema {
  readonly components: Readonly<Record<ComponentKind, Readonly<Record<string, ComponentSchema>>>>;
}

/** One distribution at one version: the component types it is built with, by kind. */
export interface CollectorDistribution {
  readonly name: string;
  readonly version: string;
  readonly components: Readonly<Record<ComponentKind, readonly string[]>>;
}

const SIGNALS = ["traces", "metrics", "logs", "profiles"];
const SINGULAR: Record<ComponentKind, string> = {
  receivers: "receiver",
  processors: "processor",
  exporters: "exporter",
  connectors: "connector",
  extensions: "extension",
};
// Go's time.ParseDuration syntax; an integer is also accepted (nanoseconds).
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
/** `otlp/2` -> `otlp`: the component type is the part before the first slash. */
const typeOf = (id: string) => id.split("/")[0];
const describe = (v: Json) => (Array.isArray(v) ? "a list" : v === null ? "null" : isObject(v) ? "a map" : `${typeof v} ${JSON.stringify(v)}`);

/** Every problem the collector would refuse the config for, as `path: what is wrong` lines. */
export function collectorConfigProblems(config: Json, schema: CollectorSchema, distribution: CollectorDistribution): string[] {
  const problems: string[] = [];
  if (!isObject(config)) return [`the config must be a map, got ${describe(config)}`];
  for (const key of Object.keys(config))
    if (!(COMPONENT_KINDS as readonly string[]).includes(key) && key !== "service")
      problems.push(`${key}: unknown top-level section (known: ${[...COMPONENT_KINDS, "service"].join(", ")})`);

  const defined = {} as Record<ComponentKind, Set<string>>;
  for (const kind of COMPONENT_KINDS) {
    const section = config[kind] ?? {};
    defined[kind] = new Set();
    if (!isObject(section)) { problems.push(`${kind}: expected a map of ${SINGULAR[kind]} ids, got ${describe(section)}`); continue; }
    for (const [id, body] of Object.entries(section)) {
      defined[kind].add(id);
      problems.push(...componentProblems(kind, id, body, schema, distribution));
    }
  }
  problems.push(...serviceProblems(config.service, defined, schema));
  return problems;
}

/** The component a type name denotes: its own name, or a deprecated name it still accepts. */
function lookup(schema: CollectorSchema, kind: ComponentKind, type: string): { name: string; component: ComponentSchema } | undefined {
  const known = schema.components[kind];
  if (known[type]) return { name: type, component: known[type] };
  const entry = Object.entries(known).find(([, c]) => c.deprecatedTypes?.includes(type));
  return entry && { name: entry[0], component: entry[1] };
}

function componentProblems(kind: ComponentKind, id: string, body: Json, schema: CollectorSchema, dist: CollectorDistribution): string[] {
  const type = typeOf(id);
  const found = lookup(schema, kind, type);
  if (!found)
    return [`${kind}.${id}: unknown ${SINGULAR[kind]} type "${type}" (the schema knows: ${Object.keys(schema.components[kind]).sort().join(", ")})`];
  const { name, component } = found;
  const problems: string[] = [];
  if (!dist.components[kind].includes(name))
    problems.push(`${kind}.${id}: the ${SINGULAR[kind]} "${name}" is not included in ${dist.name} ${dist.version}`);
  // A component with no settings may be written as `name:` (null): the collector uses its defaults.
  if (component.config && body !== null && body !== undefined) problems.push(...valueProblems(body, component.config, `${kind}.${id}`));
  return problems;
}

/**
 * What the collector accepts but warns about: component types written by a deprecated name.
 * (Not problems: the config starts; the warnings say what to rename before the old name goes.)
 */
export function collectorConfigWarnings(config: Json, schema: CollectorSchema): string[] {
  if (!isObject(config)) return [];
  const warnings: string[] = [];
  for (const kind of COMPONENT_KINDS) {
    const section = config[kind];
    if (!isObject(section)) continue;
    for (const id of Object.keys(section)) {
      const found = lookup(schema, kind, typeOf(id));
      if (found && found.name !== typeOf(id))
        warnings.push(`${kind}.${id}: "${typeOf(id)}" is a deprecated name of the ${SINGULAR[kind]} "${found.name}"; rename it`);
    }
  }
  return warnings;
}

/** Problems of `value` against `node`, at `path` (e.g. `processors.tail_sampling.policies[1]`). */
export function valueProblems(value: Json, node: SchemaNode, path: string): string[] {
  if (value === null) return []; // decodes to the zero value
  switch (node.type) {
    case "any":
    case "opaque":
      return [];
    case "string":
      if (typeof value !== "string") return [`${path}: expected a string, got ${describe(value)}`];
      if (node.enum && !node.enum.includes(value)) return [`${path}: "${value}" is not one of ${node.enum.join(", ")}`];
      return [];
    case "bool":
      return typeof value === "boolean" ? [] : [`${path}: expected true or false, got ${describe(value)}`];
    case "int":
      return Number.isInteger(value) ? [] : [`${path}: expected a whole number, got ${describe(value)}`];
    case "float":
      return typeof value === "number" ? [] : [`${path}: expected a number, got ${describe(value)}`];
    case "duration":
      if (Number.isInteger(value) || (typeof value === "string" && GO_DURATION.test(value))) return [];
      return [`${path}: expected a duration such as "5s" or "250ms", got ${describe(value)}`];
    case "list":
      // The decoder splits a string on commas into a list (StringToSliceHookFunc).
      if (typeof value === "string" && node.items.type === "string") return [];
      if (!Array.isArray(value)) return [`${path}: expected a list, got ${describe(value)}`];
      return value.flatMap((item, i) => valueProblems(item, node.items, `${path}[${i}]`));
    case "map":
      if (!isObject(value)) return [`${path}: expected a map, got ${describe(value)}`];
      return Object.entries(value).flatMap(([k, v]) => valueProblems(v, node.values, `${path}.${k}`));
    case "object": {
      if (!isObject(value)) return node.selfDecoding ? [] : [`${path}: expected a map of settings, got ${describe(value)}`];
      const problems: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const field = node.fields[k];
        if (field) problems.push(...(node.selfDecoding ? [] : valueProblems(v, field, `${path}.${k}`)));
        else if (node.rest) problems.push(...valueProblems(v, node.rest, `${path}.${k}`));
        else if (!node.open) problems.push(`${path}.${k}: unknown field (known: ${Object.keys(node.fields).sort().join(", ")})`);
      }
      return problems;
    }
  }
}

function serviceProblems(service: Json, defined: Record<ComponentKind, Set<string>>, schema: CollectorSchema): string[] {
  if (!isObject(service)) return [`service: expected a map with extensions and pipelines, got ${describe(service ?? null)}`];
  const problems: string[] = [];
  for (const key of Object.keys(service))
    if (!["extensions", "pipelines", "telemetry"].includes(key)) problems.push(`service.${key}: unknown field (known: extensions, pipelines, telemetry)`);
  const extensions = service.extensions ?? [];
  if (!Array.isArray(extensions)) problems.push(`service.extensions: expected a list of extension ids, got ${describe(extensions)}`);
  else
    extensions.forEach((id, i) => {
      if (!defined.extensions.has(String(id))) problems.push(`service.extensions[${i}]: extension "${id}" is not defined under extensions`);
    });

  const pipelines = service.pipelines;
  if (!isObject(pipelines)) return [...problems, `service.pipelines: expected a map of pipelines, got ${describe(pipelines ?? null)}`];
  // connector id -> signals of the pipelines it exports from / receives into
  const connectorUse = new Map<string, { asExporter: Set<string>; asReceiver: Set<string> }>();
  const use = (id: string) => connectorUse.get(id) ?? connectorUse.set(id, { asExporter: new Set(), asReceiver: new Set() }).get(id)!;

  for (const [pipelineId, pipeline] of Object.entries(pipelines)) {
    const path = `service.pipelines.${pipelineId}`;
    const signal = typeOf(pipelineId);
    if (!SIGNALS.includes(signal)) problems.push(`${path}: unknown signal "${signal}" (known: ${SIGNALS.join(", ")})`);
    if (!isObject(pipeline)) { problems.push(`${path}: expected a map, got ${describe(pipeline)}`); continue; }
    for (const key of Object.keys(pipeline))
      if (!["receivers", "processors", "exporters"].includes(key)) problems.push(`${path}.${key}: unknown field (known: exporters, processors, receivers)`);
    for (const role of ["receivers", "processors", "exporters"] as const) {
      const ids = pipeline[role] ?? [];
      if (!Array.isArray(ids)) { problems.push(`${path}.${role}: expected a list of ids, got ${describe(ids)}`); continue; }
      if (role !== "processors" && ids.length === 0) problems.push(`${path}.${role}: a pipeline needs at least one ${SINGULAR[role]}`);
      ids.forEach((raw, i) => {
        const id = String(raw);
        if (role !== "processors" && defined.connectors.has(id)) {
          (role === "exporters" ? use(id).asExporter : use(id).asReceiver).add(signal);
          return;
        }
        if (!defined[role].has(id))
          problems.push(`${path}.${role}[${i}]: ${SINGULAR[role]} "${id}" is not defined under ${role}${role === "processors" ? "" : " or connectors"}`);
      });
    }
  }

  for (const [id, { asExporter, asReceiver }] of connectorUse) {
    const where = `connectors.${id}`;
    if (asExporter.size === 0) { problems.push(`${where}: used as a receiver but no pipeline exports to it`); continue; }
    if (asReceiver.size === 0) { problems.push(`${where}: used as an exporter but no pipeline receives from it`); continue; }
    const supported = lookup(schema, "connectors", typeOf(id))?.component.signals;
    if (!supported) continue;
    // As the collector's graph builder: each side's signal needs a supported partner on the other side.
    for (const from of asExporter)
      if (![...asReceiver].some((to) => supported.includes(`${from}->${to}`)))
        problems.push(`${where}: exports from a ${from} pipeline but no pipeline it feeds has a supported signal (supports: ${supported.join(", ")})`);
    for (const to of asReceiver)
      if (![...asExporter].some((from) => supported.includes(`${from}->${to}`)))
        problems.push(`${where}: feeds a ${to} pipeline but no pipeline exporting to it has a supported signal (supports: ${supported.join(", ")})`);
  }
  return problems;
}
