export * from "./types";
export * from "./model";
export * from "./metricContract";
export * from "./defaults";
export { ValidationError, normalizeService, normalizeServices } from "./normalize";
export { loadServicesFile, loadServicesFiles, parseDescriptionText, servicesFromData } from "./load";
export { SERVICE_SCHEMA, SERVICES_FILE_SCHEMA } from "./descriptionSchema";
export type { Issue } from "./schemaDsl";
