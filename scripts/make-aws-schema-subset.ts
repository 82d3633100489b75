/**
 * Cuts the part of the AWS provider schema (hashicorp/aws 5.100.0, the version
 * @cdktf/provider-aws 20.1.0 wraps) that the project synthesizes out of
 * `terraform providers schema -json`, and writes it to providers/aws/schema-subset.json.
 *
 * What reads it: the synth benchmark's bare-cdktf baseline (bench/baseline/), which rebuilds the
 * project's synthesized output with the provider classes and must know which keys of a block are
 * nested blocks (whose keys the classes spell in camelCase) and which are maps (whose keys are
 * data, kept as written, such as tags). The full schema is 13 MB; the subset keeps whole entries.
 *
 * Usage: npm run gen:aws-subset [-- <schema.json>]
 * Without an argument it runs `terraform init` and `terraform providers schema -json` in a temp
 * folder, installing the provider from the machine's filesystem mirror (toolkit/terraformMirror.ts:
 * no network).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { findProviderMirror, MIRRORED_AWS_VERSION, mirrorCliConfig } from "../toolkit/terraformMirror";
import { sortKeysDeep } from "./make-grafana-schema-subset";

export const AWS_PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/aws";
export const AWS_PROVIDER_VERSION = MIRRORED_AWS_VERSION;
export const AWS_SUBSET_PATH = join(resolve(__dirname, ".."), "providers/aws/schema-subset.json");

/** The resource and data-source types the project synthesizes (constructs/). Add one here, then rerun. */
export const AWS_RESOURCES = [
  "aws_cloudwatch_log_data_protection_policy",
  "aws_cloudwatch_log_group",
  "aws_cloudwatch_query_definition",
  "aws_grafana_workspace",
  "aws_grafana_workspace_service_account",
  "aws_grafana_workspace_service_account_token",
  "aws_iam_role",
  "aws_iam_role_policy_attachment",
  "aws_kms_alias",
  "aws_kms_key",
  "aws_prometheus_rule_group_namespace",
  "aws_prometheus_workspace",
  "aws_prometheus_workspace_configuration",
  "aws_ssm_parameter",
  "aws_xray_encryption_config",
  "aws_xray_group",
  "aws_xray_sampling_rule",
] as const;
export const AWS_DATA_SOURCES = [
  "aws_caller_identity",
  "aws_iam_policy_document",
  "aws_partition",
  "aws_region",
  "aws_secretsmanager_secret_version",
  "aws_ssm_parameter",
] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schemas = Record<string, Json>;
interface ProvidersSchemaJson {
  format_version: string;
  provider_schemas: Record<string, { provider: Json; resource_schemas: Schemas; data_source_schemas: Schemas }>;
}

function pick(from: Schemas, names: readonly string[], what: string): Schemas {
  const missing = names.filter((n) => !from[n]);
  if (missing.length > 0) throw new Error(`the schema lacks ${what} ${missing.join(", ")}`);
  return Object.fromEntries(names.map((n) => [n, from[n]]));
}

/** The subset of `reference` (parsed `terraform providers schema -json` output) as the file's bytes. Pure. */
export function renderAwsSchemaSubset(reference: ProvidersSchemaJson): string {
  const provider = reference.provider_schemas?.[AWS_PROVIDER_ADDRESS];
  if (!provider) throw new Error(`the schema has no provider ${AWS_PROVIDER_ADDRESS} (found: ${Object.keys(reference.provider_schemas ?? {}).join(", ") || "none"})`);
  const subset: Json = {
    format_version: reference.format_version,
    provider_schemas: {
      [AWS_PROVIDER_ADDRESS]: {
        provider: provider.provider,
        resource_schemas: pick(provider.resource_schemas, AWS_RESOURCES, "resource(s)"),
        data_source_schemas: pick(provider.data_source_schemas, AWS_DATA_SOURCES, "data source(s)"),
      },
    },
    provider_versions: { [AWS_PROVIDER_ADDRESS]: AWS_PROVIDER_VERSION },
  };
  return `${JSON.stringify(sortKeysDeep(subset), null, 2)}\n`;
}

/** `terraform providers schema -json` for the pinned AWS provider, installed from the filesystem mirror. */
export function schemaFromMirror(): string {
  const mirror = findProviderMirror();
  if (!mirror) throw new Error(`no filesystem mirror holding registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION} (set TF_PLUGIN_MIRROR)`);
  const dir = mkdtempSync(join(tmpdir(), "aws-schema-"));
  try {
    writeFileSync(join(dir, "cli.tfrc"), mirrorCliConfig(mirror));
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } } }));
    const env = { ...process.env, TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"), CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    execFileSync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env, stdio: "ignore" });
    return execFileSync("terraform", ["providers", "schema", "-json"], { cwd: dir, env, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const input = process.argv[2];
  const reference = JSON.parse(input ? readFileSync(resolve(input), "utf8") : schemaFromMirror()) as ProvidersSchemaJson;
  mkdirSync(dirname(AWS_SUBSET_PATH), { recursive: true });
  writeFileSync(AWS_SUBSET_PATH, renderAwsSchemaSubset(reference));
  console.log(`wrote ${AWS_SUBSET_PATH} (${AWS_RESOURCES.length} resources, ${AWS_DATA_SOURCES.length} data sources, from ${input ?? "the provider mirror"})`);
}
