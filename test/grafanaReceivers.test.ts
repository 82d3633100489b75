/**
 * ObservabilityGrafana's receivers. The notification policy's default receiver (where alerts go
 * whose team no service routes) is required, a team's contact point by name or a contact point of
 * its own, and what would route to nobody is refused at construct time, or at synth for a name.
 * An email receiver's SMTP relay, which only the Alertmanager config reads, is said in a warning.
 */
import { AnnotationMetadataEntryType, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GrafanaProvider } from "../.gen/providers/grafana/provider";
import { ObservabilityGrafana, type ObservabilityGrafanaProps } from "../constructs/grafana/ObservabilityGrafana";
import { EXAMPLE_DEFAULT_RECEIVER } from "../examples/exampleApp";
import { ValidationError } from "../service/normalize";
import { type Json, EXAMPLES } from "./support/constructStacks";

const base = { environment: "prod", region: "eu-west-1", prometheusUrl: "https://aps.example/prometheus" };

function grafana(props: Partial<ObservabilityGrafanaProps>): { stack: TerraformStack; grafana: ObservabilityGrafana } {
  const stack = new TerraformStack(Testing.app(), "grafana-test");
  // Synth runs the stack's validations, which want a provider for every resource.
  new AwsProvider(stack, "aws", { region: base.region });
  new GrafanaProvider(stack, "grafana-provider", { url: "https://grafana.example.com", auth: "token-from-a-variable" });
  return { stack, grafana: new ObservabilityGrafana(stack, "grafana", { ...base, ...props } as ObservabilityGrafanaProps) };
}
const synth = (stack: TerraformStack): Json => JSON.parse(Testing.synth(stack, true)).resource as Json;
const policyRoot = (r: Json): string => (Object.values(r.grafana_notification_policy as Json)[0] as Json).contact_point;
const contactPointNames = (r: Json): string[] => Object.values(r.grafana_contact_point as Json).map((c) => (c as Json).name).sort();

describe("ObservabilityGrafana's defaultReceiver", () => {
  it("is required: leaving it out (from JavaScript) fails at construct time, naming the prop and the fix", () => {
    expect(() => grafana({})).toThrow(
      'ObservabilityGrafana "grafana": defaultReceiver is required: name a team\'s contact point ("<team>-page" or "<team>-ticket") or give a receiver of its own',
    );
  });

  it("a receiver of its own becomes the contact point catch-all at the policy's root, its secret read from Secrets Manager", () => {
    const { stack, grafana: g } = grafana({ defaultReceiver: EXAMPLE_DEFAULT_RECEIVER });
    g.registerService(EXAMPLES["rag-assistant"]);
    const r = synth(stack);
    expect(policyRoot(r)).toBe("catch-all");
    expect(contactPointNames(r)).toEqual(["catch-all", "search-ai-page", "search-ai-ticket"]);
    const catchAll = Object.values(r.grafana_contact_point as Json).find((c) => (c as Json).name === "catch-all") as Json;
    expect(catchAll.slack[0].recipient).toBe("#observability-unrouted");
    expect(catchAll.slack[0].url).toMatch(/^\$\{data\.aws_secretsmanager_secret_version\.[^}]+\.secret_string\}$/);
  });

  it("a receiver of its own is checked at construct time as a description's receivers are", () => {
    const attempt = () => grafana({ defaultReceiver: { type: "pagerduty", channel: "#oncall" } });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      '2 problem(s) in the props of ObservabilityGrafana "grafana":\n  defaultReceiver.secret: is required for pagerduty: reference the key, e.g. "ssm:/observability/platform/pagerduty"\n  defaultReceiver.channel: is not used by a pagerduty receiver (only by slack); remove it',
    );
  });

  it("a team's contact point by name is the policy's root, and no other contact point is made", () => {
    const { stack, grafana: g } = grafana({ defaultReceiver: "risk-ml-ticket" });
    g.registerService(EXAMPLES["fraud-scoring"]);
    const r = synth(stack);
    expect(policyRoot(r)).toBe("risk-ml-ticket");
    expect(contactPointNames(r)).toEqual(["risk-ml-page", "risk-ml-ticket"]);
  });

  it("a name no registered team has is refused at synth, listing the names it could be", () => {
    const { stack, grafana: g } = grafana({ defaultReceiver: "platform-page" });
    g.registerService(EXAMPLES["fraud-scoring"]);
    expect(() => synth(stack)).toThrow(
      'defaultReceiver: "platform-page" is not a receiver of the routing tree; name one of risk-ml-page, risk-ml-ticket, or give a receiver of its own (a contact point "catch-all")',
    );
  });
});

describe("an email receiver's SMTP relay on the Grafana path", () => {
  it("is said to do nothing there, in a synth warning on its contact point naming where Grafana's relay is set", () => {
    const fraud = EXAMPLES["fraud-scoring"];
    const smtp = { smarthost: "mail.risk.example.com:587", from: "risk-ml-alerts@example.com", requireTls: true };
    const { grafana: g } = grafana({ defaultReceiver: "risk-ml-page" });
    g.registerService({ ...fraud, alerting: { ...fraud.alerting, ticket: { ...fraud.alerting.ticket, smtp } } });
    const warnings = g.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => `${c.node.id}: ${m.data}`));
    expect(warnings).toEqual([
      'risk-ml-ticket: contact point "risk-ml-ticket": the receiver\'s smtp settings (relay mail.risk.example.com:587) are read only by the Alertmanager config (mlobs alertmanager); Grafana sends this email through its own server\'s SMTP settings (grafana.ini [smtp]), so set the relay there',
    ]);
  });

  it("without one, an email contact point carries no warning", () => {
    const { grafana: g } = grafana({ defaultReceiver: "risk-ml-page" });
    g.registerService(EXAMPLES["fraud-scoring"]);
    expect(g.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN))).toEqual([]);
  });
});
