/**
 * The `mlobs` command line as users run it: `node bin/mlobs.js validate <files>` in a child process.
 * Bad input exits 2 with one `<file>: <path>: <message>` line per problem and no stack trace.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "mlobs-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function mlobs(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/mlobs.js", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const stackTraceLines = (text: string) => text.split("\n").filter((l) => /^\s+at /.test(l));

/** A description with exactly five independent mistakes (none hides or causes another). */
const FIVE_MISTAKES = `# five mistakes, one per commented line
name: qa-bot
team: support-ai
owner: support-ai@example.com
kind: rag-pipline                      # 1: misspelt kind
stages:
  - { name: retrieve, latencyTargetSeconds: 0.32 }
slos:
  - name: availability
    objectivePercent: 100              # 2: no error budget left
    availability: {}
  - name: answer-latency
    objectivePercent: 99
    latency: { thresholdSeconds: 2.5 } # 3: not a bucket boundary
logs:
  errors: { retentionDays: 100 }       # 4: not a CloudWatch retention
alerting:
  page: { type: pagerduty, secret: "R0utingKey-123456" }   # 5: literal secret
  ticket: { type: email, addresses: [support-ai@example.com] }
  runbookBaseUrl: https://runbooks.example.com/support-ai
`;

describe("mlobs validate", () => {
  it("a file with five mistakes exits 2 and prints exactly five problem lines, each with file and field path, and no stack trace", () => {
    const file = join(work, "five-mistakes.yaml");
    writeFileSync(file, FIVE_MISTAKES);
    const r = mlobs("validate", file);
    expect(r.code).toBe(2);
    const problemLines = r.stderr.split("\n").filter((l) => l.trim().startsWith(`${file}: `));
    expect(problemLines.map((l) => l.trim().slice(file.length + 2).replace(/:.*$/, ""))).toEqual([
      // problems of single fields first (a retention CloudWatch refuses is one), then cross-field ones
      "kind",
      "slos[0].objectivePercent",
      "logs.errors.retentionDays",
      "alerting.page.secret",
      "slos[1].latency.thresholdSeconds",
    ]);
    expect(problemLines.every((l) => /^\s*\S.*: \S+: \S/.test(l))).toBe(true);
    expect(r.stderr).toContain("5 problem(s)");
    expect(stackTraceLines(r.stderr + r.stdout)).toEqual([]);
    expect(r.stdout).toBe("");
  });

  it("the two example files pass and are summarised on stdout with exit 0, with a note on the SLO too loose for 1-hour pages", () => {
    const r = mlobs("validate", "examples/rag-assistant.yaml", "examples/fraud-scoring.yaml");
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.split("\n").filter(Boolean);
    expect(lines.map((l) => l.split(" ").slice(0, 2).join(" "))).toEqual(["ok: rag-assistant", "ok: fraud-scoring", "note: fraud-scoring:"]);
    expect(lines[2]).toBe(
      'note: fraud-scoring: slo "accuracy" (objective 90 %): its 14.4x-over-1h page needs an error ratio of 144 % and never fires; ' +
        "a total failure pages only through 6x over 6h, after 3.6 h; objectivePercent 93.06 or more pages within 1h",
    );
  });

  it("a YAML syntax error exits 2 with the file named and no stack trace", () => {
    const file = join(work, "broken.yaml");
    writeFileSync(file, "name: qa-bot\nteam: [support-ai\nowner: me\n");
    const r = mlobs("validate", file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:`);
    expect(r.stderr).toContain("fix the YAML syntax");
    expect(stackTraceLines(r.stderr)).toEqual([]);
  });

  it("a file that does not exist exits 2 and says to check the path", () => {
    const r = mlobs("validate", join(work, "missing.yaml"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(work, "missing.yaml")}: cannot be read (ENOENT); check the path`);
    expect(stackTraceLines(r.stderr)).toEqual([]);
  });

  // BUG (service/schemaDsl.ts check/prune): a key named like an Object.prototype member
  // (`constructor`, `toString`, `__proto__`...) is looked up with `node.fields[k]`, finds the
  // inherited member, and crashes with "TypeError: Cannot read properties of undefined (reading
  // 'type')": exit 1 with a stack trace instead of exit 2 and "constructor: unknown field".
  it("a key named like an Object.prototype member is an unknown field, not a crash", () => {
    const file = join(work, "proto-key.yaml");
    writeFileSync(file, "name: qa-bot\nconstructor: 1\n");
    const r = mlobs("validate", file);
    expect(stackTraceLines(r.stderr)).toEqual([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: constructor: unknown field`);
  });
});

describe("usage errors", () => {
  it("an unknown command exits 2, names the command and prints the usage", () => {
    const r = mlobs("frobnicate");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: unknown command "frobnicate"');
    expect(r.stderr).toContain("usage: mlobs <command> [arguments]");
  });

  it("validate without files exits 2 and prints the usage", () => {
    const r = mlobs("validate");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: give at least one description file");
    expect(r.stderr).toContain("mlobs validate <service.yaml|json>...");
  });

  it("no command at all exits 2 with the usage", () => {
    const r = mlobs();
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain("usage: mlobs <command> [arguments]");
  });

  it("a well-formed command with a wrong value exits 2 with the message and a pointer to the usage, not the whole usage", () => {
    const r = mlobs("synth", "examples/rag-assistant.yaml", "--env", "nope");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: --env nope: no service lists it; they list prod, staging\n(mlobs help: the commands and their options)\n");
  });

  it("init names the file name when the service name it gives is not one, and says nothing of a team it was not given", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlobs-init-"));
    const r = mlobs("init", join(dir, "my svc.yaml"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: the file name gives the service name "my svc", which is not one; use 2-40 lower-case letters, digits and dashes, starting with a letter (name the file so, or pass --name)\n');
    expect(r.stderr).not.toContain("--team");
    rmSync(dir, { recursive: true, force: true });
  });

  it("an empty description file is reported as empty, not as null", () => {
    const dir = mkdtempSync(join(tmpdir(), "mlobs-empty-"));
    writeFileSync(join(dir, "svc.yaml"), "");
    const r = mlobs("validate", join(dir, "svc.yaml"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(top level): expected an object, got nothing (an empty file or a key with no value)");
    rmSync(dir, { recursive: true, force: true });
  });

  it("an unknown option exits 2 and lists the options", () => {
    const r = mlobs("validate", "--strict", "examples/rag-assistant.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown option --strict");
  });
});

describe("the generating commands write what the engines accept", () => {
  const examples = ["examples/rag-assistant.yaml", "examples/fraud-scoring.yaml"];
  /** The relay of fraud-scoring's email tickets, its password a reference the config reads from a file. */
  const RELAY_FLAGS = ["--smtp-smarthost", "smtp.example.com:587", "--smtp-from", "alertmanager@example.com", "--smtp-auth-username", "alertmanager", "--smtp-auth-password", "ssm:/observability/alertmanager/smtp-password"];

  it("rules writes one rule file per service, each accepted by promtool check rules", () => {
    const out = join(work, "rules");
    const r = mlobs("rules", ...examples, "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("rag-assistant.rules.yaml");
    const check = spawnSync("promtool", ["check", "rules", join(out, "rag-assistant.rules.yaml"), join(out, "fraud-scoring.rules.yaml")], { encoding: "utf8" });
    if (check.error) return console.warn("SKIPPED promtool check of CLI output: promtool is not installed");
    expect(check.status).toBe(0);
  });

  it("dashboards writes three parseable dashboards per service", () => {
    const out = join(work, "dashboards");
    const r = mlobs("dashboards", ...examples, "--out", out);
    expect(r.code).toBe(0);
    for (const s of ["rag-assistant", "fraud-scoring"])
      for (const k of ["operational", "quality", "drift"]) expect(JSON.parse(readFileSync(join(out, s, `${k}.json`), "utf8")).uid).toMatch(/^[a-z0-9-]+$/);
  });

  it("alertmanager writes a config amtool accepts, sending alerts of a team nobody routes to the named default receiver", () => {
    const file = join(work, "am", "alertmanager.yml");
    const r = mlobs("alertmanager", ...examples, "--out", file, "--default-receiver", "risk-ml-page", ...RELAY_FLAGS);
    expect(r.code).toBe(0);
    expect(existsSync(join(work, "am", "mlobs.tmpl"))).toBe(true);
    const check = spawnSync("amtool", ["check-config", file], { encoding: "utf8" });
    if (check.error) return console.warn("SKIPPED amtool check of CLI output: amtool is not installed");
    expect(check.status).toBe(0);
    const route = spawnSync("amtool", ["config", "routes", "test", `--config.file=${file}`, "team=nobody", "severity=page"], { encoding: "utf8" });
    expect(route.stdout.trim()).toBe("risk-ml-page");
    expect(readFileSync(file, "utf8")).toContain("smtp_auth_password_file: /etc/alertmanager/secrets/ssm_observability_alertmanager_smtp-password\n");
  });

  it.each([
    ["without a default receiver", RELAY_FLAGS, "error: the Alertmanager config needs a default receiver for alerts whose team no service routes: --default-receiver NAME names a team's receiver"],
    [
      "with a default receiver no team has",
      ["--default-receiver", "platform-page", ...RELAY_FLAGS],
      'error: --default-receiver "platform-page" is not a receiver of the routing tree; name one of risk-ml-page, risk-ml-ticket, search-ai-page, search-ai-ticket',
    ],
    [
      "without an SMTP relay for fraud-scoring's email tickets",
      ["--default-receiver", "risk-ml-page"],
      "error: 1 problem(s) in the service description:\n  fraud-scoring: alerting.ticket.smtp: is required for an email receiver in the Alertmanager config: give it a relay here (smarthost and from), or give every email receiver one (mlobs alertmanager --smtp-smarthost HOST:PORT --smtp-from ADDRESS",
    ],
    [
      "with a relay missing its port and sender",
      ["--default-receiver", "risk-ml-page", "--smtp-smarthost", "smtp.example.com"],
      'error: --smtp-smarthost: "smtp.example.com" is not allowed; use host:port, e.g. "smtp.example.com:587"\n  --smtp-from: is required: Sender address of the notifications.',
    ],
    ["with --smtp-require-tls neither true nor false", ["--default-receiver", "risk-ml-page", ...RELAY_FLAGS, "--smtp-require-tls", "no"], 'error: --smtp-require-tls takes true or false, got "no"'],
  ])("alertmanager %s exits 2 with the fix and no stack trace, writing nothing", (_, flags, message) => {
    const file = join(work, "am-refused", "alertmanager.yml");
    const r = mlobs("alertmanager", ...examples, "--out", file, ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(stackTraceLines(r.stderr)).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  it("rules refuses an environment the service does not run in, before writing anything", () => {
    const out = join(work, "rules-bad-env");
    const r = mlobs("rules", ...examples, "--out", out, "--env", "qa");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not run in "qa"');
    expect(existsSync(out)).toBe(false);
  });
});
