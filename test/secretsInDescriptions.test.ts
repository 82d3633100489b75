/**
 * Secrets and service descriptions: the reference grammar (and the published JSON Schema's copy
 * of it); validation names the field of a pasted credential and never echoes the value.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { normalizeService } from "../service/normalize";
import { SECRET_REFERENCE_PATTERN } from "../service/secretReferences";
import { mask } from "../service/secrets";
import { FAKE, tail, type Json } from "./support/fakeSecrets";
import { problems } from "./support/validationProblems";

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
  return problems(() => normalizeService(d));
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
