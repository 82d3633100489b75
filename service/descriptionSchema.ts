/** The schema of a service description, and of a file of several (defined in service/description/). */
export { SERVICE_SCHEMA, SERVICES_FILE_SCHEMA } from "./description/service";
export { DURATION_PATTERN, NAME_PATTERN } from "./description/common";
