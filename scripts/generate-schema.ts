/**
 * Writes the published JSON Schema of a service description (`npm run gen:schema`):
 * `service/service-description.schema.json`, for editor completion and validation of YAML/JSON
 * descriptions (`# yaml-language-server: $schema=../service/service-description.schema.json`).
 *
 * The schema comes from the same definition as the validator (service/descriptionSchema.ts through
 * `toJsonSchema`), so the two cannot drift apart; test/schema.test.ts fails when the committed file
 * is stale. A file holds one service or several under `services`, so the root accepts either
 * (`oneOf`), both built from one `$defs/service`. Output is deterministic: 2-space indent, key
 * order as defined, trailing newline.
 */
import { isDeepStrictEqual } from "node:util";
import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SERVICES_FILE_SCHEMA, SERVICE_SCHEMA } from "../service/descriptionSchema";
import { toJsonSchema } from "../service/schemaDsl";

/** Where the schema is committed, relative to the project root. */
export const SCHEMA_FILE = "service/service-description.schema.json";

const SERVICE_REF = { $ref: "#/$defs/service" };

/** The published schema, as data. */
export function serviceDescriptionJsonSchema(): Record<string, unknown> {
  const service = toJsonSchema(SERVICE_SCHEMA);
  const servicesFile = toJsonSchema(SERVICES_FILE_SCHEMA) as {
    properties: { services: { items: unknown } & Record<string, unknown> };
  } & Record<string, unknown>;
  // The services file embeds the service schema; point at the one definition instead of a copy.
  // Fail loudly if the DSL ever stops embedding it as-is, rather than publish a wrong reference.
  if (!isDeepStrictEqual(servicesFile.properties.services.items, service))
    throw new Error("SERVICES_FILE_SCHEMA.services no longer holds SERVICE_SCHEMA items; update scripts/generate-schema.ts");
  servicesFile.properties.services.items = SERVICE_REF;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "urn:ml-observability-stack:service-description",
    title: "ML/GenAI service description",
    description:
      "One service to observe (an ML or GenAI service with its SLOs, quality, drift, cost, logs, tracing and alert routing), or several under `services`.",
    oneOf: [SERVICE_REF, { $ref: "#/$defs/servicesFile" }],
    $defs: { service, servicesFile },
  };
}

/** The file's exact bytes. */
export function renderSchema(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (require.main === module) {
  const root = join(__dirname, "..");
  const file = join(root, SCHEMA_FILE);
  writeFileSync(file, renderSchema(serviceDescriptionJsonSchema()));
  process.stdout.write(`wrote ${relative(process.cwd(), file) || file}\n`);
}
