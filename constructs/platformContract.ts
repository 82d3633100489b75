/**
 * The platform as a contract: what a service's stacks need from the environment's platform, and
 * the SSM parameters under which the platform stack publishes it, so a product team's stacks can
 * read it from their own repository without the platform's Terraform state.
 */
import type { ServiceModel } from "../service/model";

/**
 * What ServiceObservability and the Grafana side consume of a platform. A live
 * `ObservabilityPlatform` implements it; so do `ObservabilityPlatform.fromEnvironment` (SSM
 * parameters) and `ObservabilityPlatform.fromAttributes` (explicit values).
 */
export interface IObservabilityPlatform {
  /** Environment name (`staging`, `prod`); part of every resource name. */
  readonly environment: string;
  /** Region name (may be a Terraform reference). */
  readonly region: string;
  /** Tags every service resource starts from. */
  readonly tags: Readonly<Record<string, string>>;
  /** ARN of the KMS key that encrypts logs, metrics and traces. */
  readonly kmsKeyArn: string;
  /** Id of the AMP workspace (recording rules go there). */
  readonly workspaceId: string;
  /** ARN of the AMP workspace. */
  readonly workspaceArn: string;
  /** Remote-write URL for collectors. */
  readonly remoteWriteUrl: string;
  /** Query URL for Grafana data sources. */
  readonly queryUrl: string;
  /** Grafana base URL, no trailing slash. */
  readonly grafanaUrl: string;
  /** uid of the AMP data source alert rules query. */
  readonly prometheusDataSourceUid: string;
  /** uid of the CloudWatch data source. */
  readonly cloudWatchDataSourceUid: string;
  /** uid of the X-Ray data source. */
  readonly xrayDataSourceUid: string;
  /**
   * Registers a service deployed on the platform. A live platform sets the service's label-set
   * limit; an imported one only refuses a second service of the same name in this app.
   */
  registerService(service: ServiceModel): void;
}

/** Keys of the published parameters, each `<prefix>/<key>`, in the order they are written. */
export const PLATFORM_PARAMETER_KEYS = [
  "environment",
  "region",
  "workspace-id",
  "workspace-arn",
  "remote-write-url",
  "query-url",
  "kms-key-arn",
  "grafana-url",
  "datasource-uid-prometheus",
  "datasource-uid-cloudwatch",
  "datasource-uid-xray",
] as const;
export type PlatformParameterKey = (typeof PLATFORM_PARAMETER_KEYS)[number];

/** Where an environment's platform publishes its parameters: `/mlobs/<environment>/platform`. */
export const platformParameterPrefix = (environment: string) => `/mlobs/${environment}/platform`;

/** Full SSM name of one published parameter. */
export const platformParameterName = (prefix: string, key: PlatformParameterKey) => `${prefix.replace(/\/+$/, "")}/${key}`;

/** Tags an imported platform gives services: the same defaults a live platform uses. */
export function platformTags(environment: string, tags: Readonly<Record<string, string>> = {}): Readonly<Record<string, string>> {
  return { environment, "managed-by": "ml-observability-stack", ...tags };
}
