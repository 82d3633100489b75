import type { Construct } from "constructs";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";

export interface PlatformKeyOptions {
  /** Environment name, part of the description and alias. */
  readonly environment: string;
  readonly deletionWindowDays: number;
  /** Account id, region and partition of the platform (Terraform references). */
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The platform's key, with its policy and alias created directly under `owner` (`key-policy`,
 * `key`, `key-alias`). It encrypts log groups (CloudWatch Logs must be allowed in the key policy,
 * scoped to this account's log groups), the AMP workspace and X-Ray traces.
 */
export function createPlatformKey(owner: Construct, options: PlatformKeyOptions): KmsKey {
  const { environment, accountId, region, partition } = options;
  const keyPolicy = new DataAwsIamPolicyDocument(owner, "key-policy", {
    statement: [
      {
        sid: "AccountAdministers",
        principals: [{ type: "AWS", identifiers: [`arn:${partition}:iam::${accountId}:root`] }],
        actions: ["kms:*"],
        resources: ["*"],
      },
      {
        sid: "CloudWatchLogsEncrypts",
        principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        condition: [
          {
            test: "ArnLike",
            variable: "kms:EncryptionContext:aws:logs:arn",
            values: [`arn:${partition}:logs:${region}:${accountId}:log-group:*`],
          },
        ],
      },
    ],
  });
  const key = new KmsKey(owner, "key", {
    description: `Observability data of ${environment}: logs, metrics, traces`,
    enableKeyRotation: true,
    deletionWindowInDays: options.deletionWindowDays,
    policy: keyPolicy.json,
    tags: options.tags,
  });
  new KmsAlias(owner, "key-alias", { name: `alias/observability-${environment}`, targetKeyId: key.keyId });
  return key;
}
