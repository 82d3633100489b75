/**
 * The schema language of the service description, in one import: nodes and their inferred types
 * (schema/nodes.ts), the validator (schema/check.ts), message text (schema/text.ts) and what it
 * publishes (schema/jsonSchema.ts).
 */
export * from "./schema/nodes";
export { check, parse, prune, withDefaults } from "./schema/check";
export { closest, joinPath, nearestValues, show } from "./schema/text";
export { fieldDocs, toJsonSchema, type FieldDoc } from "./schema/jsonSchema";
