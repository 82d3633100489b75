import { Construct } from "constructs";
import { httpsUrlProblem } from "../service/inputLimits";
import { Fn, Lazy } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { GrafanaWorkspace } from "@cdktf/provider-aws/lib/grafana-workspace";
import { GrafanaWorkspaceServiceAccount } from "@cdktf/provider-aws/lib/grafana-workspace-service-account";
import { GrafanaWorkspaceServiceAccountToken } from "@cdktf/provider-aws/lib/grafana-workspace-service-account-token";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import {
  PrometheusWorkspaceConfiguration,
  prometheusWorkspaceConfigurationLimitsPerLabelSetToTerraform as limitToTerraform,
} from "@cdktf/provider-aws/lib/prometheus-workspace-configuration";
import { XrayEncryptionConfig } from "@cdktf/provider-aws/lib/xray-encryption-config";
import { XrayGroup } from "@cdktf/provider-aws/lib/xray-group";
import { DATASOURCE_UID } from "../service/links";
import type { ServiceModel } from "../service/model";
import {
  platformFromAttributes,
  platformFromParameters,
  type FromEnvironmentOptions,
  type ObservabilityPlatformAttributes,
} from "./importedPlatform";
import { boundedName } from "./naming";
import {
  PLATFORM_PARAMETER_KEYS,
  platformParameterName,
  platformParameterPrefix,
  platformTags,
  type IObservabilityPlatform,
  type PlatformParameterKey,
} from "./platformContract";
import { TerraformData } from "./terraformData";
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
    const maxSeries = props.maxSeriesPerService ?? 250000;

    const identity = new DataAwsCallerIdentity(this, "account");
    const region = new DataAwsRegion(this, "region");
    const partition = new DataAwsPartition(this, "partition");
    this.region = region.name;

    // The key encrypts log groups (CloudWatch Logs must be allowed in the key policy, scoped to
    // this account's log groups), the AMP workspace and X-Ray traces.
    const keyPolicy = new DataAwsIamPolicyDocument(this, "key-policy", {
      statement: [
        {
          sid: "AccountAdministers",
          principals: [{ type: "AWS", identifiers: [`arn:${partition.partition}:iam::${identity.accountId}:root`] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "CloudWatchLogsEncrypts",
          principals: [{ type: "Service", identifiers: [`logs.${region.name}.amazonaws.com`] }],
          actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          resources: ["*"],
          condition: [
            {
              test: "ArnLike",
              variable: "kms:EncryptionContext:aws:logs:arn",
              values: [`arn:${partition.partition}:logs:${region.name}:${identity.accountId}:log-group:*`],
            },
          ],
        },
      ],
    });
    this.kmsKey = new KmsKey(this, "key", {
      description: `Observability data of ${props.environment}: logs, metrics, traces`,
      enableKeyRotation: true,
      deletionWindowInDays: props.kmsKeyDeletionWindowDays ?? 30,
      policy: keyPolicy.json,
      tags: this.tags,
    });
    new KmsAlias(this, "key-alias", { name: `alias/observability-${props.environment}`, targetKeyId: this.kmsKey.keyId });

    const workspaceLogs = new CloudwatchLogGroup(this, "workspace-logs", {
      name: `/aws/vendedlogs/prometheus/observability-${props.environment}`,
      retentionInDays: props.workspaceLogRetentionDays ?? 30,
      kmsKeyId: this.kmsKey.arn,
      tags: this.tags,
    });
    this.workspace = new PrometheusWorkspace(this, "workspace", {
      alias: `observability-${props.environment}`,
      kmsKeyArn: this.kmsKey.arn,
      loggingConfiguration: { logGroupArn: `${workspaceLogs.arn}:*` },
      tags: this.tags,
    });
    this.remoteWriteUrl = `${this.workspace.prometheusEndpoint}api/v1/remote_write`;
    this.queryUrl = this.workspace.prometheusEndpoint;

    new PrometheusWorkspaceConfiguration(this, "workspace-config", {
      workspaceId: this.workspace.id,
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

    this.grafana = props.grafana ?? { kind: "managed" };
    if (this.grafana.kind === "managed") {
      const g = this.managedGrafana(props.environment, this.grafana, partition.partition);
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

  private managedGrafana(env: string, g: Extract<GrafanaTarget, { kind: "managed" }>, partition: string) {
    const scope = new Construct(this, "grafana");
    // The workspace reads AMP, CloudWatch and X-Ray with its own role.
    const role = new IamRole(scope, "role", {
      name: `observability-grafana-${env}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "grafana.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: this.tags,
    });
    const policies = {
      prometheus: "policy/AmazonPrometheusQueryAccess",
      cloudwatch: "policy/service-role/AmazonGrafanaCloudWatchAccess",
      xray: "policy/AWSXrayReadOnlyAccess",
    };
    for (const [id, policy] of Object.entries(policies))
      new IamRolePolicyAttachment(scope, `role-${id}`, { role: role.name, policyArn: `arn:${partition}:iam::aws:${policy}` });
    const workspace = new GrafanaWorkspace(scope, "workspace", {
      name: `observability-${env}`,
      description: `Dashboards and alerts of the ${env} ML/GenAI services`,
      accountAccessType: "CURRENT_ACCOUNT",
      authenticationProviders: [...(g.authenticationProviders ?? ["AWS_SSO"])],
      permissionType: "SERVICE_MANAGED",
      roleArn: role.arn,
      dataSources: ["PROMETHEUS", "CLOUDWATCH", "XRAY"],
      grafanaVersion: g.grafanaVersion ?? "10.4",
      configuration: JSON.stringify({ unifiedAlerting: { enabled: true }, plugins: { pluginAdminEnabled: false } }),
      tags: this.tags,
    });
    const account = new GrafanaWorkspaceServiceAccount(scope, "deployer", {
      name: "terraform-deployer",
      grafanaRole: "ADMIN",
      workspaceId: workspace.id,
    });
    // A short-lived token, replaced on every apply (terraform_data changes with timestamp()),
    // so no long-lived Grafana admin credential sits in state.
    // (TerraformData rather than cdktf's DataResource: synth then needs no terraform binary.)
    const rotation = new TerraformData(scope, "deploy-token-rotation", { appliedAt: Fn.timestamp() });
    const token = new GrafanaWorkspaceServiceAccountToken(scope, "deploy-token", {
      name: "terraform-deploy",
      secondsToLive: g.deployTokenTtlSeconds ?? 7200,
      serviceAccountId: account.serviceAccountId,
      workspaceId: workspace.id,
      // A bare address: cdktf would render the resource as an interpolation, which Terraform rejects here.
      lifecycle: { replaceTriggeredBy: [rotation.address] },
    });
    return { workspace, token: token.key };
  }

  /** Registers a service so the platform sets its label-set limit. Names must be unique. */
  registerService(service: ServiceModel): void {
    if (this.services.has(service.name))
      throw new Error(`service "${service.name}" is already registered on the ${this.environment} platform; service names must be unique per environment`);
    this.services.set(service.name, service);
  }

  /** Services registered so far, sorted by name. */
  get registeredServices(): ServiceModel[] {
    return [...this.services.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }
}
