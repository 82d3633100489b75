/**
 * Cuts the part of the official Grafana provider schema that this project uses out of
 * `terraform providers schema -json` output, and writes it to providers/grafana/schema-subset.json.
 *
 * Why a subset: the bindings are generated offline (scripts/generate-grafana-bindings.ts) from a
 * schema committed in the project, and the full schema (121 resources, 50 data sources) is half a
 * megabyte we neither use nor may commit. The entries kept are copied whole (descriptions too), so
 * the generated classes and their docs are the ones `cdktf get` makes from the full schema.
 *
 * Usage: npm run gen:grafana-subset [-- <path to grafana-provider-schema-v4.45.1.json>]
 * The default input is ../shared/reference/ beside the project (never copy it into the project).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Where Terraform finds the provider; the key of `provider_schemas` and `provider_versions`. */
export const GRAFANA_PROVIDER_ADDRESS = "registry.terraform.io/grafana/grafana";
/** The provider release the subset was cut from; recorded in the subset as `provider_versions`. */
export const GRAFANA_PROVIDER_VERSION = "4.45.1";
/** The resource types the project synthesizes. Add one here, then run both gen:grafana scripts. */
export const GRAFANA_RESOURCES = [
  "grafana_contact_point",
  "grafana_dashboard",
  "grafana_data_source",
  "grafana_folder",
  "grafana_message_template",
  "grafana_mute_timing",
  "grafana_notification_policy",
  "grafana_rule_group",
] as const;

const PROJECT_ROOT = resolve(__dirname, "..");
export const GRAFANA_SUBSET_PATH = join(PROJECT_ROOT, "providers/grafana/schema-subset.json");
export const GRAFANA_REFERENCE_PATH = resolve(
  PROJECT_ROOT,
  "../shared/reference",
  `grafana-provider-schema-v${GRAFANA_PROVIDER_VERSION}.json`,
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface ProvidersSchemaJson {
  format_version: string;
  provider_schemas: Record<string, { provider: Json; resource_schemas: Record<string, Json> }>;
}

/** The subset of `reference` (parsed `terraform providers schema -json` output). Pure. */
export function grafanaSchemaSubset(reference: ProvidersSchemaJson): Json {
  const provider = reference.provider_schemas?.[GRAFANA_PROVIDER_ADDRESS];
  if (!provider) {
    const found = Object.keys(reference.provider_schemas ?? {}).join(", ") || "none";
    throw new Error(`the schema has no provider ${GRAFANA_PROVIDER_ADDRESS} (found: ${found})`);
  }
  const missing = GRAFANA_RESOURCES.filter((r) => !provider.resource_schemas?.[r]);
  if (missing.length > 0) throw new Error(`the schema lacks resource(s) ${missing.join(", ")}`);
  const resources: Record<string, Json> = {};
  for (const r of GRAFANA_RESOURCES) resources[r] = provider.resource_schemas[r];
  // Same shape as `terraform providers schema -json`, plus `provider_versions` where cdktf's own
  // schema reader puts `terraform version -json`'s provider_selections (the generator reads it there).
  return {
    format_version: reference.format_version,
    provider_schemas: {
      [GRAFANA_PROVIDER_ADDRESS]: { data_source_schemas: {}, provider: provider.provider, resource_schemas: resources },
    },
    provider_versions: { [GRAFANA_PROVIDER_ADDRESS]: GRAFANA_PROVIDER_VERSION },
  };
}

/** Keys sorted at every level (arrays keep their order): Terraform itself writes maps sorted. */
export function sortKeysDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== "object") return value;
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key]);
  return out;
}

/** The subset file's exact bytes: sorted keys, 2-space indent, trailing newline. */
export function renderGrafanaSchemaSubset(reference: ProvidersSchemaJson): string {
  return `${JSON.stringify(sortKeysDeep(grafanaSchemaSubset(reference)), null, 2)}\n`;
}

if (require.main === module) {
  const input = resolve(process.argv[2] ?? GRAFANA_REFERENCE_PATH);
  const reference = JSON.parse(readFileSync(input, "utf8")) as ProvidersSchemaJson;
  mkdirSync(dirname(GRAFANA_SUBSET_PATH), { recursive: true });
  writeFileSync(GRAFANA_SUBSET_PATH, renderGrafanaSchemaSubset(reference));
  console.log(`wrote ${GRAFANA_SUBSET_PATH} (${GRAFANA_RESOURCES.length} resources, from ${input})`);
}
