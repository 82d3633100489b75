/**
 * What a product team deploys from its own repository against a platform its platform team
 * deployed from another: the service's AWS stack and its Grafana stack, both reading the platform
 * only through the SSM parameters it publishes (`ObservabilityPlatform.fromEnvironment`), and
 * routing alerts per rule, so no org-wide resource (workspace, key, Grafana workspace,
 * notification policy) is created or changed here.
 */
import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { serviceDashboards } from "../dashboards";
import type { ServiceModel } from "../service/model";
import { normalizeService } from "../service/normalize";
import type { AlertRouting, ServiceDescription } from "../service/types";
import { ServiceGrafana } from "./grafana/ServiceGrafana";
import { ObservabilityPlatform } from "./ObservabilityPlatform";
import { ServiceObservability, isServiceModel } from "./ServiceObservability";
import { configureGrafanaProvider, configureStack, stackId, type EnvironmentConfig, type StateBackendConfig } from "./stacks";
import { PLATFORM_STACK_PART, GRAFANA_STACK_PART, grafanaStackPart } from "../service/names";

export interface TeamServiceStacksProps {
  /** The environment the platform was deployed to (its name) and its region. */
  readonly environment: Pick<EnvironmentConfig, "name" | "region">;
  /** The service: a description (validated here; throws ValidationError) or a normalized model. */
  readonly service: ServiceDescription | ServiceModel;
  /**
   * Where Terraform keeps the two stacks' state; with S3, the keys are `<keyPrefix>/<stack id>.tfstate`,
   * so deploy each service from one repository only.
   * @default { kind: "local" }
   */
  readonly backend?: StateBackendConfig;
  /**
   * How alerts reach people. A team stack cannot change the org's notification policy, so its
   * rules name the service's own contact points; pass "policy" only when the platform repository's
   * policy routes your team.
   * @default "per-rule"
   */
  readonly routing?: AlertRouting;
  /**
   * Prefix the platform published its parameters under.
   * @default `/mlobs/<environment>/platform`
   */
  readonly parameterPrefix?: string;
  /**
   * Tags on every AWS resource of the service, over `environment` and `managed-by`.
   * @default - none beyond the service's own (service, team, owner, paging budget)
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface TeamServiceStacks {
  readonly model: ServiceModel;
  /** `obs-<env>-<service>`: log tiers, PII masking, saved queries, tracing, collector config, rule namespace. */
  readonly awsStack: TerraformStack;
  readonly service: ServiceObservability;
  /** `obs-<env>-<service>-grafana`: folder, dashboards, rule groups, the service's contact points and mute timing. */
  readonly grafanaStack: TerraformStack;
  readonly grafana: ServiceGrafana;
}

/**
 * Builds a team's two stacks for one service in one environment. The Grafana stack's token comes
 * from its sensitive variable `grafana_auth` (TF_VAR_grafana_auth): the platform's deploy token is
 * never published. Deploy the AWS stack first (the rules read its recording rules).
 */
export function buildTeamServiceStacks(scope: Construct, props: TeamServiceStacksProps): TeamServiceStacks {
  const env = props.environment;
  const backend = props.backend ?? { kind: "local" };
  const model = isServiceModel(props.service) ? props.service : normalizeService(props.service);
  for (const reserved of [PLATFORM_STACK_PART, GRAFANA_STACK_PART])
    if (model.name === reserved)
      throw new Error(`service "${model.name}": its stack would be ${stackId(env.name, reserved)}, the platform repository's own stack id; rename the service`);
  const fromEnvironment = (stack: TerraformStack) =>
    ObservabilityPlatform.fromEnvironment(stack, "platform", env.name, { parameterPrefix: props.parameterPrefix, tags: props.tags });

  const awsId = stackId(env.name, model.name);
  const awsStack = new TerraformStack(scope, awsId);
  configureStack(awsStack, awsId, env, backend);
  const service = new ServiceObservability(awsStack, "service", { platform: fromEnvironment(awsStack), service: model });

  // Its own reads of the parameters: a cross-stack reference would need the AWS stack's state.
  const grafanaId = stackId(env.name, grafanaStackPart(model.name));
  const grafanaStack = new TerraformStack(scope, grafanaId);
  configureStack(grafanaStack, grafanaId, env, backend);
  const platform = fromEnvironment(grafanaStack);
  configureGrafanaProvider(grafanaStack, env, platform);
  const grafana = new ServiceGrafana(grafanaStack, model.name, {
    model,
    platform,
    ruleGroups: service.ruleGroups,
    dashboards: serviceDashboards(model, { environment: env.name }),
    routing: props.routing ?? "per-rule",
    runbookLinks: { logGroupPrefix: service.logGroupPrefix, grafanaUrl: service.grafanaUrl },
  });
  grafanaStack.addDependency(awsStack);
  return { model, awsStack, service, grafanaStack, grafana };
}
