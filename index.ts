/**
 * The public API for product teams: `import { ServiceObservability, ObservabilityPlatform } from "ml-observability-stack"`.
 * Generators are exported too, for use outside Terraform.
 */
export * from "./service";
export { ObservabilityPlatform, type ObservabilityPlatformProps, type GrafanaTarget } from "./constructs/ObservabilityPlatform";
export {
  PLATFORM_PARAMETER_KEYS,
  platformParameterName,
  platformParameterPrefix,
  type IObservabilityPlatform,
  type PlatformParameterKey,
} from "./constructs/platformContract";
export type { FromEnvironmentOptions, ObservabilityPlatformAttributes } from "./constructs/importedPlatform";
export { buildTeamServiceStacks, type TeamServiceStacks, type TeamServiceStacksProps } from "./constructs/teamStacks";
export { ServiceObservability, type ServiceObservabilityProps, isServiceModel } from "./constructs/ServiceObservability";
export { ObservabilityGrafana, type ObservabilityGrafanaProps } from "./constructs/grafana/ObservabilityGrafana";
export { ServiceGrafana, type ServiceGrafanaProps, type DashboardSpec } from "./constructs/grafana/ServiceGrafana";
export {
  buildObservabilityApp,
  GrafanaStack,
  ServiceGrafanaStack,
  PlatformStack,
  ServiceStack,
  stackId,
  type EnvironmentConfig,
  type ObservabilityAppProps,
  type StateBackendConfig,
} from "./constructs/stacks";
export { synthAtomically, resolveOutdir } from "./constructs/atomicSynth";
export { serviceRuleGroups, recordingGroups, alertGroups, type RuleContext } from "./alerts";
export { renderRuleFile } from "./alerts/render/prometheusRules";
export { buildRoutingTree, perRuleRouting } from "./alerts/routing";
export { renderAlertmanagerConfig } from "./alerts/render/alertmanager";
export { BURN_WINDOWS, burnFactor } from "./alerts/burnRateWindows";
export { SLO_RULE, LABEL } from "./alerts/conventions";
export { serviceDashboards } from "./dashboards";
export { serviceRunbooks, type RunbookContext, type RunbookPage } from "./runbooks";
