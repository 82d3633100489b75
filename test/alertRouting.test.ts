/**
 * The routed notification policy on a real engine: amtool checks the rendered Alertmanager config
 * and routes page and ticket alerts of each team; golden files of the rules and the routing tree.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildRoutingTree, routeFor } from "../alerts/routing";
import { TEMPLATE_FILE, alertmanagerFiles, serviceRuleFile } from "../cli/ruleFiles";
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { loadServicesFiles } from "../service/load";
import { normalizeService, ValidationError } from "../service/normalize";
import { expectGolden } from "./support/golden";
import { minimalDescription } from "./support/minimalDescription";

const services = loadServicesFiles(EXAMPLE_SERVICE_FILES);
const amtoolMissing = spawnSync("amtool", ["--version"]).error ? "amtool is not installed (apt-get install prometheus-alertmanager)" : undefined;
if (amtoolMissing) console.warn(`SKIPPED amtool routing tests: ${amtoolMissing}`);
const withAmtool = amtoolMissing ? describe.skip : describe;

function writeConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), "amtool-"));
  const { config, template } = alertmanagerFiles(services);
  writeFileSync(join(dir, "alertmanager.yml"), config);
  writeFileSync(join(dir, TEMPLATE_FILE), template);
  return join(dir, "alertmanager.yml");
}

const amtool = (...args: string[]) => spawnSync("amtool", args, { encoding: "utf8" });

withAmtool("amtool on the rendered routing tree", () => {
  const config = writeConfig();

  it("passes amtool check-config", () => {
    const r = amtool("check-config", config);
    expect(r.stdout + r.stderr).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it.each([
    ["search-ai", "page", "search-ai-page"],
    ["search-ai", "ticket", "search-ai-ticket"],
    ["risk-ml", "page", "risk-ml-page"],
    ["risk-ml", "ticket", "risk-ml-ticket"],
    ["nobody", "page", "unrouted"],
  ])("routes a %s %s alert to %s", (team, severity, receiver) => {
    const r = amtool("config", "routes", "test", `--config.file=${config}`, `team=${team}`, `severity=${severity}`, "service=x", "alertname=Y");
    expect(r.stdout.trim()).toBe(receiver);
    // The pure tree agrees with Alertmanager's own matching.
    expect(routeFor(buildRoutingTree(services), { team, severity })).toBe(receiver);
  });

  it("renders the message with summary, runbook and dashboard first", () => {
    const dir = join(config, "..");
    const r = spawnSync(
      "amtool",
      ["template", "render", `--template.glob=${join(dir, TEMPLATE_FILE)}`, `--template.text={{ template "mlobs.text" . }}`],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    // amtool renders sample alerts with empty annotations: line 0 is the (empty) summary.
    const lines = r.stdout.split("\n");
    expect(lines[1]).toMatch(/^Runbook: /);
    expect(lines[2]).toMatch(/^Dashboard: /);
  });
});

describe("the routing tree", () => {
  it("mutes tickets outside business hours but never pages", () => {
    const tree = buildRoutingTree(services);
    for (const t of tree.teams) {
      expect(t.routes.find((r) => r.severity === "page")!.muteTimings).toEqual([]);
      expect(t.routes.find((r) => r.severity === "ticket")!.muteTimings).toEqual(["outside-business-hours"]);
    }
  });

  it("refuses two services of one team paging different receivers", () => {
    const other = normalizeService(
      minimalDescription(
        { name: "chat-bot", team: "search-ai", owner: "x@example.com", kind: "llm-gateway" },
        {
          page: { type: "pagerduty", secret: "ssm:/observability/other/key" },
          ticket: { type: "slack", channel: "#search-ai-alerts", secret: "secretsmanager:observability/search-ai/slack-webhook" },
          runbookBaseUrl: "https://runbooks.example.com/search-ai",
        },
      ),
    );
    expect(() => buildRoutingTree([...services, other])).toThrow(ValidationError);
    expect(() => buildRoutingTree([...services, other])).toThrow(
      "rag-assistant: alerting.page: differs from chat-bot's, but both belong to team search-ai, which has one page receiver; use the same receiver or a different team",
    );
  });

  it("keeps secrets as references: the config names files, never keys", () => {
    const { config } = alertmanagerFiles(services);
    expect(config).toContain("routing_key_file: /etc/alertmanager/secrets/ssm_observability_search-ai_pagerduty-routing-key");
    expect(config).not.toMatch(/routing_key:|api_key:|api_url:/);
  });
});

describe("golden files (regenerate with `npm run golden`)", () => {
  it.each(services.map((s) => [s.name, s] as const))("the rule file of %s matches its golden file", (name, s) => {
    expectGolden(`rules/${name}.rules.yaml`, serviceRuleFile(s, { environment: "prod" }));
  });
  it("the Alertmanager routing config matches its golden file", () => {
    expectGolden("alertmanager/alertmanager.yml", alertmanagerFiles(services).config);
    expectGolden(`alertmanager/${TEMPLATE_FILE}`, alertmanagerFiles(services).template);
  });
});
