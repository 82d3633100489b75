/**
 * The shape of the project's output that the bare baseline reproduces: per service how many of
 * each block it has and how big its large strings are (rule-file YAML, collector config,
 * dashboard JSON, Grafana rule models), its tags and which attributes reference other resources,
 * per team its receivers. Read from the project's synthesized JSON, so the baseline emits the same
 * resource types in the same numbers, with the same attributes, references and config sizes,
 * without any service description or generator (bench/synthBench.ts checks that it does).
 */
import { blockPath, type StackOutput } from "../synthOutput";

export interface RuleShape {
  /** Length of each data entry's `model` JSON. */
  readonly models: readonly number[];
  readonly labels: number;
  readonly annotations: number;
  readonly annotationBytes: number;
  readonly hasFor: boolean;
}

export interface ServiceShape {
  readonly name: string;
  readonly team: string;
  /** Tags on the service's resources (the log groups add their `tier`). */
  readonly tags: Readonly<Record<string, string>>;
  readonly logGroups: number;
  readonly auditRetentionDays: number;
  readonly piiPolicyBytes: readonly number[];
  /** Data identifiers each PII policy statement lists. */
  readonly piiIdentifiers: number;
  /** Characters of their names (after `data-identifier/`), all together. */
  readonly piiIdentifierChars: number;
  readonly queries: readonly number[];
  /** Length of the AMP rule-group namespace's rule file; 0 when the service has none. */
  readonly ruleFileBytes: number;
  readonly collectorConfigBytes: number;
  /** References in the collector config: to the region data source, to the platform's endpoint. */
  readonly collectorRegionRefs: number;
  readonly collectorEndpointRefs: number;
  /** References to the service's log groups (the logs exporters), in order of the groups. */
  readonly collectorLogGroupRefs: number;
  readonly collectorDescriptionBytes: number;
  /** The PII policies interpolate the partition into every data identifier ARN. */
  readonly partitionLookup: boolean;
  readonly dashboards: readonly { readonly kind: string; readonly bytes: number }[];
  readonly ruleGroups: readonly { readonly name: string; readonly rules: readonly RuleShape[] }[];
}

export interface ReceiverShape {
  readonly name: string;
  /** Integration block (`pagerduty`, `opsgenie`, `slack`, `email`). */
  readonly integration: string;
  /** Secret read it uses: index into `secrets`, or -1. */
  readonly secret: number;
  /** The integration block as synthesized, the secret attribute left out (the baseline writes it as a reference). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The attribute holding the secret, when `secret` >= 0. */
  readonly secretAttribute?: string;
}

export interface BaselineShape {
  readonly environment: string;
  readonly services: readonly ServiceShape[];
  readonly contactPoints: readonly ReceiverShape[];
  readonly secrets: readonly { readonly kind: "ssm" | "secretsmanager"; readonly ref: string }[];
  /** The notification policy's root contact point (its default receiver). */
  readonly rootContactPoint: string;
  /** Team names in the notification policy, in order. */
  readonly policyTeams: readonly string[];
  readonly messageTemplateBytes: number;
}

type Block = Record<string, unknown>;
const blocks = (s: StackOutput, kind: "resource" | "data", type: string): Block[] => Object.values(s.json[kind]?.[type] ?? {});
const len = (v: unknown) => (typeof v === "string" ? v.length : JSON.stringify(v ?? "").length);

/** How many data identifiers the first statement of a PII policy document lists, and their names' length. */
function piiIdentifiers(document: unknown): { piiIdentifiers: number; piiIdentifierChars: number } {
  if (typeof document !== "string") return { piiIdentifiers: 0, piiIdentifierChars: 0 };
  const ids = ((JSON.parse(document) as { Statement: { DataIdentifier: string[] }[] }).Statement[0]?.DataIdentifier ?? []).map((a) => a.split("data-identifier/")[1] ?? "");
  return { piiIdentifiers: ids.length, piiIdentifierChars: ids.reduce((n, id) => n + id.length, 0) };
}

/** Extracts the baseline shape from the project's stacks (one environment). */
export function extractShape(stacks: readonly StackOutput[], environment: string): BaselineShape {
  const grafana = stacks.find((s) => s.id === `obs-${environment}-grafana`);
  const platform = stacks.find((s) => s.id === `obs-${environment}-platform`);
  if (!grafana || !platform) throw new Error(`extractShape: no obs-${environment}-grafana / -platform stack in the output`);
  // Per service an AWS stack `obs-<env>-<service>` and a Grafana stack `obs-<env>-<service>-grafana`.
  const serviceStacks = stacks.filter((s) => s !== grafana && s !== platform && !s.id.endsWith("-grafana"));
  const ofService = (type: string, name: string) => {
    const g = stacks.find((s) => s.id === `obs-${environment}-${name}-grafana`);
    if (!g) throw new Error(`extractShape: no obs-${environment}-${name}-grafana stack in the output`);
    return blocks(g, "resource", type);
  };

  const services: ServiceShape[] = serviceStacks.map((s) => {
    const name = s.id.slice(`obs-${environment}-`.length);
    const logGroups = blocks(s, "resource", "aws_cloudwatch_log_group");
    const tags = (logGroups[0]?.tags ?? {}) as Record<string, string>;
    const audit = logGroups.find((b) => String(b.name).endsWith("/audit"));
    const ruleNs = blocks(s, "resource", "aws_prometheus_rule_group_namespace")[0];
    const ssm = blocks(s, "resource", "aws_ssm_parameter")[0];
    const collector = String(ssm?.value ?? "");
    const { tier: _tier, ...serviceTags } = tags;
    return {
      name,
      team: tags.team ?? "team",
      tags: serviceTags,
      logGroups: logGroups.length,
      auditRetentionDays: Number(audit?.retention_in_days ?? 400),
      piiPolicyBytes: blocks(s, "resource", "aws_cloudwatch_log_data_protection_policy").map((b) => len(b.policy_document)),
      ...piiIdentifiers(blocks(s, "resource", "aws_cloudwatch_log_data_protection_policy")[0]?.policy_document),
      queries: blocks(s, "resource", "aws_cloudwatch_query_definition").map((b) => len(b.query_string)),
      ruleFileBytes: ruleNs ? len(ruleNs.data) : 0,
      collectorConfigBytes: len(ssm?.value),
      collectorRegionRefs: collector.split("${data.aws_region.").length - 1,
      collectorEndpointRefs: collector.split("${data.terraform_remote_state.").length - 1,
      collectorLogGroupRefs: collector.split("${aws_cloudwatch_log_group.").length - 1,
      collectorDescriptionBytes: ssm?.description === undefined ? 0 : len(ssm.description),
      partitionLookup: blocks(s, "data", "aws_partition").length > 0,
      dashboards: ofService("grafana_dashboard", name).map((b) => ({ kind: blockPath(b).split("/").pop()!.replace(/^dashboard-/, ""), bytes: len(b.config_json) })),
      ruleGroups: ofService("grafana_rule_group", name).map((b) => ({
        name: String(b.name),
        rules: (b.rule as Block[]).map((r) => ({
          models: (r.data as Block[]).map((d) => len(d.model)),
          labels: Object.keys((r.labels ?? {}) as object).length,
          annotations: Object.keys((r.annotations ?? {}) as object).length,
          annotationBytes: len(r.annotations),
          hasFor: r.for !== undefined,
        })),
      })),
    };
  });

  const secretBlocks = [
    ...blocks(grafana, "data", "aws_ssm_parameter").map((b) => ({ path: blockPath(b), kind: "ssm" as const, ref: String(b.name) })),
    ...blocks(grafana, "data", "aws_secretsmanager_secret_version").map((b) => ({ path: blockPath(b), kind: "secretsmanager" as const, ref: String(b.secret_id) })),
  ].sort((a, b) => Number(a.path.split("-").pop()) - Number(b.path.split("-").pop()));
  // A secret read is `${data.<type>.<...>secret-<n>_<hash>.<attribute>}` (the construct path's last part is secret-<n>).
  const secretIndex = (v: unknown) => {
    const m = /[._](secret-\d+)_[0-9A-F]*\./.exec(typeof v === "string" ? v : "");
    return m ? secretBlocks.findIndex((s) => s.path.endsWith(`/${m[1]}`)) : -1;
  };
  const contactPoints = blocks(grafana, "resource", "grafana_contact_point").map((b) => {
    const integration = Object.keys(b).find((k) => k !== "//" && k !== "name")!;
    const settings = { ...((b[integration] as Block[])[0] ?? {}) };
    const [secretAttribute, secret] = Object.entries(settings)
      .map(([k, v]) => [k, secretIndex(v)] as const)
      .find(([, i]) => i >= 0) ?? [undefined, -1];
    if (secretAttribute) delete settings[secretAttribute];
    return { name: String(b.name), integration, secret, settings, secretAttribute };
  });
  const policy = blocks(grafana, "resource", "grafana_notification_policy")[0];
  const policyTeams = ((policy?.policy ?? []) as Block[]).map((p) => String((p.matcher as Block[])[0].value));
  return {
    environment,
    services,
    contactPoints,
    secrets: secretBlocks.map(({ kind, ref }) => ({ kind, ref })),
    rootContactPoint: String(policy?.contact_point ?? ""),
    policyTeams,
    messageTemplateBytes: len(blocks(grafana, "resource", "grafana_message_template")[0]?.template),
  };
}
