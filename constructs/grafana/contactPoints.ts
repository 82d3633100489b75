/**
 * Contact points whose secrets (routing keys, API keys, webhook URLs) are read at plan from SSM or
 * Secrets Manager, never written into the code or the synthesized stack. Shared by the
 * environment's Grafana stack (one contact point per team and severity) and a service that routes
 * per rule (its own two).
 */
import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { ContactPoint } from "../../.gen/providers/grafana/contact-point";
import { grafanaContactPointIntegration, type NotificationText } from "../../alerts/render/grafanaPolicy";
import type { ReceiverModel } from "../../service/model";
import { stableHash } from "../../service/naming";

/** Contact points in one scope, their secret reads in another, each secret read once. */
export class ContactPoints {
  private readonly secrets = new Map<string, string>();

  /**
   * @param contactPoints scope of the contact points (construct id = contact point name)
   * @param secretReads scope of the secret reads (construct id = `secret-<hash of the reference>`)
   */
  constructor(
    private readonly contactPoints: Construct,
    private readonly secretReads: Construct,
    private readonly message?: NotificationText,
  ) {}

  add(name: string, receiver: ReceiverModel): ContactPoint {
    const contactPoint = new ContactPoint(this.contactPoints, name, {
      name,
      ...grafanaContactPointIntegration(receiver, receiver.secret ? this.secretValue(receiver.secret) : undefined, this.message),
    });
    // Grafana's email goes through its server's [smtp] settings, which no resource sets: said, not dropped silently.
    if (receiver.smtp)
      Annotations.of(contactPoint).addWarning(
        `contact point "${name}": the receiver's smtp settings (relay ${receiver.smtp.smarthost}) are read only by the Alertmanager config (mlobs alertmanager); Grafana sends this email through its own server's SMTP settings (grafana.ini [smtp]), so set the relay there`,
      );
    return contactPoint;
  }

  /** A Terraform reference to a secret's value, read from SSM or Secrets Manager (once per reference). */
  private secretValue(ref: string): string {
    const known = this.secrets.get(ref);
    if (known) return known;
    // Named by the reference, not by registration order: adding a team renames no other read.
    const id = `secret-${stableHash(ref)}`;
    const value = ref.startsWith("ssm:")
      ? new DataAwsSsmParameter(this.secretReads, id, { name: ref.slice("ssm:".length), withDecryption: true }).value
      : new DataAwsSecretsmanagerSecretVersion(this.secretReads, id, { secretId: ref.slice("secretsmanager:".length) }).secretString;
    this.secrets.set(ref, value);
    return value;
  }
}
