/**
 * The routed notification policy on a real engine: amtool checks the rendered Alertmanager config
 * and routes page and ticket alerts of each team; golden files of the rules and the routing tree.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { buildRoutingTree, routeFor } from "../alerts/routing";
import { TEMPLATE_FILE, alertmanagerFiles, serviceRuleFile, type AlertmanagerFilesOptions } from "../cli/ruleFiles";
import { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { loadServicesFiles } from "../service/load";
import { normalizeService, ValidationError } from "../service/normalize";
import { expectGolden } from "./support/golden";
import { minimalDescription } from "./support/minimalDescription";

const services = loadServicesFiles(EXAMPLE_SERVICE_FILES);
/** One relay for every email receiver (fraud-scoring's tickets), as the `--smtp-*` flags give it. */
const RELAY = { smarthost: "smtp.example.com:587", from: "alertmanager@example.com", authUsername: "alertmanager", authPassword: "ssm:/observability/alertmanager/smtp-password" };
/** As `mlobs alertmanager --default-receiver search-ai-ticket --smtp-...` renders it (the golden file too). */
const byName = { defaultReceiver: "search-ai-ticket", smtp: RELAY };
const ownReceiver = { defaultReceiver: EXAMPLE_DEFAULT_RECEIVER, smtp: RELAY };
/** fraud-scoring's ticket receiver with a relay of its own, and no global relay. */
const withOwnRelay = services.map((s) =>
  s.alerting.ticket.type === "email"
    ? { ...s, alerting: { ...s.alerting, ticket: { ...s.alerting.ticket, smtp: { smarthost: "mail.risk.example.com:25", from: "risk-ml-alerts@example.com", requireTls: false } } } }
    : s,
);
const amtoolMissing = spawnSync("amtool", ["--version"]).error ? "amtool is not installed (apt-get install prometheus-alertmanager)" : undefined;
if (amtoolMissing) console.warn(`SKIPPED amtool routing tests: ${amtoolMissing}`);
const withAmtool = amtoolMissing ? describe.skip : describe;

function writeConfig(options: AlertmanagerFilesOptions, models = services): string {
  const dir = mkdtempSync(join(tmpdir(), "amtool-"));
  const { config, template } = alertmanagerFiles(models, options);
  writeFileSync(join(dir, "alertmanager.yml"), config);
  writeFileSync(join(dir, TEMPLATE_FILE), template);
  return join(dir, "alertmanager.yml");
}

const amtool = (...args: string[]) => spawnSync("amtool", args, { encoding: "utf8" });

withAmtool("amtool on the rendered routing tree", () => {
  const config = writeConfig(byName);
  const withCatchAll = writeConfig(ownReceiver);
  const ownRelay = writeConfig({ defaultReceiver: "search-ai-ticket" }, withOwnRelay);

  it.each([
    ["a team's receiver, one relay for all email", config],
    ["a receiver of its own, one relay for all email", withCatchAll],
    ["a team's receiver, the email receiver with a relay of its own", ownRelay],
  ])("passes amtool check-config: %s", (_, file) => {
    const r = amtool("check-config", file);
    expect(r.stdout + r.stderr).toContain("SUCCESS");
    expect(r.status).toBe(0);
  });

  it("sends alerts of a team nobody routes to the receiver of its own, catch-all, which posts to Slack", () => {
    const r = amtool("config", "routes", "test", `--config.file=${withCatchAll}`, "team=nobody", "severity=page");
    expect(r.stdout.trim()).toBe("catch-all");
    expect(routeFor(buildRoutingTree(services, ownReceiver), { team: "nobody", severity: "page" })).toBe("catch-all");
    const catchAll = parse(readFileSync(withCatchAll, "utf8")).receivers.find((x: { name: string }) => x.name === "catch-all");
    expect(catchAll.slack_configs[0]).toMatchObject({ channel: "#observability-unrouted", api_url_file: "/etc/alertmanager/secrets/secretsmanager_observability_platform_slack-webhook" });
  });

  it.each([
    ["search-ai", "page", "search-ai-page"],
    ["search-ai", "ticket", "search-ai-ticket"],
    ["risk-ml", "page", "risk-ml-page"],
    ["risk-ml", "ticket", "risk-ml-ticket"],
    ["nobody", "page", "search-ai-ticket"],
  ])("routes a %s %s alert to %s", (team, severity, receiver) => {
    const r = amtool("config", "routes", "test", `--config.file=${config}`, `team=${team}`, `severity=${severity}`, "service=x", "alertname=Y");
    expect(r.stdout.trim()).toBe(receiver);
    // The pure tree agrees with Alertmanager's own matching.
    expect(routeFor(buildRoutingTree(services, byName), { team, severity })).toBe(receiver);
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
    const tree = buildRoutingTree(services, byName);
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
    expect(() => buildRoutingTree([...services, other], byName)).toThrow(ValidationError);
    expect(() => buildRoutingTree([...services, other], byName)).toThrow(
      "rag-assistant: alerting.page: differs from chat-bot's, but both belong to team search-ai, which has one page receiver; use the same receiver or a different team",
    );
  });

  it("gives every receiver an integration: nothing routes to a receiver that sends nothing", () => {
    for (const options of [byName, ownReceiver]) {
      const receivers = parse(alertmanagerFiles(services, options).config).receivers as Record<string, unknown>[];
      for (const r of receivers) expect(Object.keys(r).filter((k) => k.endsWith("_configs"))).toHaveLength(1);
    }
  });

  it("refuses a default receiver that names no receiver of the tree, listing those it could name", () => {
    expect(() => buildRoutingTree(services, { defaultReceiver: "platform-page" })).toThrow(
      '1 problem(s) in the routing options:\n  defaultReceiver: "platform-page" is not a receiver of the routing tree; name one of risk-ml-page, risk-ml-ticket, search-ai-page, search-ai-ticket, or give a receiver of its own',
    );
  });

  it("checks a default receiver of its own as a description's receivers are checked", () => {
    const bad = { type: "slack", secret: "secretsmanager:observability/platform/slack-webhook" } as const;
    expect(() => buildRoutingTree(services, { defaultReceiver: bad })).toThrow(
      '1 problem(s) in the routing options:\n  defaultReceiver.channel: is required for slack, e.g. "#platform-alerts"',
    );
    expect(() => buildRoutingTree(services, { defaultReceiver: { type: "pagerduty", secret: "R0utingKey-123456" } })).toThrow(/defaultReceiver\.secret: /);
  });

  it("refuses an email receiver with no SMTP relay, naming its description field and both fixes", () => {
    expect(() => alertmanagerFiles(services, { defaultReceiver: "search-ai-ticket" })).toThrow(
      "1 problem(s) in the service description:\n  fraud-scoring: alerting.ticket.smtp: is required for an email receiver in the Alertmanager config: give it a relay here (smarthost and from), or give every email receiver one (mlobs alertmanager --smtp-smarthost HOST:PORT --smtp-from ADDRESS; AlertmanagerOptions.smtp)",
    );
    const emailCatchAll = { defaultReceiver: { type: "email", addresses: ["observability@example.com"] } as const };
    expect(() => alertmanagerFiles(withOwnRelay, emailCatchAll)).toThrow(/\n  defaultReceiver\.smtp: is required for an email receiver/);
  });

  it("writes the relay, its user and the password file into global, or into the receiver that has its own", () => {
    const global = parse(alertmanagerFiles(services, byName).config).global;
    expect(global).toEqual({
      resolve_timeout: "5m",
      smtp_smarthost: "smtp.example.com:587",
      smtp_from: "alertmanager@example.com",
      smtp_auth_username: "alertmanager",
      smtp_auth_password_file: "/etc/alertmanager/secrets/ssm_observability_alertmanager_smtp-password",
      smtp_require_tls: true,
    });
    const own = parse(alertmanagerFiles(withOwnRelay, { defaultReceiver: "search-ai-ticket" }).config);
    expect(Object.keys(own.global)).toEqual(["resolve_timeout"]);
    const email = own.receivers.find((x: { name: string }) => x.name === "risk-ml-ticket").email_configs[0];
    expect(email).toMatchObject({ to: "risk-ml@example.com", smarthost: "mail.risk.example.com:25", from: "risk-ml-alerts@example.com", require_tls: false });
  });

  it("checks the relay of the options as a description's is: a bad host and a password with no user are refused", () => {
    expect(() => alertmanagerFiles(services, { defaultReceiver: "search-ai-ticket", smtp: { smarthost: "smtp.example.com", from: "am@example.com", authPassword: "ssm:/o/p" } })).toThrow(
      '2 problem(s) in the Alertmanager options:\n  smtp.smarthost: "smtp.example.com" is not allowed; use host:port, e.g. "smtp.example.com:587"\n  smtp.authUsername: is required with a password: Alertmanager sends no credentials without a user name',
    );
  });

  it("keeps secrets as references: the config names files, never keys", () => {
    const { config } = alertmanagerFiles(services, byName);
    expect(config).toContain("routing_key_file: /etc/alertmanager/secrets/ssm_observability_search-ai_pagerduty-routing-key");
    expect(config).not.toMatch(/routing_key:|api_key:|api_url:/);
  });
});

describe("golden files (regenerate with `npm run golden`)", () => {
  it.each(services.map((s) => [s.name, s] as const))("the rule file of %s matches its golden file", (name, s) => {
    expectGolden(`rules/${name}.rules.yaml`, serviceRuleFile(s, { environment: "prod" }));
  });
  it("the Alertmanager routing config matches its golden file", () => {
    expectGolden("alertmanager/alertmanager.yml", alertmanagerFiles(services, byName).config);
    expectGolden(`alertmanager/${TEMPLATE_FILE}`, alertmanagerFiles(services, byName).template);
  });
});
