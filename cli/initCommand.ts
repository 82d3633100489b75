/** `mlobs init <service.yaml>`: writes the starter description (starter.ts) with a path to the published JSON Schema, for editor completion. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { starterDescription, starterProblems, type StarterKind } from "./starter";
import { commandLineError, UsageError } from "./usageError";

/** The published JSON Schema, next to the sources in a checkout and in the installed package alike. */
const SCHEMA_FILE = [join(__dirname, "..", "service"), join(__dirname, "..", "..", "service")]
  .map((dir) => join(dir, "service-description.schema.json"))
  .find((f) => existsSync(f)) ?? join(__dirname, "..", "service", "service-description.schema.json");

export interface InitArgs {
  readonly positional: readonly string[];
  readonly values: Readonly<Record<string, string>>;
  readonly on: ReadonlySet<string>;
}

export function initCommand({ positional, values, on }: InitArgs, out: (line: string) => void): number {
  if (positional.length !== 1) throw commandLineError("give the one file to write, e.g. mlobs init my-service.yaml");
  const file = positional[0];
  const name = values["--name"] ?? basename(file).replace(/\.(ya?ml|json)$/i, "");
  const options = { name, team: values["--team"] ?? `${name}-team`.slice(0, 40), kind: values["--kind"] ?? "llm-gateway" };
  const problems = starterProblems(options, { name: values["--name"] === undefined, team: values["--team"] === undefined });
  if (problems.length > 0) throw new UsageError(problems.join("; "));
  if (existsSync(file) && !on.has("--force")) throw new UsageError(`${file} exists; pass --force to overwrite it`);
  const schemaPath = relative(dirname(resolve(file)), SCHEMA_FILE).split(sep).join("/");
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, starterDescription({ ...options, kind: options.kind as StarterKind, schemaPath }));
  out(`wrote ${file}; edit the owner, secrets and runbook URL, then run mlobs validate ${file}`);
  return 0;
}
