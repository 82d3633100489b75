import { Construct } from "constructs";
import { Fn } from "cdktf";
import { GrafanaWorkspace } from "@cdktf/provider-aws/lib/grafana-workspace";
import { GrafanaWorkspaceServiceAccount } from "@cdktf/provider-aws/lib/grafana-workspace-service-account";
import { GrafanaWorkspaceServiceAccountToken } from "@cdktf/provider-aws/lib/grafana-workspace-service-account-token";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { GrafanaTarget } from "./ObservabilityPlatform";
import { TerraformData } from "./terraformData";

export interface ManagedGrafanaOptions {
  /** Environment name, part of the role and workspace names. */
  readonly environment: string;
  readonly target: Extract<GrafanaTarget, { kind: "managed" }>;
  /** AWS partition (a Terraform reference), for the managed policy ARNs. */
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The platform's Amazon Managed Grafana workspace, under `owner/grafana`: its read-only role, the
 * workspace, and a deploy service account with a short-lived token for the Grafana stack.
 */
export function createManagedGrafana(owner: Construct, options: ManagedGrafanaOptions): { workspace: GrafanaWorkspace; token: string } {
  const { environment: env, target: g, partition, tags } = options;
  const scope = new Construct(owner, "grafana");
  // The workspace reads AMP, CloudWatch and X-Ray with its own role.
  const role = new IamRole(scope, "role", {
    name: `observability-grafana-${env}`,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "grafana.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags,
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
    tags,
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
