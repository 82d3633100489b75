/**
 * `mlobs lint`: the project's own example app passes; one seeded bad synthesized output per rule
 * (a mutated copy of the example's cdk.tf.json) fails with a finding that names the service, the
 * resource address and the fix, and never echoes a secret it found.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthExampleApp } from "../examples/exampleApp";
import { formatFinding, type Finding } from "../lint/finding";
import { LINT_RULES, lintOutput } from "../lint/lint";
import { loadSynthOutput } from "../review/load";

type Json = Record<string, any>;

const ROOT = join(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "obs-lint-"));
const clean = join(work, "clean", "cdktf.out");
mkdirSync(join(work, "clean"), { recursive: true });
synthExampleApp({ outdir: clean });
afterAll(() => rmSync(work, { recursive: true, force: true }));

function mlobs(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/mlobs.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let seeded = 0;
/** A copy of the clean output with some stacks' cdk.tf.json edited. */
function seedStacks(edits: Record<string, (json: Json) => void>): string {
  const outdir = join(work, `seeded-${++seeded}`, "cdktf.out");
  cpSync(clean, outdir, { recursive: true });
  for (const [stack, edit] of Object.entries(edits)) {
    const file = join(outdir, "stacks", stack, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as Json;
    edit(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
  }
  return outdir;
}
const seed = (stack: string, edit: (json: Json) => void) => seedStacks({ [stack]: edit });

const lint = (dir: string, pagingBudget?: number) => lintOutput(loadSynthOutput(dir), { pagingBudget });
const byKey = (json: Json, type: string, pattern: RegExp): [string, Json] => {
  const entry = Object.entries(json.resource[type] as Json).find(([k]) => pattern.test(k));
  if (!entry) throw new Error(`no ${type} matching ${pattern}`);
  return entry as [string, Json];
};
const rules = (findings: Finding[]) => [...new Set(findings.map((f) => f.rule))];

describe("mlobs lint on the project's own examples", () => {
  it("finds nothing, in-process and through the CLI (exit 0)", () => {
    expect(lint(clean)).toEqual([]);
    const r = mlobs("lint", clean);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`lint: no findings in ${clean} (12 stacks, ${LINT_RULES.length} rules)\n`);
  });
});

describe("mlobs lint on seeded bad outputs, one per rule", () => {
  it("alert-fatigue: a paging alert without an slo label", () => {
    const dir = seed("obs-prod-rag-assistant-grafana", (json) => {
      const [, group] = byKey(json, "grafana_rule_group", /rag-assistant-slo-alerts/);
      delete group.rule.find((r: Json) => r.labels.severity === "page").labels.slo;
    });
    const findings = lint(dir);
    expect(rules(findings)).toEqual(["alert-fatigue"]);
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f).toMatchObject({ environment: "prod", service: "rag-assistant" });
    expect(f.address).toMatch(/^obs-prod-rag-assistant-grafana: grafana_rule_group\.rag-assistant_rules-rag-assistant-slo-alerts_[0-9A-F]+ \(MlObsAvailabilityErrorBudgetBurnFast\)$/);
    expect(f.message).toBe(
      "alert MlObsAvailabilityErrorBudgetBurnFast pages but is not an SLO symptom; make it a ticket (causes open tickets) or express it as an SLO",
    );
    expect(f.fix).toBe('make it severity "ticket" (causes open tickets), or express the symptom as an SLO');
  });

  it("alert-fatigue: an alert without its dashboard link", () => {
    const dir = seed("obs-staging-fraud-scoring-grafana", (json) => {
      const [, group] = byKey(json, "grafana_rule_group", /fraud-scoring-causes/);
      delete group.rule[0].annotations.dashboard_url;
    });
    const [f, ...rest] = lint(dir);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: "alert-fatigue", environment: "staging", service: "fraud-scoring" });
    expect(f.message).toMatch(/^alert MlObs\w+ has no "dashboard_url" annotation; responders need it first$/);
    expect(f.fix).toContain('add the "dashboard_url" annotation');
  });

  it("alert-fatigue: more paging rules than the budget (--paging-budget)", () => {
    const findings = lint(clean, 2);
    expect(rules(findings)).toEqual(["alert-fatigue"]);
    const rag = findings.find((f) => f.environment === "prod" && f.service === "rag-assistant")!;
    expect(rag.message).toBe(
      "5 paging rules exceed the budget of 2 (MlObsAnswerRelevanceErrorBudgetBurnFast, MlObsAvailabilityErrorBudgetBurnFast, MlObsEmbedLatencyErrorBudgetBurnFast, MlObsGoodAnswersErrorBudgetBurnFast, MlObsQueryLatencyErrorBudgetBurnFast) (budget 2)",
    );
    expect(rag.address).toMatch(/^obs-prod-rag-assistant-grafana: grafana_rule_group\.rag-assistant_rules-rag-assistant-slo-alerts_/);
    expect(rag.fix).toContain("raise alerting.pagingBudget deliberately");
    const cli = mlobs("lint", clean, "--paging-budget", "2");
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("[alert-fatigue] rag-assistant (prod) obs-prod-rag-assistant-grafana: grafana_rule_group.");
  });

  it("secret-literal: a Slack webhook pasted into a contact point, never echoed", () => {
    const webhook = "https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/abcdefghijklmnopqrstuvwx";
    const dir = seed("obs-prod-grafana", (json) => {
      const [, cp] = byKey(json, "grafana_contact_point", /search-ai-ticket/);
      cp.slack[0].url = webhook;
    });
    const findings = lint(dir);
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f).toMatchObject({ rule: "secret-literal", environment: "prod", service: "rag-assistant" });
    expect(f.address).toMatch(/^obs-prod-grafana: grafana_contact_point\.grafana-content_contact-points_search-ai-ticket_[0-9A-F]+ slack\[0\]\.url$/);
    expect(f.message).toBe(
      "contact point search-ai-ticket: url holds a literal value (Slack webhook URL), masked: http… (77 characters); credential fields must be Terraform references",
    );
    expect(f.fix).toContain('alerting.<page|ticket>.secret: "ssm:/…"');
    const cli = mlobs("lint", dir);
    expect(cli.code).toBe(1);
    expect(cli.stdout + cli.stderr).not.toContain("abcdefghijklmnopqrstuvwx");
  });

  it("secret-literal: an AWS access key, a password in a URL and a private key anywhere in the output", () => {
    const key = "AKIAIOSFODNN7EXAMPLE";
    const dir = seed("obs-prod-rag-assistant", (json) => {
      const [, ssm] = byKey(json, "aws_ssm_parameter", /collector-config/);
      ssm.value = `${ssm.value}\n# aws_access_key_id: ${key}\n`;
      const [, xray] = byKey(json, "aws_xray_group", /slow/);
      xray.tags.docs = "https://admin:hunter2@wiki.example.com/rag";
      const [, rule] = byKey(json, "aws_xray_sampling_rule", /sampling/);
      rule.tags.note = "-----BEGIN RSA PRIVATE KEY-----";
    });
    const findings = lint(dir);
    expect(findings.map((f) => [f.rule, f.service, f.address.replace(/_[0-9A-F]{8}/, "_*"), f.message])).toEqual([
      ["secret-literal", "rag-assistant", "obs-prod-rag-assistant: aws_ssm_parameter.service_tracing_collector-config_* value", "AWS access key id in the synthesized output, masked: AKIA… (20 characters)"],
      ["secret-literal", "rag-assistant", "obs-prod-rag-assistant: aws_xray_group.service_tracing_slow_* tags.docs", "URL with credentials in the synthesized output, masked: http… (38 characters)"],
      ["secret-literal", "rag-assistant", "obs-prod-rag-assistant: aws_xray_sampling_rule.service_tracing_sampling_* tags.note", "private key in the synthesized output, masked: ----… (31 characters)"],
    ]);
    const text = findings.map(formatFinding).join("\n");
    expect(text).not.toContain(key);
    expect(text).not.toContain("hunter2");
  });

  it("high-cardinality-label: request_id in the policy's group_by, trace_id on an alert", () => {
    const dir = seedStacks({
      "obs-prod-grafana": (json) => {
        const [, policy] = byKey(json, "grafana_notification_policy", /notification-policy/);
        policy.group_by.push("request_id");
      },
      "obs-prod-fraud-scoring-grafana": (json) => {
        const [, group] = byKey(json, "grafana_rule_group", /fraud-scoring-causes/);
        group.rule[0].labels.trace_id = "{{ $labels.trace_id }}";
      },
    });
    const findings = lint(dir);
    expect(rules(findings)).toEqual(["high-cardinality-label"]);
    expect(findings.map((f) => [f.service, f.message])).toEqual([
      ["fraud-scoring", expect.stringMatching(/^alert MlObs\w+ carries the per-request label "trace_id": every value is a separate alert instance$/)],
      ["grafana", 'the notification policy groups by "request_id" at root: one notification per request, an alert storm'],
    ]);
    expect(findings[1].address).toMatch(/^obs-prod-grafana: grafana_notification_policy\.grafana-content_notification-policy_[0-9A-F]+ \(root group_by\)$/);
    expect(findings[1].fix).toContain("group by alertname, service and slo");
  });

  it("service-ownership: log groups without an owner tag, alerts with a relative runbook link", () => {
    const dir = seed("obs-staging-fraud-scoring", (json) => {
      for (const g of Object.values(json.resource.aws_cloudwatch_log_group as Json)) delete (g as Json).tags.owner;
    });
    const noOwner = lint(dir);
    expect(noOwner).toHaveLength(1);
    expect(noOwner[0]).toMatchObject({ rule: "service-ownership", environment: "staging", service: "fraud-scoring" });
    expect(noOwner[0].address).toMatch(/^obs-staging-fraud-scoring: aws_cloudwatch_log_group\.service_logs_audit_[0-9A-F]+ and 3 more$/);
    expect(noOwner[0].message).toBe('4 resource(s) of fraud-scoring have no "owner" tag: nobody is on the hook for them');
    expect(noOwner[0].fix).toContain("set owner (a person, rota or email) in the service description");

    const relative = seed("obs-prod-rag-assistant-grafana", (json) => {
      for (const g of Object.values(json.resource.grafana_rule_group as Json))
        for (const r of (g as Json).rule) if (r.labels.service === "rag-assistant") r.annotations.runbook_url = r.annotations.runbook_url.replace("https://runbooks.example.com", "");
    });
    const [f, ...rest] = lint(relative);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: "service-ownership", service: "rag-assistant" });
    expect(f.message).toMatch(/^runbook_url "\/search-ai\/ml-obs-[a-z-]+" is not an absolute http\(s\) URL: responders cannot open it from the notification$/);
    expect(f.fix).toContain("set alerting.runbookBaseUrl to an https:// URL");
  });

  it("pii-masking: a tier without a data-protection policy, and one that only audits", () => {
    const dir = seed("obs-prod-rag-assistant", (json) => {
      const policies = json.resource.aws_cloudwatch_log_data_protection_policy as Json;
      const [debug] = byKey(json, "aws_cloudwatch_log_data_protection_policy", /debug-pii-masking/);
      delete policies[debug];
      const [, audit] = byKey(json, "aws_cloudwatch_log_data_protection_policy", /audit-pii-masking/);
      const doc = JSON.parse(audit.policy_document);
      doc.Statement = doc.Statement.filter((st: Json) => st.Sid !== "redact");
      audit.policy_document = JSON.stringify(doc);
    });
    const findings = lint(dir);
    expect(rules(findings)).toEqual(["pii-masking"]);
    expect(findings.map((f) => [f.service, f.address.replace(/_[0-9A-F]{8}$/, "_*"), f.message])).toEqual([
      ["rag-assistant", "obs-prod-rag-assistant: aws_cloudwatch_log_group.service_logs_audit_*", "log group /observability/prod/rag-assistant/audit (audit tier) has a data-protection policy that only audits: PII is found but not masked"],
      ["rag-assistant", "obs-prod-rag-assistant: aws_cloudwatch_log_group.service_logs_debug_*", "log group /observability/prod/rag-assistant/debug (debug tier) has no data-protection policy: prompts, answers and user data land in it unmasked"],
    ]);
    expect(findings[1].fix).toBe("keep logs.maskPii true (the default) in the service description; ServiceObservability adds a masking policy to every tier");
  });

  it("unescaped-template: a ${file(...)} in a dashboard and a %{ directive in a tag are findings; escapes and references are not", () => {
    const dir = seedStacks({
      "obs-prod-rag-assistant-grafana": (json) => {
        const [, dash] = byKey(json, "grafana_dashboard", /./);
        const config = JSON.parse(dash.config_json);
        config.description = 'owner: ${file("/etc/hostname")}';
        dash.config_json = JSON.stringify(config);
      },
      "obs-prod-rag-assistant": (json) => {
        const [, group] = byKey(json, "aws_cloudwatch_log_group", /errors/);
        group.tags = { ...group.tags, note: "%{ for x in [1] }boom%{ endfor }", safe: 'literal $${file("/etc/passwd")} and %%{ if }', ref: "${var.region}" };
      },
    });
    const findings = lint(dir).filter((f) => f.rule === "unescaped-template");
    expect(findings.map((f) => f.message.split(" is a ")[0])).toEqual(['"${file(\\"/etc/hostname\\")}"', '"%{ endfor }"', '"%{ for x in [1] }"']);
    expect(findings[0].address).toMatch(/^obs-prod-rag-assistant-grafana: grafana_dashboard\.\S+ config_json$/);
    expect(findings[0].service).toBe("rag-assistant");
    expect(findings[0].fix).toContain("escape literal text as $${ and %%{");
    expect(findings.some((f) => f.message.includes("passwd") || f.message.includes("var.region"))).toBe(false);
  });

  it("prints every finding with its rule, service, environment, address and fix, and exits 1", () => {
    const dir = seed("obs-prod-rag-assistant", (json) => {
      delete json.resource.aws_cloudwatch_log_data_protection_policy;
    });
    const r = mlobs("lint", dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`lint: 4 finding(s) of 1 rule(s) in ${dir} (12 stacks, ${LINT_RULES.length} rules)`);
    expect(lines[1]).toMatch(/^\[pii-masking\] rag-assistant \(prod\) obs-prod-rag-assistant: aws_cloudwatch_log_group\.service_logs_audit_[0-9A-F]+$/);
    expect(lines[2]).toMatch(/^ {4}log group \/observability\/prod\/rag-assistant\/audit \(audit tier\) has no data-protection policy/);
    expect(lines[3]).toMatch(/^ {4}fix: keep logs.maskPii true/);
  });

  it("bad input exits 2", () => {
    const r = mlobs("lint", join(work, "missing"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does not exist; give the output folder of `cdktf synth` (cdktf.out)");
    expect(mlobs("lint", clean, "--paging-budget", "many").code).toBe(2);
  });
});
