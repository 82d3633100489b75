/**
 * Ids come from content, not order, and a cut name keeps a hash: adding a team or a service renames
 * nothing that was there, and services whose names share a long prefix get distinct folder uids.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildObservabilityApp } from "../constructs/stacks";
import type { ServiceModel } from "../service/model";
import { normalizeService } from "../service/normalize";
import { EXAMPLE_DEFAULT_RECEIVER } from "../examples/exampleApp";

const work = mkdtempSync(join(tmpdir(), "mlobs-ids-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const service = (name: string, team: string, store: "ssm" | "secretsmanager" = "ssm"): ServiceModel =>
  normalizeService({
    name,
    team,
    owner: `${team}@example.com`,
    kind: "llm-gateway",
    environments: ["prod"],
    slos: [{ name: "availability", objectivePercent: 99.9, availability: {} }],
    alerting: {
      page: { type: "pagerduty", secret: store === "ssm" ? `ssm:/observability/${team}/pagerduty` : `secretsmanager:observability/${team}/pagerduty` },
      ticket: { type: "slack", channel: `#${team}`, secret: `secretsmanager:observability/${team}/slack` },
      runbookBaseUrl: `https://runbooks.example.com/${team}`,
    },
  });

type Stack = { resource?: Record<string, Record<string, unknown>>; data?: Record<string, Record<string, unknown>> };
function synth(name: string, services: ServiceModel[]): Record<string, Stack> {
  const outdir = join(work, name);
  const app = new App({ outdir });
  buildObservabilityApp(app, { services, environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }] });
  app.synth();
  const read = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as Stack;
  return Object.fromEntries(app.node.children.map((c) => [c.node.id, read(c.node.id)]));
}
/** `type.name` -> body without cdktf metadata, for resources and data sources. */
function addresses(stack: Stack): Map<string, string> {
  const out = new Map<string, string>();
  for (const [section, prefix] of [["resource", ""], ["data", "data."]] as const)
    for (const [type, byName] of Object.entries(stack[section] ?? {}))
      for (const [name, body] of Object.entries(byName)) {
        const { "//": _meta, ...rest } = body as Record<string, unknown>;
        out.set(`${prefix}${type}.${name}`, JSON.stringify(rest));
      }
  return out;
}

const AGGREGATES = ["grafana_notification_policy", "aws_prometheus_workspace_configuration"];

describe("stable ids", () => {
  it("adding a team (registered first, alphabetically) renames no secret read, contact point or folder of the others", () => {
    const before = synth("before", [service("search", "search-ai"), service("fraud", "risk", "secretsmanager")]);
    const after = synth("after", [service("assist", "assist-ai"), service("search", "search-ai"), service("fraud", "risk", "secretsmanager")]);
    for (const stack of Object.keys(before)) {
      const was = addresses(before[stack]);
      const now = addresses(after[stack]);
      for (const [address, body] of was)
        // The org's one notification policy and the workspace's label-set limits list every
        // team and service, so they must change; nothing else may.
        if (!AGGREGATES.some((t) => address.startsWith(`${t}.`))) expect([stack, address, now.get(address)]).toEqual([stack, address, body]);
    }
  });

  it("services whose names share a long prefix get distinct Grafana folder uids of at most 40 characters", () => {
    const a = "recommendation-ranking-service-eu";
    const b = "recommendation-ranking-service-us";
    const stacks = synth("long", [service(a, "ranking"), service(b, "ranking")]);
    const uid = (svc: string) => {
      const folders = Object.values(stacks[`obs-prod-${svc}-grafana`].resource?.grafana_folder ?? {}) as { uid: string }[];
      return folders[0].uid;
    };
    expect(uid(a)).not.toEqual(uid(b));
    for (const u of [uid(a), uid(b)]) expect(u.length).toBeLessThanOrEqual(40);
    expect(uid(a).startsWith("mlobs-prod-recommendation-ranking")).toBe(true);
  });
});
