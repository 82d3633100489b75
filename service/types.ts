/**
 * The service description: what a product team writes, in TypeScript or as a YAML/JSON file of the
 * same shape (JSON Schema: `service/service-description.schema.json`; field reference with every
 * default: docs/description.md). The types are inferred from the one schema in service/description/,
 * so they cannot disagree with the validator.
 */
import type { Input } from "./schemaDsl";
import type { ALERTING_SCHEMA, ALERT_ROUTINGS, RECEIVER_SCHEMA } from "./description/alerting";
import type { DRIFT_SCHEMA } from "./description/drift";
import type { LOGS_SCHEMA } from "./description/logs";
import type { QUALITY_SCHEMA } from "./description/quality";
import type { SERVICE_SCHEMA } from "./description/service";
import type { SLO_SCHEMA } from "./description/slos";

export type { MetricContractOverrides } from "./description/metrics";

export type ServiceDescription = Input<typeof SERVICE_SCHEMA>;
export type SloDescription = Input<typeof SLO_SCHEMA>;
export type ReceiverDescription = Input<typeof RECEIVER_SCHEMA>;
export type AlertingDescription = Input<typeof ALERTING_SCHEMA>;
export type QualityDescription = Input<typeof QUALITY_SCHEMA>;
export type QualityScoreDescription = NonNullable<QualityDescription["scores"]>[number];
export type DriftDescription = Input<typeof DRIFT_SCHEMA>;
export type DriftFeatureDescription = NonNullable<DriftDescription["features"]>[number];
export type LogsDescription = Input<typeof LOGS_SCHEMA>;
export type StageDescription = NonNullable<ServiceDescription["stages"]>[number];
export type ModelDescription = NonNullable<ServiceDescription["models"]>[number];
export type ServiceKind = ServiceDescription["kind"];
export type Criticality = NonNullable<ServiceDescription["criticality"]>;
/** How Grafana routes a service's alerts (see `alerting.routing`). */
export type AlertRouting = (typeof ALERT_ROUTINGS)[number];
/**
 * A reference to a secret held outside the code: `ssm:/path/to/parameter` (SSM Parameter Store,
 * SecureString) or `secretsmanager:name-or-arn` (AWS Secrets Manager). Literal secrets are rejected.
 */
export type SecretRef = string;

/** A file may hold one service or several under `services`. */
export interface ServicesFile {
  readonly services: readonly ServiceDescription[];
}
