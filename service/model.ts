/**
 * The normalized model: a validated description with every default applied. Generators
 * (alerts/, dashboards/) and constructs read only this, never the raw description. Its types come
 * from the section normalizers in service/description/, so a field added to a section's schema
 * reaches the model without another edit.
 */
import type { Output } from "./schemaDsl";
import type { RECEIVER_SCHEMA } from "./description/alerting";
import type { buildServiceModel } from "./description/service";
import type { buildSlo } from "./description/slos";

export type ServiceModel = ReturnType<typeof buildServiceModel>;
export type SloModel = ReturnType<typeof buildSlo>;
export type SliKind = SloModel["sli"]["kind"];
export type ReceiverModel = Output<typeof RECEIVER_SCHEMA>;
export type DriftFeatureModel = ServiceModel["drift"]["features"][number];
