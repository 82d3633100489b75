import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { GrafanaWorkspace } from "@cdktf/provider-aws/lib/grafana-workspace";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import {
  PrometheusWorkspaceConfiguration,
  prometheusWorkspaceConfigurationLimitsPerLabelSetToTerraform as limitToTerraform,
} from "@cdktf/provider-aws/lib/prometheus-workspace-configuration";
import { XrayEncryptionConfig } from "@cdktf/provider-aws/lib/xray-encryption-config";
import { XrayGroup } from "@cdktf/provider-aws/lib/xray-group";
import { httpsUrlProblem } from "../service/inputLimits";
import { DATASOURCE_UID } from "../service/links";
import type { ServiceModel } from "../service/model";
import {
  platformFromAttributes,
  platformFromParameters,
  type FromEnvironmentOptions,
  type ObservabilityPlatformAttributes,
} from "./importedPlatform";
import { createManagedGrafana } from "./managedGrafana";
import { boundedName } from "../service/naming";
import {
  PLATFORM_PARAMETER_KEYS,
  platformParameterName,
  platformParameterPrefix,
  platformTags,
  type IObservabilityPlatform,
  type PlatformParameterKey,
} from "./platformContract";
import { createPlatformKey } from "./platformKey";
import { literalText } from "./terraformText";

/** Where dashboards and alerts live. */
export type GrafanaTarget =
  | {
      /** An Amazon Managed Grafana workspace created by the platform. */
      readonly kind: "managed";
      /**
       * How people sign in.
       * @default ["AWS_SSO"]
       */
      readonly authenticationProviders?: readonly ("AWS_SSO" | "SAML")[];
      /**
       * Lifetime of the deploy token the Grafana stack uses, seconds. A fresh token is minted on
       * every apply of the platform stack, so deploy the Grafana stack right after it (the
       * pipeline does).
       * @default 7200
       */
      readonly deployTokenTtlSeconds?: number;
      /**
       * Grafana version of the workspace. Services that route per rule (`alerting.routing:
       * per-rule`) need Grafana 11 or later, where simplified routing (rule notification
       * settings) is on by default; 10.4 has it behind a feature toggle.
       * @default "10.4"
       */
      readonly grafanaVersion?: string;
    }
  | {
      /** Your own Grafana; its token comes from the Grafana stack's sensitive variable `grafana_auth`. */
      readonly kind: "external";
      /** Base URL, e.g. https://grafana.example.com */
      readonly url: string;
    };

export interface ObservabilityPlatformProps {
  /** Environment name (`staging`, `prod`); part of every resource name. */
  readonly environment: string;
  /**
   * Days Amazon Managed Prometheus keeps samples.
   * @default 150
   */
  readonly metricsRetentionDays?: number;
  /**
   * Active series one service may write before AMP drops its samples (a label-set limit on the
   * service's selector), so one cardinality explosion cannot starve the others.
   * @default 250000
   */
  readonly maxSeriesPerService?: number;
  /**
   * Days KMS waits before deleting the key once scheduled.
   * @default 30
   */
  readonly kmsKeyDeletionWindowDays?: number;
  /**
   * Days CloudWatch keeps the AMP workspace's own logs (rule and alerting errors).
   * @default 30
   */
  readonly workspaceLogRetentionDays?: number;
  /**
   * Grafana for dashboards and alerts.
   * @default { kind: "managed" }: an Amazon Managed Grafana workspace with AWS SSO sign-in
   */
  readonly grafana?: GrafanaTarget;
  /**
   * Tags on every resource that takes them.
   * @default - `environment` and `managed-by` only
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Prefix of the SSM parameters that publish what services need (workspace, key, URLs, data-source
   * uids) for stacks in other repositories (`ObservabilityPlatform.fromEnvironment`).
   * @default `/mlobs/<environment>/platform`
   */
  readonly parameterPrefix?: string;
}

/**
 * One per environment (account and region): metrics storage, the encryption key every log group
 * and trace uses, and X-Ray settings. Services register on it (`registerService`) for their
 * label-set limits; they never create platform-wide resources themselves.
 */
export class ObservabilityPlatform extends Construct implements IObservabilityPlatform {
  /**
   * The platform of `environment`, deployed from another repository, read from the SSM parameters
   * its stack publishes (`/mlobs/<environment>/platform/<key>`) with data sources in `scope`'s stack.
   */
  static fromEnvironment(scope: Construct, id: string, environment: string, options: FromEnvironmentOptions = {}): IObservabilityPlatform {
    return platformFromParameters(scope, id, environment, options);
  }

  /** A platform deployed elsewhere, from explicit values. */
  static fromAttributes(scope: Construct, id: string, attrs: ObservabilityPlatformAttributes): IObservabilityPlatform {
    return platformFromAttributes(scope, id, attrs);
  }

  readonly environment: string;
  readonly kmsKey: KmsKey;
  readonly workspace: PrometheusWorkspace;
  /** Remote-write URL for collectors (a Terraform reference). */
  readonly remoteWriteUrl: string;
  /** Query URL for Grafana data sources (a Terraform reference). */
  readonly queryUrl: string;
  /** Region name (a Terraform reference to the provider's region). */
  readonly region: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly grafana: GrafanaTarget;
  /** Grafana base URL (a Terraform reference for a managed workspace). */
  readonly grafanaUrl: string;
  /** Deploy token of the managed workspace (sensitive Terraform reference); undefined for external Grafana. */
  readonly grafanaDeployToken?: string;
  readonly grafanaWorkspace?: GrafanaWorkspace;
  private readonly services = new Map<string, ServiceModel>();

  constructor(scope: Construct, id: string, props: ObservabilityPlatformProps) {
    super(scope, id);
    literalText(this); // description text reaches Terraform as literal text, never as a template
    this.environment = props.environment;
    this.tags = platformTags(props.environment, props.tags);

    const identity = new DataAwsCallerIdentity(this, "account");
    const region = new DataAwsRegion(this, "region");
    const partition = new DataAwsPartition(this, "partition");
    this.region = region.name;

    this.kmsKey = createPlatformKey(this, {
      environment: props.environment,
      deletionWindowDays: props.kmsKeyDeletionWindowDays ?? 30,
      accountId: identity.accountId,
      region: region.name,
      partition: partition.partition,
      tags: this.tags,
    });
    this.workspace = this.createWorkspace(props);
    this.remoteWriteUrl = `${this.workspace.prometheusEndpoint}api/v1/remote_write`;
    this.queryUrl = this.workspace.prometheusEndpoint;

    this.grafana = props.grafana ?? { kind: "managed" };
    if (this.grafana.kind === "managed") {
      const g = createManagedGrafana(this, { environment: props.environment, target: this.grafana, partition: partition.partition, tags: this.tags });
      this.grafanaWorkspace = g.workspace;
      this.grafanaUrl = `https://${g.workspace.endpoint}`;
      this.grafanaDeployToken = g.token;
    } else {
      const problem = httpsUrlProblem(this.grafana.url, "https://grafana.example.com");
      if (problem) throw new Error(`grafana.url ${problem}`);
      this.grafanaUrl = this.grafana.url.replace(/\/+$/, "");
    }

    new XrayEncryptionConfig(this, "xray-encryption", { type: "KMS", keyId: this.kmsKey.arn });
    new XrayGroup(this, "xray-faults", {
      groupName: boundedName(["obs", props.environment, "faults"], 32),
      filterExpression: "fault = true",
      insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false },
      tags: this.tags,
    });

    this.publishParameters(props.parameterPrefix ?? platformParameterPrefix(props.environment));
  }

  /** The AMP workspace, logging to its own encrypted log group, with one series limit per registered service. */
  private createWorkspace(props: ObservabilityPlatformProps): PrometheusWorkspace {
    const maxSeries = props.maxSeriesPerService ?? 250000;
    const workspaceLogs = new CloudwatchLogGroup(this, "workspace-logs", {
      name: `/aws/vendedlogs/prometheus/observability-${props.environment}`,
      retentionInDays: props.workspaceLogRetentionDays ?? 30,
      kmsKeyId: this.kmsKey.arn,
      tags: this.tags,
    });
    const workspace = new PrometheusWorkspace(this, "workspace", {
      alias: `observability-${props.environment}`,
      kmsKeyArn: this.kmsKey.arn,
      loggingConfiguration: { logGroupArn: `${workspaceLogs.arn}:*` },
      tags: this.tags,
    });
    new PrometheusWorkspaceConfiguration(this, "workspace-config", {
      workspaceId: workspace.id,
      retentionPeriodInDays: props.metricsRetentionDays ?? 150,
      // One limit per registered service, on its selector; rendered at synth so services can
      // register after the platform is built. A lazy value skips the binding's snake_case mapping,
      // hence the explicit *ToTerraform call.
      limitsPerLabelSet: Lazy.anyValue({
        produce: () =>
          [...this.services.values()]
            .sort((a, b) => (a.name < b.name ? -1 : 1))
            .map((s) => limitToTerraform({ labelSet: Object.fromEntries(s.selector), limits: [{ maxSeries }] })),
      }) as never,
    });
    return workspace;
  }

  get kmsKeyArn(): string {
    return this.kmsKey.arn;
  }
  get workspaceId(): string {
    return this.workspace.id;
  }
  get workspaceArn(): string {
    return this.workspace.arn;
  }
  get prometheusDataSourceUid(): string {
    return DATASOURCE_UID.prometheus(this.environment);
  }
  get cloudWatchDataSourceUid(): string {
    return DATASOURCE_UID.cloudwatch(this.environment);
  }
  get xrayDataSourceUid(): string {
    return DATASOURCE_UID.xray(this.environment);
  }

  /**
   * The contract for stacks in other repositories: one String parameter per value a service needs.
   * None is a secret (the Grafana deploy token stays in this stack), so none is a SecureString.
   */
  private publishParameters(prefix: string): void {
    const values: Record<PlatformParameterKey, string> = {
      environment: this.environment,
      region: this.region,
      "workspace-id": this.workspaceId,
      "workspace-arn": this.workspaceArn,
      "remote-write-url": this.remoteWriteUrl,
      "query-url": this.queryUrl,
      "kms-key-arn": this.kmsKeyArn,
      "grafana-url": this.grafanaUrl,
      "datasource-uid-prometheus": this.prometheusDataSourceUid,
      "datasource-uid-cloudwatch": this.cloudWatchDataSourceUid,
      "datasource-uid-xray": this.xrayDataSourceUid,
    };
    const scope = new Construct(this, "parameters");
    for (const key of PLATFORM_PARAMETER_KEYS)
      new SsmParameter(scope, key, {
        name: platformParameterName(prefix, key),
        description: `ml-observability-stack platform of ${this.environment}: ${key} (read by ObservabilityPlatform.fromEnvironment)`,
        type: "String",
        value: values[key],
        tags: this.tags,
      });
  }

  /** Registers a service so the platform sets its label-set limit. Names must be unique. */
  registerService(service: ServiceModel): void {
    if (this.services.has(service.name))
      throw new Error(`service "${service.name}" is already registered on the ${this.environment} platform; service names must be unique per environment`);
    this.services.set(service.name, service);
  }
}
