/**
 * The secret detector (service/secrets.ts): each credential kind is found and shown only masked,
 * look-alikes in the project's own output are not. Descriptions: test/secretsInDescriptions.test.ts;
 * lint and review of a synthesized output: test/secretsInOutput.test.ts.
 */
import { findSecrets, mask, maskSecrets, printable } from "../service/secrets";
import { FAKE, tail } from "./support/fakeSecrets";

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
