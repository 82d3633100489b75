import { Construct } from "constructs";
import { AnnotationMetadataEntryType } from "cdktf";
import { CloudwatchLogDataProtectionPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-data-protection-policy";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { PrometheusRuleGroupNamespace } from "@cdktf/provider-aws/lib/prometheus-rule-group-namespace";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { XrayGroup } from "@cdktf/provider-aws/lib/xray-group";
import { XraySamplingRule } from "@cdktf/provider-aws/lib/xray-sampling-rule";
import { recordingGroups, serviceRuleGroups } from "../alerts";
import { sloNotes } from "../alerts/sloNotes";
import { renderRuleFile } from "../alerts/render/prometheusRules";
import { emitYaml } from "../alerts/render/yamlEmit";
import type { RuleGroup } from "../alerts/ruleModel";
import { httpsUrlProblem } from "../service/inputLimits";
import { LOG_TIERS, type LogTier } from "../service/logContract";
import type { ServiceModel } from "../service/model";
import { normalizeService } from "../service/normalize";
import type { ServiceDescription } from "../service/types";
import { collectorConfig } from "../tracing/collectorConfig";
import { savedQueries, savedQueryName } from "../tracing/logQueries";
import { boundedName, stableNumber } from "../service/naming";
import type { IObservabilityPlatform } from "./platformContract";
import { literalText } from "./terraformText";
import { PAGING_BUDGET_TAG, defaultLogGroupPrefix, logGroupName, pagingBudgetTagValue } from "../service/names";

export interface ServiceObservabilityProps {
  /**
   * The environment's platform; the service registers on it and uses its key and workspace. A live
   * `ObservabilityPlatform` in this app, or one deployed elsewhere
   * (`ObservabilityPlatform.fromEnvironment` / `fromAttributes`).
   */
  readonly platform: IObservabilityPlatform;
  /** The service: a description (validated here; throws ValidationError) or an already normalized model. */
  readonly service: ServiceDescription | ServiceModel;
  /**
   * Prefix of the service's log group names; each tier appends `/<tier>`.
   * @default `/observability/<environment>/<service>`
   */
  readonly logGroupPrefix?: string;
  /**
   * SSM parameter name holding the OpenTelemetry Collector configuration.
   * @default `/observability/<environment>/<service>/otel-collector-config`
   */
  readonly collectorConfigParameterName?: string;
  /**
   * Grafana base URL for absolute `dashboard_url` links in alerts.
   * @default - root-relative links, which Grafana resolves against itself
   */
  readonly grafanaUrl?: string;
}

/** True when `s` is already a normalized model (its selector is a sorted list of pairs). */
export function isServiceModel(s: ServiceDescription | ServiceModel): s is ServiceModel {
  return Array.isArray((s as ServiceModel).selector);
}

/**
 * Everything one service needs on AWS: tiered, KMS-encrypted, PII-masked log groups with saved
 * queries; X-Ray sampling and groups; and the OpenTelemetry Collector configuration (tail sampling:
 * all errors, all slow requests, a baseline) in SSM for the service's collector to load.
 */
export class ServiceObservability extends Construct {
  readonly model: ServiceModel;
  readonly logGroups: Readonly<Record<LogTier, CloudwatchLogGroup>>;
  readonly collectorConfigParameter: SsmParameter;
  /** Every rule group of the service (recording rules and alerts), for the Grafana side to reuse. */
  readonly ruleGroups: readonly RuleGroup[];
  readonly ruleNamespace?: PrometheusRuleGroupNamespace;
  /** Prefix of the log group names (each tier appends `/<tier>`); runbook pages name the groups. */
  readonly logGroupPrefix: string;
  /** The Grafana base URL the alerts' dashboard links use, if any. */
  readonly grafanaUrl?: string;

  constructor(scope: Construct, id: string, props: ServiceObservabilityProps) {
    super(scope, id);
    literalText(this); // description text reaches Terraform as literal text, never as a template
    const model = isServiceModel(props.service) ? props.service : normalizeService(props.service);
    this.model = model;
    const { platform } = props;
    const env = platform.environment;
    checkDeployable(model, env, props.grafanaUrl);
    // Rules first: the alert-fatigue guard fails the synth before any resource is defined.
    this.ruleGroups = serviceRuleGroups(model, { environment: env, grafanaUrl: props.grafanaUrl });
    // Burn-rate windows the objectives put out of reach: warnings, not errors (a loose quality
    // SLO can be meant that way). `cdktf synth` prints them and the manifest keeps them; without a
    // stack trace, so the manifest stays the same wherever it is synthesized.
    for (const note of sloNotes(model)) this.node.addMetadata(AnnotationMetadataEntryType.WARN, `${model.name}: ${note}`, { stackTrace: false });
    platform.registerService(model);
    // The paging budget rides along as a tag so `mlobs lint` can judge synthesized output alone.
    const tags = { ...platform.tags, service: model.name, team: model.team, owner: model.owner, criticality: model.criticality, [PAGING_BUDGET_TAG]: pagingBudgetTagValue(model.alerting.pagingBudget) };

    this.logGroupPrefix = props.logGroupPrefix ?? defaultLogGroupPrefix(env, model.name);
    this.grafanaUrl = props.grafanaUrl;
    const logs = new Construct(this, "logs");
    const groups = this.createLogGroups(logs, this.logGroupPrefix, platform.kmsKeyArn, tags);
    this.logGroups = groups;
    // One reference token per tier: every attribute read mints a token with a full stack trace.
    const groupNames = Object.fromEntries(LOG_TIERS.map((t) => [t, groups[t].name])) as Record<LogTier, string>;
    this.maskPii(logs, groupNames);
    for (const q of savedQueries()) {
      new CloudwatchQueryDefinition(logs, `query-${q.id}`, {
        name: savedQueryName(env, model.name, q),
        logGroupNames: [groupNames[q.tier]],
        queryString: q.query,
      });
    }

    // Recording rules run in AMP, next to the data; Grafana evaluates the alerts over them.
    const recordings = recordingGroups(this.ruleGroups);
    if (recordings.length > 0)
      this.ruleNamespace = new PrometheusRuleGroupNamespace(this, "rules", {
        name: model.name,
        workspaceId: platform.workspaceId,
        data: renderRuleFile(recordings, [`Generated by ml-observability-stack for ${model.name} (${env}); do not edit.`]),
        tags,
      });

    this.collectorConfigParameter = this.createTracing(platform, groupNames, props.collectorConfigParameterName, tags);
  }

  /** Log tiers: one group each, encrypted with the platform key (`kmsKeyId`: one reference token for the four tiers). */
  private createLogGroups(logs: Construct, prefix: string, kmsKeyId: string, tags: Record<string, string>): Record<LogTier, CloudwatchLogGroup> {
    const groups = {} as Record<LogTier, CloudwatchLogGroup>;
    for (const tier of LOG_TIERS) {
      const audit = tier === "audit";
      groups[tier] = new CloudwatchLogGroup(logs, tier, {
        name: logGroupName(prefix, tier),
        retentionInDays: this.model.logs[tier].retentionDays,
        kmsKeyId,
        // The audit trail survives `terraform destroy` and refuses replacement.
        skipDestroy: audit,
        lifecycle: audit ? { preventDestroy: true } : undefined,
        tags: { ...tags, tier },
      });
    }
    return groups;
  }

  /** When the service masks PII: a data-protection policy per tier that audits and masks its PII identifiers. */
  private maskPii(logs: Construct, groupNames: Record<LogTier, string>): void {
    const model = this.model;
    if (model.logs.maskPii) {
      const partition = new DataAwsPartition(this, "partition").partition; // read once, as the group names are
      const identifiers = model.logs.piiIdentifiers.map((i) => `arn:${partition}:dataprotection::aws:data-identifier/${i}`);
      for (const tier of LOG_TIERS) {
        new CloudwatchLogDataProtectionPolicy(logs, `${tier}-pii-masking`, {
          logGroupName: groupNames[tier],
          // Plain JSON with the partition interpolated: resolves several times faster than Fn.jsonencode.
          policyDocument: JSON.stringify({
            Name: `${model.name}-${tier}-pii`,
            Version: "2021-06-01",
            Statement: [
              { Sid: "audit", DataIdentifier: identifiers, Operation: { Audit: { FindingsDestination: {} } } },
              { Sid: "redact", DataIdentifier: identifiers, Operation: { Deidentify: { MaskConfig: {} } } },
            ],
          }),
        });
      }
    }
  }

  /**
   * Tracing: head sampling for X-Ray SDKs, groups for the service's faults and slow requests,
   * and the collector config: tail sampling, span metrics and the logs tiers (returned: the SSM parameter holding it).
   */
  private createTracing(
    platform: IObservabilityPlatform,
    groupNames: Record<LogTier, string>,
    parameterName: string | undefined,
    tags: Record<string, string>,
  ): SsmParameter {
    const model = this.model;
    const env = platform.environment;
    const tracing = new Construct(this, "tracing");
    new XraySamplingRule(tracing, "sampling", {
      ruleName: boundedName([env, model.name], 32),
      priority: stableNumber(`${env}/${model.name}`, 9000) + 100,
      fixedRate: model.tracing.baselinePercent / 100,
      reservoirSize: 1,
      serviceName: model.name,
      serviceType: "*",
      host: "*",
      httpMethod: "*",
      urlPath: "*",
      resourceArn: "*",
      version: 1,
      tags,
    });
    new XrayGroup(tracing, "faults", {
      groupName: boundedName([env, model.name, "faults"], 32),
      filterExpression: `service("${model.name}") { fault = true OR error = true }`,
      insightsConfiguration: { insightsEnabled: true, notificationsEnabled: false },
      tags,
    });
    new XrayGroup(tracing, "slow", {
      groupName: boundedName([env, model.name, "slow"], 32),
      filterExpression: `service("${model.name}") AND responsetime > ${model.tracing.slowThresholdSeconds}`,
      tags,
    });
    return new SsmParameter(tracing, "collector-config", {
      name: parameterName ?? `/observability/${env}/${model.name}/otel-collector-config`,
      description: `OpenTelemetry Collector (otelcol-contrib v0.156.0) config for ${model.name} in ${env}: tail sampling, span metrics, remote write, tiered logs`,
      type: "String",
      tier: "Advanced",
      // Byte-identical to yaml's stringify(config, { lineWidth: 0, sortMapEntries: false }), faster.
      value: emitYaml(collectorConfig(model, { remoteWriteUrl: platform.remoteWriteUrl, region: new DataAwsRegion(this, "region").name, logGroups: groupNames })),
      tags,
    });
  }
}

/** Throws when the service cannot go to `env`: not listed there, or a `grafanaUrl` that is not https. */
function checkDeployable(model: ServiceModel, env: string, grafanaUrl: string | undefined): void {
  if (!model.environments.includes(env))
    throw new Error(
      `service "${model.name}" does not list environment "${env}" (it lists ${model.environments.join(", ")}); add "${env}" to its environments or do not deploy it there`,
    );
  const urlProblem = grafanaUrl === undefined ? undefined : httpsUrlProblem(grafanaUrl, "https://grafana.example.com");
  if (urlProblem) throw new Error(`grafanaUrl ${urlProblem}`);
}
