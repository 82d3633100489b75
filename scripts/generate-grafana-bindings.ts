/**
 * Generates the cdktf bindings of the Grafana provider offline, from the committed schema subset
 * (providers/grafana/schema-subset.json), with cdktf's own generator, into .gen/providers/grafana/.
 *
 * It does what `cdktf get` does on a connected machine for `"terraformProviders":
 * ["grafana/grafana@~> 4.45"]` with `"codeMakerOutput": ".gen"` (see cdktf.json), minus running
 * Terraform to fetch the schema: the same target, the same generator, the same output paths, plus
 * the .gen/versions.json and .gen/constraints.json files `cdktf get` writes beside the providers.
 * Only the resources in the subset get classes, so the API matches `cdktf get`'s for those.
 *
 * Usage: npm run gen:grafana. Deterministic: the same subset gives the same bytes; well under a
 * second. test/grafanaBindings.test.ts fails when the committed output is out of date.
 *
 * Type checking: the generated code passes the project's strict tsconfig (noUnusedLocals and
 * noUnusedParameters included) as it is, so tsconfig.json simply includes the .gen folder's .ts
 * files and `tsc --noEmit` checks them like our own code; no per-folder override or @ts-nocheck.
 * Should a future cdktf emit code that trips those flags, check it with a second tsconfig rather
 * than editing generated files.
 */
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Block, ProviderSchema } from "@cdktf/commons/src/provider-schema";
import { CodeMaker } from "codemaker";

// Deep paths on purpose: the root of @cdktf/provider-generator loads its ConstructsMaker, which
// resolves jsii and jsii-pacmak (for the other languages; not installed, so the root fails to load).
// provider-generator alone is what `cdktf get` uses to emit a provider's TypeScript.
type ProviderGeneratorModule = typeof import("@cdktf/provider-generator/lib/get/generator/provider-generator");
type CommonsConfigModule = typeof import("@cdktf/commons/src/config");
type CommonsTargetModule = typeof import("@cdktf/commons/src/construct-maker-target");
type CommonsVersionModule = typeof import("@cdktf/commons/src/version");

const PROJECT_ROOT = resolve(__dirname, "..");
const SUBSET_PATH = join(PROJECT_ROOT, "providers/grafana/schema-subset.json");
const CDKTF_JSON = JSON.parse(readFileSync(join(PROJECT_ROOT, "cdktf.json"), "utf8")) as {
  codeMakerOutput?: string;
  terraformProviders?: string[];
};

/** The cdktf.json `terraformProviders` entry these bindings stand for, e.g. "grafana/grafana@~> 4.45". */
export const GRAFANA_PROVIDER_CONSTRAINT = grafanaConstraint(CDKTF_JSON.terraformProviders ?? []);
/** cdktf.json `codeMakerOutput`, absolute: `cdktf get` writes providers/<name>/ below it. */
export const CODE_MAKER_OUTPUT = resolve(PROJECT_ROOT, CDKTF_JSON.codeMakerOutput ?? ".gen");

function grafanaConstraint(providers: string[]): string {
  const found = providers.filter((p) => p.split("@")[0].toLowerCase() === "grafana/grafana");
  if (found.length !== 1) {
    throw new Error(`cdktf.json terraformProviders must hold one "grafana/grafana@<version constraint>" entry; found ${JSON.stringify(providers)}`);
  }
  return found[0];
}
/** What the generator writes below the code-maker output: the provider folder and two JSON files. */
export const GENERATED_PATHS = ["providers/grafana", "versions.json", "constraints.json"] as const;

/**
 * Writes the bindings for `schema` below `outdir` (as `cdktf get` writes below codeMakerOutput).
 * Resolves to the relative paths written, sorted.
 */
export async function generateGrafanaBindings(schema: ProviderSchema, outdir: string): Promise<string[]> {
  assertSanitized(schema);
  const { TerraformProviderGenerator, Language, TerraformProviderConstraint, ConstructsMakerProviderTarget, DISPLAY_VERSION } =
    loadCdktfGenerator();
  const constraint = new TerraformProviderConstraint(GRAFANA_PROVIDER_CONSTRAINT);
  const target = new ConstructsMakerProviderTarget(constraint, Language.TYPESCRIPT);
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema);
  generator.generate(target);

  // As ConstructsMaker.updateVersionsFile / emitConstraintsFile do for a single provider.
  code.openFile("versions.json");
  code.line(JSON.stringify(generator.versions, null, 2));
  code.closeFile("versions.json");
  code.openFile("constraints.json");
  code.line(JSON.stringify({ cdktf: DISPLAY_VERSION, providers: { [constraint.fqn]: constraint.version } }, null, 2));
  code.closeFile("constraints.json");

  const written = await code.save(outdir);
  return written.map((f) => f.slice(resolve(outdir).length + 1)).sort();
}

/**
 * Loads cdktf's generator. It requires the root of @cdktf/commons, whose loading spawns
 * `terraform version -json` and, when that fails and checkpoint is not disabled, posts telemetry
 * to HashiCorp. Generation needs neither, and this machine has no network: while loading, point
 * the spawn at a path that does not exist (it fails at once, silently) and disable checkpoint.
 * Both are read once, at load, so the environment is put back right after.
 */
function loadCdktfGenerator() {
  const saved = { CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE, TERRAFORM_BINARY_NAME: process.env.TERRAFORM_BINARY_NAME };
  process.env.CHECKPOINT_DISABLE = "1";
  process.env.TERRAFORM_BINARY_NAME = "/nonexistent/terraform-is-not-needed-to-generate-bindings";
  try {
    const { TerraformProviderGenerator } = require("@cdktf/provider-generator/lib/get/generator/provider-generator") as ProviderGeneratorModule;
    const { Language, TerraformProviderConstraint } = require("@cdktf/commons/src/config") as CommonsConfigModule;
    const { ConstructsMakerProviderTarget } = require("@cdktf/commons/src/construct-maker-target") as CommonsTargetModule;
    const { DISPLAY_VERSION } = require("@cdktf/commons/src/version") as CommonsVersionModule;
    return { TerraformProviderGenerator, Language, TerraformProviderConstraint, ConstructsMakerProviderTarget, DISPLAY_VERSION };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * cdktf's schema reader (sanitizeProviderSchema in @cdktf/provider-schema) trims attribute types
 * that some providers print doubled, e.g. ["list","string","list","string"]. v4.45.1 has none;
 * fail loudly rather than silently generate something `cdktf get` would not.
 */
function assertSanitized(schema: ProviderSchema): void {
  const problems: string[] = [];
  const walk = (block: Block, path: string): void => {
    for (const [name, attr] of Object.entries(block.attributes ?? {})) {
      if (Array.isArray(attr.type) && attr.type.length !== 2) problems.push(`${path}.${name}`);
    }
    for (const [name, nested] of Object.entries(block.block_types ?? {})) walk(nested.block, `${path}.${name}`);
  };
  for (const provider of Object.values(schema.provider_schemas ?? {})) {
    walk(provider.provider.block, "provider");
    for (const [type, resource] of Object.entries(provider.resource_schemas ?? {})) walk(resource.block, type);
  }
  if (problems.length > 0) {
    throw new Error(`attribute types of unexpected length (cdktf would trim them): ${problems.join(", ")}`);
  }
}

/** The committed schema subset. */
export function readGrafanaSchemaSubset(): ProviderSchema {
  return JSON.parse(readFileSync(SUBSET_PATH, "utf8")) as ProviderSchema;
}

/** Regenerates into a staging folder, then swaps it in, so no stale file from an older run stays. */
async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const staging = mkdtempSync(join(tmpdir(), "grafana-bindings-"));
  try {
    const files = await generateGrafanaBindings(readGrafanaSchemaSubset(), staging);
    mkdirSync(join(CODE_MAKER_OUTPUT, "providers"), { recursive: true });
    for (const p of GENERATED_PATHS) {
      rmSync(join(CODE_MAKER_OUTPUT, p), { recursive: true, force: true });
      renameSync(join(staging, p), join(CODE_MAKER_OUTPUT, p));
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const folders = readdirSync(join(CODE_MAKER_OUTPUT, "providers/grafana")).length;
    console.log(`wrote ${files.length} files (${folders} entries in .gen/providers/grafana) in ${ms.toFixed(0)} ms`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
