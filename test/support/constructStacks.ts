/**
 * Shared by the construct tests (constructs.test.ts, platformStacks.test.ts): a service
 * description to vary, the example services, and one stack synthesized through cdktf's Testing.
 */
import { TerraformStack, Testing } from "cdktf";
import { ObservabilityPlatform, type ObservabilityPlatformProps } from "../../constructs/ObservabilityPlatform";
import { ServiceObservability } from "../../constructs/ServiceObservability";
import { EXAMPLE_SERVICE_FILES } from "../../examples/exampleApp";
import { loadServicesFiles } from "../../service/load";
import type { ServiceModel } from "../../service/model";
import type { ServiceDescription } from "../../service/types";

export type Json = Record<string, any>;
export type Resources = Record<string, Record<string, Json>>;

export const EXAMPLES = Object.fromEntries(loadServicesFiles(EXAMPLE_SERVICE_FILES).map((m) => [m.name, m]));

export function description(over: Partial<ServiceDescription> = {}): ServiceDescription {
  return {
    name: "qa-bot",
    team: "support-ai",
    owner: "support-ai@example.com",
    kind: "rag-pipeline",
    slos: [{ name: "availability", objectivePercent: 99.9, availability: {} }],
    alerting: {
      page: { type: "pagerduty", secret: "ssm:/observability/support-ai/pagerduty-routing-key" },
      ticket: { type: "slack", channel: "#support-ai-alerts", secret: "secretsmanager:observability/support-ai/slack-webhook" },
      runbookBaseUrl: "https://runbooks.example.com/support-ai",
    },
    ...over,
  };
}

/**
 * One stack holding a platform and the given services (descriptions or models), synthesized.
 * Platform and services share the stack, so references are plain `${type.id.attr}` expressions.
 */
export function synthOneStack(
  services: readonly (ServiceDescription | ServiceModel)[],
  platformProps: Partial<ObservabilityPlatformProps> = {},
): { resource: Resources; data: Resources; json: Json } {
  const stack = new TerraformStack(Testing.app(), "test");
  const platform = new ObservabilityPlatform(stack, "platform", { environment: "staging", ...platformProps });
  services.forEach((s, i) => new ServiceObservability(stack, `service-${i}`, { platform, service: s }));
  const json = JSON.parse(Testing.synth(stack)) as Json;
  return { resource: json.resource ?? {}, data: json.data ?? {}, json };
}

/** Resources of a type, keyed by their construct path's last part when unique enough to read. */
export const ofType = (r: Resources, type: string): Json[] => Object.values(r[type] ?? {});
export const logGroupsByTier = (r: Resources): Record<string, Json> => Object.fromEntries(ofType(r, "aws_cloudwatch_log_group").filter((g) => g.tags?.tier).map((g) => [g.tags.tier, g]));

/** A policy document: plain JSON whose strings may hold Terraform interpolations. */
export function jsonencoded(expr: string): Json {
  return JSON.parse(expr) as Json;
}
