import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GrafanaProvider } from "../.gen/providers/grafana/provider";
import { serviceDashboards } from "../dashboards";
import type { DefaultReceiver } from "../alerts/routing";
import type { ServiceModel } from "../service/model";
import { ObservabilityGrafana } from "./grafana/ObservabilityGrafana";
import { ServiceGrafana } from "./grafana/ServiceGrafana";
import { ObservabilityPlatform, type ObservabilityPlatformProps } from "./ObservabilityPlatform";
import type { IObservabilityPlatform } from "./platformContract";
import { ServiceObservability } from "./ServiceObservability";
import { literalText } from "./terraformText";
import { stackId, stackIdIssues } from "./stackNames";
import { ValidationError } from "../service/normalize";
import { PLATFORM_STACK_PART, GRAFANA_STACK_PART, grafanaStackPart } from "../service/names";

/** Where Terraform keeps state. */
export type StateBackendConfig =
  | {
      readonly kind: "local";
      /**
       * Folder for state files, relative to each stack's working directory (`cdktf.out/stacks/<stack>`),
       * so synthesized output does not depend on where the project is checked out.
       * @default "../../../.state" (a `.state/` folder at the project root)
       */
      readonly dir?: string;
    }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly region: string;
      /** @default "observability" */
      readonly keyPrefix?: string;
      /** KMS key for state encryption. @default - the bucket's default encryption (SSE-S3) */
      readonly kmsKeyId?: string;
      /** DynamoDB lock table, for pipelines on Terraform < 1.10. @default - S3 native lock files */
      readonly dynamodbTable?: string;
    };

export interface EnvironmentConfig {
  /** Environment name, e.g. `prod`. */
  readonly name: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** Platform settings for this environment. @default - the platform's defaults */
  readonly platform?: Omit<ObservabilityPlatformProps, "environment">;
  /**
   * Where alerts that match no team route go, in this environment's notification policy: the name
   * of a team's contact point (`<team>-page` or `<team>-ticket` of a service deployed here and routed
   * by policy), or a receiver of its own (the contact point "catch-all"). See ObservabilityGrafana.
   */
  readonly defaultReceiver: DefaultReceiver;
}

export interface ObservabilityAppProps {
  readonly environments: readonly EnvironmentConfig[];
  readonly services: readonly ServiceModel[];
  /** @default { kind: "local" } */
  readonly backend?: StateBackendConfig;
}

export { stackId } from "./stackNames";

export function configureStack(stack: TerraformStack, id: string, env: Pick<EnvironmentConfig, "name" | "region">, backend: StateBackendConfig): void {
  literalText(stack); // providers and backends too: every string the stack writes is literal text
  new AwsProvider(stack, "aws", {
    region: env.region,
    defaultTags: [{ tags: { "managed-by": "ml-observability-stack", environment: env.name } }],
  });
  if (backend.kind === "local") {
    new LocalBackend(stack, { path: `${backend.dir ?? "../../../.state"}/${id}.tfstate` });
  } else {
    const s3 = new S3Backend(stack, {
      bucket: backend.bucket,
      key: `${backend.keyPrefix ?? "observability"}/${id}.tfstate`,
      region: backend.region,
      encrypt: true,
      kmsKeyId: backend.kmsKeyId,
      dynamodbTable: backend.dynamodbTable,
    });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21 predates the option, so set it raw.
    if (!backend.dynamodbTable) s3.addOverride("use_lockfile", true);
  }
}

/** AWS side of one environment: the platform. */
export class PlatformStack extends TerraformStack {
  readonly platform: ObservabilityPlatform;
  constructor(scope: Construct, env: EnvironmentConfig, backend: StateBackendConfig) {
    const id = stackId(env.name, PLATFORM_STACK_PART);
    super(scope, id);
    configureStack(this, id, env, backend);
    this.platform = new ObservabilityPlatform(this, "platform", { environment: env.name, ...env.platform });
  }
}

/**
 * AWS side of one service in one environment; reads a live platform through cross-stack
 * references (a team's own stack reads it from SSM instead: TeamServiceStacks).
 */
export class ServiceStack extends TerraformStack {
  readonly service: ServiceObservability;
  constructor(scope: Construct, env: EnvironmentConfig, backend: StateBackendConfig, platform: IObservabilityPlatform, model: ServiceModel) {
    const id = stackId(env.name, model.name);
    super(scope, id);
    configureStack(this, id, env, backend);
    this.service = new ServiceObservability(this, "service", { platform, service: model });
  }
}

/**
 * The Grafana provider of a stack: URL and deploy token from a live platform, or the sensitive
 * `grafana_auth` variable (your own Grafana, or a team's stack: the platform's token is never published).
 */
export function configureGrafanaProvider(
  stack: TerraformStack,
  env: Pick<EnvironmentConfig, "name">,
  platform: Pick<IObservabilityPlatform, "grafanaUrl"> & { readonly grafanaDeployToken?: string },
): void {
  const auth =
    platform.grafanaDeployToken ??
    new TerraformVariable(stack, "grafana_auth", {
      type: "string",
      sensitive: true,
      nullable: false,
      description: `Service-account token of the ${env.name} Grafana (set TF_VAR_grafana_auth in the pipeline)`,
    }).stringValue;
  new GrafanaProvider(stack, "grafana", { url: platform.grafanaUrl, auth });
}

/**
 * Grafana side shared by one environment: data sources, the message template, mute timings, one
 * contact point per team and severity, and the org's one notification policy, routing every
 * registered service. Reads the Grafana URL, deploy token and AMP URL from the platform stack
 * (cross-stack references), or, for your own Grafana, the token from the sensitive variable
 * `grafana_auth`. Each service's folder, dashboards and alert rules live in its own
 * ServiceGrafanaStack.
 */
export class GrafanaStack extends TerraformStack {
  readonly grafana: ObservabilityGrafana;
  /** @param services the services deployed in this environment (their teams' routes go in the policy) */
  constructor(scope: Construct, env: EnvironmentConfig, backend: StateBackendConfig, platform: ObservabilityPlatform, services: readonly ServiceModel[]) {
    const id = stackId(env.name, GRAFANA_STACK_PART);
    super(scope, id);
    configureStack(this, id, env, backend);
    configureGrafanaProvider(this, env, platform);
    this.grafana = new ObservabilityGrafana(this, "grafana-content", {
      environment: env.name,
      region: env.region,
      prometheusUrl: platform.queryUrl,
      awsAuthType: platform.grafana.kind === "managed" ? "ec2_iam_role" : "default",
      defaultReceiver: env.defaultReceiver,
    });
    for (const model of services) this.grafana.registerService(model);
  }
}

/**
 * Grafana content of one service in one environment: its folder, three dashboards and alert rule
 * groups, in a stack of its own (`obs-<env>-<service>-grafana`) so a change to one service plans
 * and applies only that service's Grafana resources, and no Terraform state grows with the number
 * of services. Deploys after the environment's GrafanaStack (the alert rules query its data source).
 */
export class ServiceGrafanaStack extends TerraformStack {
  readonly grafana: ServiceGrafana;
  /**
   * @param service the service with its rule groups (as ServiceObservability generated them; they are not generated twice)
   * and, for its runbook pages, the log group prefix and Grafana URL it was given
   */
  constructor(
    scope: Construct,
    env: EnvironmentConfig,
    backend: StateBackendConfig,
    platform: IObservabilityPlatform,
    service: Pick<ServiceObservability, "model" | "ruleGroups"> & Partial<Pick<ServiceObservability, "logGroupPrefix" | "grafanaUrl">>,
  ) {
    const { model, ruleGroups } = service;
    const id = stackId(env.name, grafanaStackPart(model.name));
    super(scope, id);
    configureStack(this, id, env, backend);
    configureGrafanaProvider(this, env, platform);
    this.grafana = new ServiceGrafana(this, model.name, {
      model,
      ruleGroups,
      dashboards: serviceDashboards(model, { environment: env.name }),
      platform,
      runbookLinks: { logGroupPrefix: service.logGroupPrefix, grafanaUrl: service.grafanaUrl },
    });
  }
}

/**
 * Builds every stack. Per environment: a platform stack, one AWS stack per service deployed there,
 * the shared Grafana stack, and one Grafana stack per service.
 */
export function buildObservabilityApp(scope: Construct, props: ObservabilityAppProps) {
  const backend = props.backend ?? { kind: "local" };
  const seen = new Set<string>();
  for (const s of props.services) {
    if (seen.has(s.name)) throw new ValidationError([{ path: `${s.name}: name`, message: `service "${s.name}" is given twice; service names must be unique` }]);
    seen.add(s.name);
  }
  const issues = props.environments.flatMap((env) => stackIdIssues(env.name, props.services.filter((s) => s.environments.includes(env.name))));
  if (issues.length > 0) throw new ValidationError(issues);
  // Plain loops rather than map callbacks: cdktf records a full stack trace for every token the
  // constructs below mint (thousands per environment), and each callback level adds frames to
  // every one of them.
  const built = [];
  for (const env of props.environments) {
    const platformStack = new PlatformStack(scope, env, backend);
    const deployed = props.services.filter((s) => s.environments.includes(env.name));
    const serviceStacks: ServiceStack[] = [];
    for (const s of deployed) {
      const stack = new ServiceStack(scope, env, backend, platformStack.platform, s);
      stack.addDependency(platformStack);
      serviceStacks.push(stack);
    }
    const grafanaStack = new GrafanaStack(scope, env, backend, platformStack.platform, deployed);
    grafanaStack.addDependency(platformStack);
    const serviceGrafanaStacks: ServiceGrafanaStack[] = [];
    for (const s of serviceStacks) {
      const stack = new ServiceGrafanaStack(scope, env, backend, platformStack.platform, s.service);
      stack.addDependency(platformStack);
      stack.addDependency(grafanaStack);
      serviceGrafanaStacks.push(stack);
    }
    built.push({ environment: env.name, platformStack, serviceStacks, grafanaStack, serviceGrafanaStacks });
  }
  return built;
}
