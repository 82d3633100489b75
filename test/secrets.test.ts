/**
 * The secret detector (service/secrets.ts) and everything that uses it: each credential kind is
 * found and shown only masked, look-alikes in the project's own output are not; the reference
 * grammar; validation names the field and never echoes the value; lint finds a key anywhere in the
 * output; review masks a changed SSM value's `password:` line. Fake secrets are built from pieces
 * so that no scanner mistakes this file for a leak.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthExampleApp } from "../examples/exampleApp";
import { lintOutput } from "../lint/lint";
import { loadSynthOutput } from "../review/load";
import { renderReview } from "../review/render";
import { buildReview } from "../review/review";
import { normalizeService, ValidationError } from "../service/normalize";
import { SECRET_REFERENCE_PATTERN } from "../service/secretReferences";
import { findSecrets, mask, maskSecrets, printable } from "../service/secrets";

type Json = Record<string, any>;

/** Fake credentials: realistic shape, never real; `tail` is what must never be printed. */
const FAKE = {
  awsKeyId: "AKIA" + "IOSFODNN7EXAMPLE",
  awsSecret: "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY",
  openai: "sk-proj-" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5e_Uo0Ki-Xt",
  openaiLegacy: "sk-" + "T3BlbkFJ8qZ2xLp7mVb9TnR4kWc8Hs1Dy6Fg3Ja5",
  anthropic: "sk-ant-api03-" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0KiXtQz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0KiXt-AA",
  huggingFace: "hf_" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo",
  google: "AIza" + "SyQz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eU",
  github: "ghp_" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0K",
  githubPat: "github_pat_" + "11AQz7xLp2mVb9TnR4kWc8_Hs1Dy6Fg3Ja5eUo0KiXtQz7xLp2mVb9Tn",
  grafana: "glsa_" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5e_0a1b2c3d",
  grafanaCloud: "glc_" + "eyJvIjoiMTIzNDU2IiwibiI6InN0YWNrLTEiLCJrIjoiUXo3eExwMm1WYjlUblI0ayJ9",
  slackWebhook: "https://hooks.slack.com/services/" + "T0A1B2C3D/B0A1B2C3D/Qz7xLp2mVb9TnR4kWc8Hs1Dy",
  slackToken: "xoxb-" + "123456789012-1234567890123-Qz7xLp2mVb9TnR4kWc8Hs1Dy",
  pagerDuty: "e93facc04764012d" + "7bfb002500d5d1a6",
  privateKey: "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEAqz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5e\n-----END RSA " + "PRIVATE KEY-----",
  queryToken: "Qz7xLp2mVb9TnR4kWc8Hs1Dy6Fg3Ja5eUo0K",
};
const tail = (s: string) => s.slice(-10);

describe("findSecrets: each kind is found and only its masked prefix is shown", () => {
  const cases: [string, string, string][] = [
    ["AWS access key id", `key id ${FAKE.awsKeyId} in a note`, FAKE.awsKeyId],
    ["AWS secret access key", `aws_secret_access_key = ${FAKE.awsSecret}`, FAKE.awsSecret],
    ["OpenAI API key", `runbook ${FAKE.openai}`, FAKE.openai],
    ["OpenAI API key", `OPENAI_KEY ${FAKE.openaiLegacy}`, FAKE.openaiLegacy],
    ["Anthropic API key", FAKE.anthropic, FAKE.anthropic],
    ["Hugging Face token", `model via ${FAKE.huggingFace}`, FAKE.huggingFace],
    ["Google API key", `?key=x ${FAKE.google}`, FAKE.google],
    ["GitHub token", `owner ${FAKE.github}`, FAKE.github],
    ["GitHub token", FAKE.githubPat, FAKE.githubPat],
    ["Grafana token", `Bearer ${FAKE.grafana}`, FAKE.grafana],
    ["Grafana token", FAKE.grafanaCloud, FAKE.grafanaCloud],
    ["Slack webhook URL", `post to ${FAKE.slackWebhook}`, FAKE.slackWebhook],
    ["Slack token", FAKE.slackToken, FAKE.slackToken],
    ["PagerDuty key", `routing_key: ${FAKE.pagerDuty}`, FAKE.pagerDuty],
    ["PagerDuty key", `https://events.pagerduty.com/integration/${FAKE.pagerDuty}/enqueue`, FAKE.pagerDuty],
    ["URL with credentials", "see https://admin:" + "hunter2secret@wiki.example.com/rag", "https://admin:" + "hunter2secret@wiki.example.com"],
    ["private key", `key:\n${FAKE.privateKey}\n`, FAKE.privateKey],
    ["password value", "exporters:\n  otlphttp:\n    password: " + "hunter2secret99\n", "hunter2secret99"],
    ["api_key value", '{"api_key":"' + 'zq81Lkd0Pq7Wmz4"}', "zq81Lkd0Pq7Wmz4"],
    ["token in a URL query", `https://hooks.example.com/alert?token=${FAKE.queryToken}`, FAKE.queryToken],
  ];
  it.each(cases)("%s in %j", (kind, text, secret) => {
    const found = findSecrets(text);
    expect(found.map((f) => f.kind)).toEqual([kind]);
    expect(found[0].masked).toBe(mask(secret));
    expect(found[0].masked).toMatch(/^.{0,4}… \(\d+ characters\)$/);
    expect(text.slice(found[0].start, found[0].end)).toContain(tail(secret));
    const masked = maskSecrets(text);
    expect(masked).toContain(`(${kind}, masked: ${mask(secret)})`);
    expect(masked).not.toContain(tail(secret));
    expect(printable(text)).not.toContain(tail(secret));
  });

  it("masks at most four characters, fewer of a short value, and always the length", () => {
    expect(mask(FAKE.awsKeyId)).toBe("AKIA… (20 characters)");
    expect(mask("hunter2")).toBe("hu… (7 characters)");
    expect(mask("abc")).toBe("a… (3 characters)");
  });

  it("masks every line of a private key in a line diff, with or without its footer", () => {
    const [header, body, footer] = FAKE.privateKey.split("\n");
    const diff = ["  exporters:", `+ ${header}`, `+ ${body}`, `+ ${body.split("").reverse().join("")}`, `+ ${footer}`, "  service:"].join("\n");
    for (const text of [diff, diff.split("\n").slice(0, 4).join("\n")]) {
      const masked = maskSecrets(text);
      expect(masked).not.toContain(body.slice(10, 30));
      expect(masked).not.toContain(body.split("").reverse().join("").slice(10, 30));
      expect(masked.startsWith("  exporters:\n+ (private key, masked: ----…")).toBe(true);
    }
    expect(maskSecrets(diff).endsWith("\n  service:")).toBe(true);
  });

  it("finds every secret of a multi-line text, in order, and masks each", () => {
    const text = `owner: ${FAKE.github}\nurl: ${FAKE.slackWebhook}\npassword: ` + "Zx9-hunter2\n";
    expect(findSecrets(text).map((f) => f.kind)).toEqual(["GitHub token", "Slack webhook URL", "password value"]);
    const masked = maskSecrets(text);
    for (const s of [FAKE.github, FAKE.slackWebhook, "Zx9-hunter2"]) expect(masked).not.toContain(tail(s));
    expect(masked.split("\n")).toHaveLength(text.split("\n").length);
  });
});

describe("look-alikes are not secrets", () => {
  const benign = [
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:observability/slack-AbCdEf",
    "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:dataprotection::aws:data-identifier/AwsSecretKey",
    "${data.aws_secretsmanager_secret_version.grafana-content_secrets_secret-1_0A1B2C3D.secret_string}",
    "${aws_ssm_parameter.collector.arn}",
    "password: ${var.grafana_password}",
    "token = ${aws_grafana_workspace_service_account_token.deploy.key}",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "rag-assistant-overview-3f2a9c1e7b",
    'sum(rate(gen_ai_client_token_usage_sum{job="rag-assistant",gen_ai_token_type="input"}[5m])) by (gen_ai_request_model)',
    "histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket[5m]))) > 2.56",
    "support-ai@example.com",
    "auth:\n  authenticator: sigv4auth",
    "secret: ssm:/observability/search-ai/pagerduty-routing-key",
    "api_key_file: /etc/alertmanager/secrets/search-ai-page",
    "risk-ml-fraud-scoring-classifier-v2",
    "task-sk-learn-baseline",
    "https://runbooks.example.com/rag?var-service=rag-assistant&orgId=1&from=now-6h",
    "https://grafana.example.com/d/rag-assistant-overview?orgId=1&viewPanel=12",
    "Tokens per request by model: a longer prompt template raises the token count",
    "password: required",
    "text-embedding-3-small",
  ];
  it.each(benign)("%j", (text) => {
    expect(findSecrets(text)).toEqual([]);
    expect(maskSecrets(text)).toBe(text);
  });
});

describe("secret references", () => {
  it.each([
    "ssm:/observability/search-ai/pagerduty-routing-key",
    "ssm:/team_a/prod.v2/slack-webhook",
    "ssm:/a" + "/b".repeat(14),
    "secretsmanager:observability/search-ai/slack-webhook",
    "secretsmanager:team+ops=alerts@corp.example",
    "secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack-webhook-AbCdEf",
    "secretsmanager:arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x",
  ])("%j is a reference", (ref) => expect(SECRET_REFERENCE_PATTERN.test(ref)).toBe(true));

  it.each([
    ["no leading slash", "ssm:observability/key"],
    ["an empty segment", "ssm://observability/key"],
    ["a trailing slash", "ssm:/observability/"],
    ["the reserved aws prefix", "ssm:/aws/reference/secretsmanager/x"],
    ["the reserved ssm prefix, in any case", "ssm:/SSMkeys/x"],
    ["16 levels", "ssm:/a" + "/b".repeat(15)],
    ["over 2048 characters", "ssm:/" + "a".repeat(2048)],
    ["a space", "ssm:/observability/my key"],
    ["a URL as a Secrets Manager name", "secretsmanager:https://hooks.slack.com/services/T0/B0/x"],
    ["over 512 characters", "secretsmanager:" + "a".repeat(513)],
    ["a truncated ARN", "secretsmanager:arn:aws:secretsmanager:eu-west-1:123:secret:x"],
    ["another scheme", "vault:/observability/key"],
  ])("%s is not a reference", (_why, ref) => expect(SECRET_REFERENCE_PATTERN.test(ref)).toBe(false));

  it("the published JSON Schema uses the same grammar", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, "..", "service", "service-description.schema.json"), "utf8"));
    const patterns = new Set<string>();
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) return x.forEach(walk);
      if (!x || typeof x !== "object") return;
      for (const [k, v] of Object.entries(x)) {
        if (k === "secret" && (v as Json).pattern) patterns.add((v as Json).pattern);
        else walk(v);
      }
    };
    walk(schema);
    expect(patterns.size).toBe(1);
    const [pattern] = patterns;
    expect(pattern).toBe(SECRET_REFERENCE_PATTERN.source);
    expect(new RegExp(pattern).test("ssm:/aws/x")).toBe(false);
  });
});

/** A valid description; the cases paste a secret into one field each. */
function description(): Json {
  return {
    name: "qa-bot",
    team: "support-ai",
    owner: "support-ai@example.com",
    kind: "llm-gateway",
    selector: { job: "qa-bot" },
    slos: [{ name: "availability", objectivePercent: 99.9, availability: {}, description: "Answers without a server error." }],
    models: [{ name: "gpt-4o-mini", provider: "openai" }],
    metrics: { values: { spanStatusError: "STATUS_CODE_ERROR" } },
    alerting: {
      page: { type: "pagerduty", secret: "ssm:/observability/support-ai/pagerduty" },
      ticket: { type: "slack", channel: "#support-ai-alerts", secret: "secretsmanager:support-ai/slack-webhook" },
      runbookBaseUrl: "https://runbooks.example.com/support-ai",
    },
  };
}

function problemsOf(mutate: (d: Json) => void): string[] {
  const d = description();
  mutate(d);
  try {
    normalizeService(d);
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

const FREE_TEXT_FIX =
  'remove it: a credential never belongs in a service description (the receiver\'s alerting.<page|ticket>.secret takes a reference, "ssm:/…" or "secretsmanager:…"); then rotate it, it is in git history';
const REFERENCE_FIX =
  'put the value in SSM Parameter Store or Secrets Manager and give its name here ("ssm:/…" or "secretsmanager:…"); then rotate it, it is in git history';

const CREDENTIAL_URL = "https://ops:" + "hunter2secret@mail.example.com";

describe("validation: a credential in any string of a description is an error at its field, masked", () => {
  it("the description the cases start from is valid", () => expect(problemsOf(() => {})).toEqual([]));

  const cases: [string, (d: Json) => void, string, string][] = [
    ["a GitHub token as owner", (d) => (d.owner = FAKE.github), "owner", `looks like a GitHub token (masked: ${mask(FAKE.github)}); ${FREE_TEXT_FIX}`],
    [
      "an OpenAI key in the runbook URL",
      (d) => (d.alerting.runbookBaseUrl = `https://runbooks.example.com/qa?key=${FAKE.openai}`),
      "alerting.runbookBaseUrl",
      `looks like an OpenAI API key (masked: ${mask(FAKE.openai)}); ${FREE_TEXT_FIX}`,
    ],
    [
      "a private key in an SLO description",
      (d) => (d.slos[0].description = FAKE.privateKey),
      "slos[0].description",
      `looks like a private key (masked: ${mask(FAKE.privateKey)}); ${FREE_TEXT_FIX}`,
    ],
    ["a Hugging Face token as a model name", (d) => (d.models[0].name = FAKE.huggingFace), "models[0].name", `looks like a Hugging Face token (masked: ${mask(FAKE.huggingFace)}); ${FREE_TEXT_FIX}`],
    ["an AWS key as a selector value", (d) => (d.selector.job = FAKE.awsKeyId), "selector.job", `looks like an AWS access key id (masked: AKIA… (20 characters)); ${FREE_TEXT_FIX}`],
    [
      "a Google key as a metric contract value",
      (d) => (d.metrics.values.spanStatusError = FAKE.google),
      "metrics.values.spanStatusError",
      `looks like a Google API key (masked: ${mask(FAKE.google)}); ${FREE_TEXT_FIX}`,
    ],
    [
      "a Slack webhook pasted as the channel",
      (d) => (d.alerting.ticket.channel = FAKE.slackWebhook),
      "alerting.ticket.channel",
      `looks like a Slack webhook URL (masked: ${mask(FAKE.slackWebhook)}); ${FREE_TEXT_FIX}`,
    ],
    [
      "a URL with a password as an email address",
      (d) => (d.alerting.ticket = { type: "email", addresses: [CREDENTIAL_URL] }),
      "alerting.ticket.addresses[0]",
      `looks like a URL with credentials (masked: ${mask(CREDENTIAL_URL)}); ${FREE_TEXT_FIX}`,
    ],
    [
      "an AWS key id as an SSM reference",
      (d) => (d.alerting.page.secret = `ssm:/${FAKE.awsKeyId}`),
      "alerting.page.secret",
      `looks like an AWS access key id (masked: AKIA… (20 characters)), not a reference; ${REFERENCE_FIX}`,
    ],
    [
      "a Slack webhook as a Secrets Manager reference",
      (d) => (d.alerting.ticket.secret = `secretsmanager:${FAKE.slackWebhook}`),
      "alerting.ticket.secret",
      `looks like a Slack webhook URL (masked: ${mask(FAKE.slackWebhook)}), not a reference; ${REFERENCE_FIX}`,
    ],
    [
      "a random key as an SSM parameter name",
      (d) => (d.alerting.page.secret = "ssm:/observability/" + "Qz7xLp2mVb9TnR4kWc8Hs1Dy"),
      "alerting.page.secret",
      `holds a key-like name (masked: Qz7x… (24 characters)), not a reference to one; ${REFERENCE_FIX}`,
    ],
  ];
  it.each(cases)("%s", (_name, mutate, path, message) => {
    const problems = problemsOf(mutate);
    expect(problems).toEqual([`${path}: ${message}`]);
    // Nothing past the masked prefix of any fake secret is printed.
    for (const secret of [...Object.values(FAKE), CREDENTIAL_URL, "Qz7xLp2mVb9TnR4kWc8Hs1Dy"]) expect(problems.join("\n")).not.toContain(tail(secret));
  });

  it("a secret where a non-string belongs is not echoed either", () => {
    const problems = problemsOf((d) => (d.slos[0].objectivePercent = `99.9 ${FAKE.github}`));
    expect(problems).toEqual([`slos[0].objectivePercent: expected a number, got a string (not shown: holds a GitHub token, masked: ${mask(FAKE.github)})`]);
  });
});

describe("lint and review on a synthesized output", () => {
  const work = mkdtempSync(join(tmpdir(), "obs-secrets-"));
  const base = join(work, "base", "cdktf.out");
  mkdirSync(join(work, "base"), { recursive: true });
  synthExampleApp({ outdir: base });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A copy of the example output with the rag-assistant prod stack edited. */
  function edited(name: string, edit: (json: Json) => void): string {
    const outdir = join(work, name, "cdktf.out");
    cpSync(base, outdir, { recursive: true });
    const file = join(outdir, "stacks", "obs-prod-rag-assistant", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as Json;
    edit(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
    return outdir;
  }
  const collectorConfig = (json: Json): Json =>
    Object.entries(json.resource.aws_ssm_parameter as Json).find(([k]) => /collector-config/.test(k))![1] as Json;

  it("no string of the examples' synthesized output looks like a secret", () => {
    const strings: string[] = [];
    const walk = (x: unknown): void => {
      if (typeof x === "string") strings.push(x);
      else if (x && typeof x === "object") Object.values(x).forEach(walk);
    };
    for (const stack of loadSynthOutput(base).stacks) walk(stack.json);
    expect(strings.length).toBeGreaterThan(1000);
    expect(strings.filter((s) => findSecrets(s).length > 0)).toEqual([]);
  });

  it("lint finds an OpenAI key in a tag and a password in the collector config, masked", () => {
    const dir = edited("lint", (json) => {
      const config = collectorConfig(json);
      config.value = config.value.replace("exporters:\n", "exporters:\n  basicauth:\n    password: " + "hunter2secret99\n");
      const group = Object.values(json.resource.aws_xray_group as Json)[0] as Json;
      group.tags.note = `model key ${FAKE.openai}`;
    });
    const findings = lintOutput(loadSynthOutput(dir)).filter((f) => f.rule === "secret-literal");
    expect(findings.map((f) => [f.address.replace(/_[0-9A-F]{8}/, "_*"), f.message])).toEqual([
      ["obs-prod-rag-assistant: aws_ssm_parameter.service_tracing_collector-config_* value", "password value in the synthesized output, masked: hunt… (15 characters)"],
      [expect.stringMatching(/^obs-prod-rag-assistant: aws_xray_group\.\S+ tags\.note$/), `OpenAI API key in the synthesized output, masked: ${mask(FAKE.openai)}`],
    ]);
    const text = JSON.stringify(findings);
    expect(text).not.toContain("hunter2secret99");
    expect(text).not.toContain(tail(FAKE.openai));
  });

  it("review shows the changed collector config as a line diff with the password masked", () => {
    const head = edited("review", (json) => {
      const config = collectorConfig(json);
      config.value = config.value.replace("exporters:\n", "exporters:\n  basicauth:\n    password: " + "hunter2secret99\n");
    });
    const markdown = renderReview(buildReview(loadSynthOutput(base), loadSynthOutput(head)));
    expect(markdown).toContain("<details><summary>value of service/tracing/collector-config</summary>");
    expect(markdown).toContain("+     password: (password value, masked: hunt… (15 characters))");
    expect(markdown).not.toContain("hunter2secret99");
  });
});
