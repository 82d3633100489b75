/**
 * The bare cdktf baseline: the same stacks, resource types and counts as the project's output,
 * written the way a hand-made cdktf program would be: provider classes (deep imports) with
 * literal configs (the same attributes, tags and settings), large strings as literal text of the
 * same length, the same references (cross-stack, to data sources, to secrets), each attribute read
 * once where one read serves several uses. No service description, no validation, no generators,
 * no rule or dashboard model: what is left is what cdktf itself costs for this output.
 */
import { App, LocalBackend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchLogDataProtectionPolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-data-protection-policy";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchQueryDefinition } from "@cdktf/provider-aws/lib/cloudwatch-query-definition";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { GrafanaWorkspace } from "@cdktf/provider-aws/lib/grafana-workspace";
import { GrafanaWorkspaceServiceAccount } from "@cdktf/provider-aws/lib/grafana-workspace-service-account";
import { GrafanaWorkspaceServiceAccountToken } from "@cdktf/provider-aws/lib/grafana-workspace-service-account-token";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PrometheusRuleGroupNamespace } from "@cdktf/provider-aws/lib/prometheus-rule-group-namespace";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { PrometheusWorkspaceConfiguration } from "@cdktf/provider-aws/lib/prometheus-workspace-configuration";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { XrayEncryptionConfig } from "@cdktf/provider-aws/lib/xray-encryption-config";
import { XrayGroup } from "@cdktf/provider-aws/lib/xray-group";
import { XraySamplingRule } from "@cdktf/provider-aws/lib/xray-sampling-rule";
import { GrafanaProvider } from "../../.gen/providers/grafana/provider";
import { ContactPoint, type ContactPointConfig } from "../../.gen/providers/grafana/contact-point";
import { Dashboard } from "../../.gen/providers/grafana/dashboard";
import { DataSource } from "../../.gen/providers/grafana/data-source";
import { Folder } from "../../.gen/providers/grafana/folder";
import { MessageTemplate } from "../../.gen/providers/grafana/message-template";
import { MuteTiming } from "../../.gen/providers/grafana/mute-timing";
import { NotificationPolicy } from "../../.gen/providers/grafana/notification-policy";
import { RuleGroup } from "../../.gen/providers/grafana/rule-group";
import { TerraformData } from "../../constructs/terraformData";
import type { BaselineShape, ServiceShape } from "./shape";

// Literal text repeated to a given length. Chunks look like what they stand for (YAML rules,
// pretty-printed dashboard JSON, PromQL) so JSON escaping costs about the same.
const YAML_CHUNK = '- record: slo:sli_error:ratio_rate5m\n  expr: |-\n    sum(rate(http_server_request_duration_seconds_count{job="svc",http_response_status_code=~"5.."}[5m]))\n  labels:\n    service: svc\n    slo: availability\n';
const JSON_CHUNK = '    {\n      "datasource": { "type": "prometheus", "uid": "mlobs-amp-prod" },\n      "expr": "histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{job=\\"svc\\"}[5m])))",\n      "legendFormat": "p95",\n      "refId": "A"\n    },\n';
const PROMQL_CHUNK = '{"refId":"A","expr":"sum(rate(traces_span_metrics_calls_total{job=\\"svc\\",status_code=\\"STATUS_CODE_ERROR\\"}[5m]))","instant":true}';
const text = (chunk: string, bytes: number) => (bytes > 0 ? chunk.repeat(Math.ceil(bytes / chunk.length)).slice(0, bytes) : "");

const TAGS = { environment: "prod", "managed-by": "bare-cdktf" };
const INSIGHTS = { insightsEnabled: true, notificationsEnabled: false };

/** A synthesized snake_case attribute name as the provider classes' camelCase config key. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** A synthesized block's attributes under the provider classes' config keys (values as they are). */
const camelKeys = (block: Readonly<Record<string, unknown>>) => Object.fromEntries(Object.entries(block).map(([k, v]) => [camel(k), v]));

function stack(app: App, id: string): TerraformStack {
  const s = new TerraformStack(app, id);
  new AwsProvider(s, "aws", { region: "eu-west-1", defaultTags: [{ tags: TAGS }] });
  new LocalBackend(s, { path: `../../../.state/${id}.tfstate` });
  return s;
}

interface Platform {
  readonly key: KmsKey;
  readonly workspace: PrometheusWorkspace;
  readonly grafanaEndpoint: string;
  readonly token: string;
}

function platformStack(app: App, env: string, services: readonly ServiceShape[]): Platform {
  const s = stack(app, `obs-${env}-platform`);
  const account = new DataAwsCallerIdentity(s, "account");
  const region = new DataAwsRegion(s, "region");
  const partition = new DataAwsPartition(s, "partition");
  const policy = new DataAwsIamPolicyDocument(s, "key-policy", {
    statement: [
      { sid: "Admin", principals: [{ type: "AWS", identifiers: [`arn:${partition.partition}:iam::${account.accountId}:root`] }], actions: ["kms:*"], resources: ["*"] },
      {
        sid: "Logs",
        principals: [{ type: "Service", identifiers: [`logs.${region.name}.amazonaws.com`] }],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:${partition.partition}:logs:${region.name}:${account.accountId}:log-group:*`] }],
      },
    ],
  });
  const key = new KmsKey(s, "key", { description: `observability ${env}`, enableKeyRotation: true, deletionWindowInDays: 30, policy: policy.json, tags: TAGS });
  new KmsAlias(s, "alias", { name: `alias/observability-${env}`, targetKeyId: key.keyId });
  const logs = new CloudwatchLogGroup(s, "workspace-logs", { name: `/aws/vendedlogs/prometheus/observability-${env}`, retentionInDays: 30, kmsKeyId: key.arn, tags: TAGS });
  const workspace = new PrometheusWorkspace(s, "workspace", { alias: `observability-${env}`, kmsKeyArn: key.arn, loggingConfiguration: { logGroupArn: `${logs.arn}:*` }, tags: TAGS });
  new PrometheusWorkspaceConfiguration(s, "workspace-config", {
    workspaceId: workspace.id,
    retentionPeriodInDays: 150,
    limitsPerLabelSet: services.map((svc) => ({ labelSet: { job: svc.name }, limits: [{ maxSeries: 250000 }] })),
  });
  const role = new IamRole(s, "grafana-role", {
    name: `observability-grafana-${env}`,
    assumeRolePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"grafana.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
    tags: TAGS,
  });
  for (const p of ["AmazonPrometheusQueryAccess", "service-role/AmazonGrafanaCloudWatchAccess", "AWSXrayReadOnlyAccess"])
    new IamRolePolicyAttachment(s, `role-${p.split("/").pop()}`, { role: role.name, policyArn: `arn:${partition.partition}:iam::aws:policy/${p}` });
  const gw = new GrafanaWorkspace(s, "grafana", {
    name: `observability-${env}`,
    accountAccessType: "CURRENT_ACCOUNT",
    authenticationProviders: ["AWS_SSO"],
    permissionType: "SERVICE_MANAGED",
    roleArn: role.arn,
    dataSources: ["PROMETHEUS", "CLOUDWATCH", "XRAY"],
    grafanaVersion: "10.4",
    description: `Dashboards and alerts of the ${env} services`,
    configuration: '{"unifiedAlerting":{"enabled":true},"plugins":{"pluginAdminEnabled":false}}',
    tags: TAGS,
  });
  const sa = new GrafanaWorkspaceServiceAccount(s, "deployer", { name: "terraform-deployer", grafanaRole: "ADMIN", workspaceId: gw.id });
  // The same terraform_data class as the project (cdktf's DataResource would spawn `terraform version` at synth).
  const rotation = new TerraformData(s, "rotation", { appliedAt: "${timestamp()}" });
  const token = new GrafanaWorkspaceServiceAccountToken(s, "deploy-token", {
    name: "terraform-deploy",
    secondsToLive: 7200,
    serviceAccountId: sa.serviceAccountId,
    workspaceId: gw.id,
    lifecycle: { replaceTriggeredBy: [rotation.address] },
  });
  new XrayEncryptionConfig(s, "xray-encryption", { type: "KMS", keyId: key.arn });
  new XrayGroup(s, "xray-faults", { groupName: `obs-${env}-faults`, filterExpression: "fault = true", insightsConfiguration: INSIGHTS, tags: TAGS });
  // The platform contract: one String parameter per value a team's stacks read.
  const published: Record<string, string> = {
    environment: env,
    region: region.name,
    "workspace-id": workspace.id,
    "workspace-arn": workspace.arn,
    "remote-write-url": `${workspace.prometheusEndpoint}api/v1/remote_write`,
    "query-url": workspace.prometheusEndpoint,
    "kms-key-arn": key.arn,
    "grafana-url": `https://${gw.endpoint}`,
    "datasource-uid-prometheus": `mlobs-amp-${env}`,
    "datasource-uid-cloudwatch": `mlobs-cloudwatch-${env}`,
    "datasource-uid-xray": `mlobs-xray-${env}`,
  };
  for (const [k, value] of Object.entries(published))
    new SsmParameter(s, `parameter-${k}`, { name: `/mlobs/${env}/platform/${k}`, description: `platform of ${env}: ${k}`, type: "String", value, tags: TAGS });
  return { key, workspace, grafanaEndpoint: gw.endpoint, token: token.key };
}

function serviceStack(app: App, env: string, p: Platform, svc: ServiceShape): TerraformStack {
  const s = stack(app, `obs-${env}-${svc.name}`);
  const tags = svc.tags;
  const tiers = ["errors", "standard", "audit", "debug"].slice(0, svc.logGroups);
  const kmsKeyArn = p.key.arn;
  const groups = tiers.map(
    (tier) =>
      new CloudwatchLogGroup(s, `log-${tier}`, {
        name: `/observability/${env}/${svc.name}/${tier}`,
        retentionInDays: tier === "audit" ? svc.auditRetentionDays : 14,
        kmsKeyId: kmsKeyArn,
        skipDestroy: tier === "audit",
        lifecycle: tier === "audit" ? { preventDestroy: true } : undefined,
        tags: { ...tags, tier },
      }),
  );
  const groupNames = groups.map((g) => g.name);
  // The same document as the project's (two statements listing the identifiers), plain JSON, the
  // partition interpolated into every identifier ARN.
  const partition = svc.partitionLookup ? new DataAwsPartition(s, "partition").partition : "aws";
  const nameLength = Math.round(svc.piiIdentifierChars / Math.max(1, svc.piiIdentifiers));
  const identifiers = Array.from({ length: svc.piiIdentifiers }, (_, k) => `arn:${partition}:dataprotection::aws:data-identifier/${`Identifier${k}`.padEnd(nameLength, "X")}`);
  svc.piiPolicyBytes.forEach((_, i) => {
    new CloudwatchLogDataProtectionPolicy(s, `pii-${i}`, {
      logGroupName: groupNames[i % groups.length],
      policyDocument: JSON.stringify({
        Name: `${svc.name}-${i}-pii`,
        Version: "2021-06-01",
        Statement: [
          { Sid: "audit", DataIdentifier: identifiers, Operation: { Audit: { FindingsDestination: {} } } },
          { Sid: "redact", DataIdentifier: identifiers, Operation: { Deidentify: { MaskConfig: {} } } },
        ],
      }),
    });
  });
  svc.queries.forEach((bytes, i) => {
    new CloudwatchQueryDefinition(s, `query-${i}`, { name: `observability/${env}/${svc.name}/query ${i}`, logGroupNames: [groupNames[0]], queryString: text("fields @timestamp, @message | filter level = 'error' | ", bytes) });
  });
  if (svc.ruleFileBytes > 0)
    new PrometheusRuleGroupNamespace(s, "rules", { name: svc.name, workspaceId: p.workspace.id, data: text(YAML_CHUNK, svc.ruleFileBytes), tags });
  new XraySamplingRule(s, "sampling", {
    ruleName: `${env}-${svc.name}`.slice(0, 32),
    priority: 1000,
    fixedRate: 0.05,
    reservoirSize: 1,
    serviceName: svc.name,
    serviceType: "*",
    host: "*",
    httpMethod: "*",
    urlPath: "*",
    resourceArn: "*",
    version: 1,
    tags,
  });
  new XrayGroup(s, "faults", {
    groupName: `${env}-${svc.name}-faults`.slice(0, 32),
    filterExpression: `service("${svc.name}") { fault = true OR error = true }`,
    insightsConfiguration: INSIGHTS,
    tags,
  });
  new XrayGroup(s, "slow", { groupName: `${env}-${svc.name}-slow`.slice(0, 32), filterExpression: `service("${svc.name}") AND responsetime > 3`, tags });
  const region = new DataAwsRegion(s, "region").name;
  const endpoint = p.workspace.prometheusEndpoint;
  const refs = [
    ...Array.from({ length: svc.collectorRegionRefs }, () => `region: ${region}\n`),
    ...Array.from({ length: svc.collectorEndpointRefs }, () => `endpoint: ${endpoint}api/v1/remote_write\n`),
    ...Array.from({ length: svc.collectorLogGroupRefs }, (_, i) => `log_group_name: ${groupNames[i % groupNames.length]}\n`),
  ].join("");
  new SsmParameter(s, "collector-config", {
    name: `/observability/${env}/${svc.name}/otel-collector-config`,
    description: svc.collectorDescriptionBytes > 0 ? text("OpenTelemetry Collector config: ", svc.collectorDescriptionBytes) : undefined,
    type: "String",
    tier: "Advanced",
    value: `${refs}${text(YAML_CHUNK, Math.max(0, svc.collectorConfigBytes - 100 * (svc.collectorRegionRefs + svc.collectorEndpointRefs + svc.collectorLogGroupRefs)))}`,
    tags,
  });
  return s;
}

function grafanaStack(app: App, env: string, p: Platform, shape: BaselineShape): TerraformStack {
  const s = stack(app, `obs-${env}-grafana`);
  new GrafanaProvider(s, "grafana", { url: `https://${p.grafanaEndpoint}`, auth: p.token });
  new DataSource(s, "prometheus", { name: `AMP (${env})`, type: "prometheus", uid: `amp-${env}`, url: p.workspace.prometheusEndpoint, isDefault: true, jsonDataEncoded: '{"sigV4Auth":true}' });
  new DataSource(s, "cloudwatch", { name: `CloudWatch (${env})`, type: "cloudwatch", uid: `cw-${env}`, jsonDataEncoded: '{"authType":"ec2_iam_role"}' });
  new DataSource(s, "xray", { name: `X-Ray (${env})`, type: "grafana-x-ray-datasource", uid: `xray-${env}`, jsonDataEncoded: '{"authType":"ec2_iam_role"}' });
  new MessageTemplate(s, "message-template", { name: "mlobs", template: text("{{ define \"mlobs.title\" }}[{{ .Status }}] {{ end }}", shape.messageTemplateBytes) });
  new MuteTiming(s, "mute", {
    name: "outside-business-hours",
    intervals: [
      { weekdays: ["saturday", "sunday"], location: "UTC" },
      { times: [{ start: "00:00", end: "09:00" }, { start: "18:00", end: "24:00" }], weekdays: ["monday:friday"], location: "UTC" },
    ],
  });
  const secrets = shape.secrets.map((sec, i) =>
    sec.kind === "ssm"
      ? new DataAwsSsmParameter(s, `secret-${i}`, { name: sec.ref, withDecryption: true }).value
      : new DataAwsSecretsmanagerSecretVersion(s, `secret-${i}`, { secretId: sec.ref }).secretString,
  );
  for (const cp of shape.contactPoints) {
    // The integration's settings as literal config, the secret as a reference to its data source.
    const settings = camelKeys(cp.settings);
    if (cp.secret >= 0 && cp.secretAttribute) settings[camel(cp.secretAttribute)] = secrets[cp.secret];
    new ContactPoint(s, `cp-${cp.name}`, { name: cp.name, [cp.integration]: [settings] } as ContactPointConfig);
  }
  new NotificationPolicy(s, "policy", {
    contactPoint: shape.rootContactPoint,
    groupBy: ["alertname", "service", "slo"],
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    policy: shape.policyTeams.map((team) => ({
      matcher: [{ label: "team", match: "=", value: team }],
      policy: [
        { matcher: [{ label: "severity", match: "=", value: "page" }], contactPoint: `${team}-page`, groupWait: "30s", groupInterval: "5m", repeatInterval: "1h" },
        {
          matcher: [{ label: "severity", match: "=", value: "ticket" }],
          contactPoint: `${team}-ticket`,
          groupWait: "5m",
          groupInterval: "30m",
          repeatInterval: "24h",
          muteTimings: ["outside-business-hours"],
        },
      ],
    })),
  });
  return s;
}

function serviceGrafanaStack(app: App, env: string, p: Platform, svc: ServiceShape): TerraformStack {
  const s = stack(app, `obs-${env}-${svc.name}-grafana`);
  new GrafanaProvider(s, "grafana", { url: `https://${p.grafanaEndpoint}`, auth: p.token });
  const folderUid = new Folder(s, `${svc.name}-folder`, { title: svc.name, uid: `f-${env}-${svc.name}`.slice(0, 40) }).uid;
  for (const d of svc.dashboards)
    new Dashboard(s, `${svc.name}-dashboard-${d.kind}`, { folder: folderUid, configJson: text(JSON_CHUNK, d.bytes), overwrite: true, message: "bare-cdktf" });
  for (const g of svc.ruleGroups)
    new RuleGroup(s, `${svc.name}-rules-${g.name}`, {
      name: g.name,
      folderUid,
      intervalSeconds: 60,
      rule: g.rules.map((r, i) => ({
        name: `Alert${i}`,
        condition: "B",
        for: r.hasFor ? "15m" : undefined,
        noDataState: "OK",
        execErrState: "Error",
        labels: Object.fromEntries(Array.from({ length: r.labels }, (_, k) => [`label${k}`, svc.name])),
        annotations: Object.fromEntries(
          Array.from({ length: Math.max(1, r.annotations) }, (_, k) => [`annotation${k}`, text("The error budget is burning; ", Math.floor(r.annotationBytes / Math.max(1, r.annotations)) - 16)]),
        ),
        data: r.models.map((bytes, k) => ({
          refId: String.fromCharCode(65 + k),
          datasourceUid: k === 0 ? `amp-${env}` : "__expr__",
          relativeTimeRange: { from: k === 0 ? 600 : 0, to: 0 },
          model: text(PROMQL_CHUNK, bytes),
        })),
      })),
    });
  return s;
}

/** Builds the bare program for a shape; the caller synthesizes. */
export function buildBaseline(app: App, shape: BaselineShape): void {
  const env = shape.environment;
  const platform = platformStack(app, env, shape.services);
  const platformStackOf = TerraformStack.of(platform.key);
  for (const svc of shape.services) serviceStack(app, env, platform, svc).addDependency(platformStackOf);
  const grafana = grafanaStack(app, env, platform, shape);
  grafana.addDependency(platformStackOf);
  for (const svc of shape.services) {
    const g = serviceGrafanaStack(app, env, platform, svc);
    g.addDependency(platformStackOf);
    g.addDependency(grafana);
  }
}
