/**
 * A platform deployed elsewhere (the platform team's repository), seen from a product team's stack:
 * through the SSM parameters the platform stack publishes, or through explicit values.
 */
import { Construct } from "constructs";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { NAME_PATTERN } from "../service/descriptionSchema";
import { DATASOURCE_UID } from "../service/links";
import type { ServiceModel } from "../service/model";
import {
  platformParameterName,
  platformParameterPrefix,
  platformTags,
  type IObservabilityPlatform,
  type PlatformParameterKey,
} from "./platformContract";

/**
 * Explicit values of a platform deployed elsewhere (`ObservabilityPlatform.fromAttributes`): the
 * platform contract's values, where the data-source uids default to the ones the platform's shared
 * Grafana stack creates (`mlobs-amp-<environment>`, `mlobs-cloudwatch-<environment>`,
 * `mlobs-xray-<environment>`) and the tags to `environment` and `managed-by` only.
 */
export interface ObservabilityPlatformAttributes
  extends Pick<IObservabilityPlatform, "environment" | "region" | "kmsKeyArn" | "workspaceId" | "workspaceArn" | "remoteWriteUrl" | "queryUrl" | "grafanaUrl">,
    Partial<Pick<IObservabilityPlatform, "prometheusDataSourceUid" | "cloudWatchDataSourceUid" | "xrayDataSourceUid" | "tags">> {}

export interface FromEnvironmentOptions {
  /**
   * Prefix the platform published its parameters under.
   * @default `/mlobs/<environment>/platform`
   */
  readonly parameterPrefix?: string;
  /**
   * Tags on every resource of the services.
   * @default - `environment` and `managed-by` only
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Checks the environment name before it becomes part of parameter and resource names. */
export function checkEnvironmentName(environment: string, where: string): void {
  if (!NAME_PATTERN.test(environment))
    throw new Error(
      `${where}: environment ${JSON.stringify(environment.slice(0, 60))} is not a valid environment name; use 2-40 lower-case letters, digits and dashes, starting with a letter (e.g. "prod")`,
    );
}

/**
 * The imported platform. Values are fetched on first use (`valueOf`), so a stack reads only the
 * parameters its constructs need; registering a service creates nothing.
 */
export class ImportedObservabilityPlatform extends Construct implements IObservabilityPlatform {
  readonly environment: string;
  readonly tags: Readonly<Record<string, string>>;
  private readonly values = new Map<PlatformParameterKey, string>();
  private readonly services = new Set<string>();

  /** @param valueOf one value of the platform, given or read in this construct's scope */
  constructor(
    scope: Construct,
    id: string,
    environment: string,
    tags: Readonly<Record<string, string>> | undefined,
    private readonly valueOf: (self: Construct, key: PlatformParameterKey) => string,
  ) {
    super(scope, id);
    this.environment = environment;
    this.tags = platformTags(environment, tags);
  }

  private value(key: PlatformParameterKey): string {
    let v = this.values.get(key);
    if (v === undefined) {
      v = this.valueOf(this, key);
      this.values.set(key, v);
    }
    return v;
  }

  get region(): string {
    return this.value("region");
  }
  get kmsKeyArn(): string {
    return this.value("kms-key-arn");
  }
  get workspaceId(): string {
    return this.value("workspace-id");
  }
  get workspaceArn(): string {
    return this.value("workspace-arn");
  }
  get remoteWriteUrl(): string {
    return this.value("remote-write-url");
  }
  get queryUrl(): string {
    return this.value("query-url");
  }
  get grafanaUrl(): string {
    return this.value("grafana-url");
  }
  get prometheusDataSourceUid(): string {
    return this.value("datasource-uid-prometheus");
  }
  get cloudWatchDataSourceUid(): string {
    return this.value("datasource-uid-cloudwatch");
  }
  get xrayDataSourceUid(): string {
    return this.value("datasource-uid-xray");
  }

  registerService(service: ServiceModel): void {
    if (this.services.has(service.name))
      throw new Error(`service "${service.name}" is already registered on the ${this.environment} platform in this app; service names must be unique per environment`);
    this.services.add(service.name);
  }
}

/** A platform from explicit values; data-source uids default to the platform's convention. */
export function platformFromAttributes(scope: Construct, id: string, attrs: ObservabilityPlatformAttributes): ImportedObservabilityPlatform {
  checkEnvironmentName(attrs.environment, `ObservabilityPlatform.fromAttributes(${id})`);
  const env = attrs.environment;
  const given: Record<PlatformParameterKey, string> = {
    environment: env,
    region: attrs.region,
    "kms-key-arn": attrs.kmsKeyArn,
    "workspace-id": attrs.workspaceId,
    "workspace-arn": attrs.workspaceArn,
    "remote-write-url": attrs.remoteWriteUrl,
    "query-url": attrs.queryUrl,
    "grafana-url": attrs.grafanaUrl,
    "datasource-uid-prometheus": attrs.prometheusDataSourceUid ?? DATASOURCE_UID.prometheus(env),
    "datasource-uid-cloudwatch": attrs.cloudWatchDataSourceUid ?? DATASOURCE_UID.cloudwatch(env),
    "datasource-uid-xray": attrs.xrayDataSourceUid ?? DATASOURCE_UID.xray(env),
  };
  return new ImportedObservabilityPlatform(scope, id, env, attrs.tags, (_self, key) => given[key]);
}

/**
 * Reads the platform's published parameters with `aws_ssm_parameter` data sources (construct
 * `<id>/<key>`, one per parameter used) in `scope`'s stack. Every value is a Terraform reference,
 * known at plan; the environment name is not read back (it is part of the names).
 */
export function platformFromParameters(scope: Construct, id: string, environment: string, options: FromEnvironmentOptions = {}): ImportedObservabilityPlatform {
  checkEnvironmentName(environment, `ObservabilityPlatform.fromEnvironment(${id})`);
  const prefix = options.parameterPrefix ?? platformParameterPrefix(environment);
  return new ImportedObservabilityPlatform(
    scope,
    id,
    environment,
    options.tags,
    (self, key) => new DataAwsSsmParameter(self, key, { name: platformParameterName(prefix, key) }).value,
  );
}
