/**
 * The log contract end to end: `mlobs logs check` on the example files (every problem with its line,
 * exit codes, no secret or personal data echoed, oversize refused), the published JSON Schema and
 * docs table up to date and in agreement with the checker, and the saved queries speaking only
 * the contract's field names.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkLogLine, fileLines, MAX_PRINTED_FINDINGS } from "../cli/logsCheck";
import { LOG_DOC_FILE, LOG_SCHEMA_FILE, renderLogSchema, withFieldTable } from "../scripts/generate-log-schema";
import { LOG_FIELD_LIST } from "../service/logContract";
import { REQUEST_ID_PLACEHOLDER, savedQueries } from "../tracing/logQueries";
import { queryFields } from "./support/logsInsights";
import { runMlobs } from "./support/mlobsInProcess";

const ROOT = join(__dirname, "..");
const GOOD = "examples/logs/good.jsonl";
const BAD = "examples/logs/bad.jsonl";
const work = mkdtempSync(join(tmpdir(), "mlobs-logs-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const check = (file: string) => runMlobs(["logs", "check", file], ROOT);
/** A file in the scratch folder with these lines. */
function jsonl(name: string, lines: readonly string[]): string {
  const file = join(work, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}
/** A record that passes, to vary one thing at a time. */
const base = JSON.parse(readFileSync(join(ROOT, GOOD), "utf8").split("\n")[0]) as Record<string, unknown>;
const line = (extra: Record<string, unknown>) => JSON.stringify({ ...base, ...extra });
/** `line:kind` of each finding of one line. */
const kinds = (text: string) => checkLogLine(text, 1).map((f) => f.kind);

describe("mlobs logs check", () => {
  it("passes the good example with exit 0", () => {
    const r = check(GOOD);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`logs check: ${GOOD}: 3 record(s), no findings\n`);
    expect(r.code).toBe(0);
  });

  it("lists every problem of the bad example with its line number, and exits 1", () => {
    const r = check(BAD);
    expect(r.code).toBe(1);
    const found = r.stdout
      .split("\n")
      .map((l) => /^examples\/logs\/bad\.jsonl:(\d+): ([a-z-]+): ([^:]+)/.exec(l))
      .filter((m) => m !== null)
      .map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(found).toEqual([
      "1 bad-timestamp timestamp",
      "1 bad-value level",
      "1 correlation-id trace_id",
      "1 wrong-type latency_ms",
      "2 correlation-id request_id",
      "2 correlation-id trace_id",
      "2 forbidden-key user.email",
      "2 pii note",
      "3 invalid-json not valid JSON; each line must be one JSON object",
      "4 not-an-object a list of 3 item(s) is not an object; each line must be one JSON object",
      "5 bad-value input_tokens",
      "5 wrong-type cache_hit",
      "5 bad-value evaluation_scores.faithfulness",
      "5 credential message",
    ]);
    expect(r.stdout).toMatch(/\nlogs check: examples\/logs\/bad\.jsonl: 5 record\(s\), 5 with findings, 14 finding\(s\): invalid-json 1, not-an-object 1, wrong-type 2, bad-value 3, bad-timestamp 1, correlation-id 3, forbidden-key 1, pii 1, credential 1\n$/);
  });

  it("prints exactly what docs/logs.md shows for the bad example", () => {
    const doc = readFileSync(join(ROOT, LOG_DOC_FILE), "utf8");
    const shown = /<!-- bad-output -->\n```\n([\s\S]*?)```\n/.exec(doc);
    expect(shown?.[1]).toBe(check(BAD).stdout);
  });

  it("finds personal data in nested values, at any depth, by the collector's patterns", () => {
    const found = checkLogLine(line({ context: { turns: [{ text: "mail me at jane.roe@example.org please" }, { ips: ["10.1.2.3"] }] } }), 7);
    expect(found.map((f) => `${f.line} ${f.kind} ${f.message.split(" (")[0]}`)).toEqual([
      "7 pii context.turns[0].text: email at characters 11-31",
      "7 pii context.turns[1].ips[0]: ipv4 at characters 0-8",
    ]);
  });

  it("flags forbidden keys at any depth and in any spelling, and nothing that merely contains one", () => {
    const found = checkLogLine(line({ userName: "x", meta: { "client.ip": "x", "Phone-Number": "x" }, ip_version: 4, emails_sent: 2 }), 1);
    expect(found.filter((f) => f.kind === "forbidden-key").map((f) => f.message.split(":")[0])).toEqual(["userName", "meta.client.ip", "meta.Phone-Number"]);
    expect(found).toHaveLength(3);
  });

  it("never echoes a credential or personal data, wherever it stands (field, wrong field, key, broken line)", () => {
    const key = ["sk-proj-", "Q7vR2mX9pL4kT8wZ3nB6yH1cF5dJ0sAe"].join("");
    const token = ["ghp_", "Zx8Kq2Lm5Nv7Bc3Hd9Fg1Js4Wr6Ty0Ui2Op8A"].join("");
    const email = "pat.private@example.net";
    const file = jsonl("secrets.jsonl", [
      line({ message: `calling upstream with ${key}` }),
      line({ level: key, request_id: token, trace_id: email }),
      line({ nested: { deeper: [{ headers: `Bearer ${token}` }] }, prediction: email }),
      `{"broken": "${key}", `,
      JSON.stringify(`${email} ${token}`),
    ]);
    const r = runMlobs(["logs", "check", file]);
    expect(r.code).toBe(1);
    for (const secret of [key, token, email]) {
      expect(r.out).not.toContain(secret);
      // Not even a long piece of it: masks show at most four characters.
      expect(r.out).not.toContain(secret.slice(4, 14));
    }
    expect(r.out).toContain("(OpenAI API key, masked: sk-p… (40 characters))");
    expect(r.out).toContain("2: bad-value: level: a string of 40 characters (not shown) is not one of");
  });

  it("never prints a value holding a bidirectional override, a C1 control or a line separator", () => {
    const file = jsonl("bidi.jsonl", [line({ service: "a\u202eb" }), line({ level: "x\u0085y" }), line({ level: "p\u2028q" })]);
    const r = runMlobs(["logs", "check", file]);
    expect(r.code).toBe(1);
    for (const c of ["\u202e", "\u0085", "\u2028"]) expect(r.out).not.toContain(c);
    expect(r.out).toContain("a string of 3 characters (not shown)");
  });

  it("checks timestamps for a time zone and a real date, and the correlation ids for their form", () => {
    expect(kinds(line({ timestamp: "2025-01-15T10:20:30" }))).toEqual(["bad-timestamp"]);
    expect(kinds(line({ timestamp: "2025-02-30T10:20:30Z" }))).toEqual(["bad-timestamp"]);
    expect(kinds(line({ timestamp: 1736936430 }))).toEqual(["bad-timestamp"]);
    expect(kinds(line({ timestamp: "2025-01-15T10:20:30.123456789-05:00" }))).toEqual([]);
    expect(kinds(line({ trace_id: "0".repeat(32) }))).toEqual(["correlation-id"]);
    expect(kinds(line({ span_id: "00f067aa0ba902b" }))).toEqual(["correlation-id"]);
    expect(kinds(line({ request_id: "" }))).toEqual(["correlation-id"]);
    expect(kinds(line({ request_id: 42 }))).toEqual(["correlation-id"]);
  });

  it("prints at most 200 findings and counts the rest", () => {
    const file = jsonl("many.jsonl", Array.from({ length: 125 }, () => line({ level: "LOUD", status: "fine" })));
    const r = runMlobs(["logs", "check", file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith(file))).toHaveLength(MAX_PRINTED_FINDINGS);
    expect(lines.slice(-2)).toEqual([`... 50 more finding(s) not shown`, `logs check: ${file}: 125 record(s), 125 with findings, 250 finding(s): bad-value 250`]);
  });

  it("refuses a 200 MB file, a missing file, a folder and wrong arguments with exit 2 and no stack trace", () => {
    const big = join(work, "big.jsonl");
    writeFileSync(big, "");
    truncateSync(big, 200 * 1000 * 1000); // sparse: takes no disk
    const r = runMlobs(["logs", "check", big]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`error: ${big} is 190.7 MiB; mlobs logs check reads at most 64 MiB. Check a sample instead, e.g. head -n 100000 ${big} > sample.jsonl\nusage: mlobs logs check <file.jsonl>\n`);
    expect(runMlobs(["logs", "check", join(work, "absent.jsonl")]).stderr).toMatch(/^error: .*absent\.jsonl: no such file\n/);
    expect(runMlobs(["logs", "check", work]).stderr).toMatch(/: not a file\n/);
    for (const args of [["logs"], ["logs", "tail", GOOD], ["logs", "check"], ["logs", "check", GOOD, BAD]]) expect(runMlobs(args, ROOT).code).toBe(2);
    expect(runMlobs(["logs", "check", "--fix", GOOD], ROOT).code).toBe(2);
  });

  it("reads lines across chunk boundaries, multi-byte characters and CRLF intact", () => {
    const long = "é".repeat(700_000); // 1.4 MB: spans the 1 MiB read
    const file = join(work, "chunks.jsonl");
    writeFileSync(file, `a\r\n${long}\nb`);
    expect([...fileLines(file)]).toEqual(["a", long, "b"]);
  });
});

// ---- the published schema ----------------------------------------------------------------------

type Schema = Record<string, unknown>;
const schemaText = readFileSync(join(ROOT, LOG_SCHEMA_FILE), "utf8");
const schema = JSON.parse(schemaText) as Schema;

/** Draft 2020-12 on the keywords the log schema uses (annotations such as `format` and `x-…` assert nothing). */
function violations(s: Schema, value: unknown, at = "$"): string[] {
  const types = s.type === undefined ? [] : ([] as string[]).concat(s.type as string);
  const isA: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === "string",
    number: (v) => typeof v === "number",
    integer: (v) => Number.isInteger(v),
    boolean: (v) => typeof v === "boolean",
    array: Array.isArray,
    object: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
  };
  if (types.length > 0 && !types.some((t) => isA[t](value))) return [`${at} is not ${types.join("/")}`];
  const out: string[] = [];
  const fail = (ok: boolean, keyword: string) => void (ok || out.push(`${at} fails ${keyword}`));
  if (s.enum) fail((s.enum as unknown[]).includes(value), "enum");
  if (s.not) fail(violations(s.not as Schema, value, at).length > 0, "not");
  if (typeof value === "string") {
    if (s.pattern !== undefined) fail(new RegExp(s.pattern as string, "u").test(value), "pattern");
    if (s.minLength !== undefined) fail([...value].length >= (s.minLength as number), "minLength");
    if (s.maxLength !== undefined) fail([...value].length <= (s.maxLength as number), "maxLength");
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined) fail(value >= (s.minimum as number), "minimum");
    if (s.maximum !== undefined) fail(value <= (s.maximum as number), "maximum");
  }
  if (Array.isArray(value)) {
    if (s.maxItems !== undefined) fail(value.length <= (s.maxItems as number), "maxItems");
    if (s.items) value.forEach((v, i) => out.push(...violations(s.items as Schema, v, `${at}[${i}]`)));
  }
  if (isA.object(value)) {
    const record = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const k of (s.required ?? []) as string[]) fail(Object.hasOwn(record, k), `required ${k}`);
    for (const [k, v] of Object.entries(record)) {
      if (s.propertyNames) out.push(...violations(s.propertyNames as Schema, k, `${at} key ${k}`));
      if (Object.hasOwn(properties, k)) out.push(...violations(properties[k], v, `${at}.${k}`));
      else if (s.additionalProperties) out.push(...violations(s.additionalProperties as Schema, v, `${at}.${k}`));
    }
  }
  return out;
}

const examples = (file: string) =>
  readFileSync(join(ROOT, file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");

describe("the published log record schema (service/log-record.schema.json)", () => {
  it("is exactly what scripts/generate-log-schema.ts produces today (run `npm run gen:log-schema`)", () => {
    expect(schemaText).toBe(renderLogSchema());
  });

  it("comes with the field table of docs/logs.md, generated from the same definition, up to date", () => {
    const doc = readFileSync(join(ROOT, LOG_DOC_FILE), "utf8");
    expect(withFieldTable(doc)).toBe(doc);
    for (const f of LOG_FIELD_LIST) expect(doc).toContain(`| \`${f.name}\` |`);
  });

  it("publishes the classifications: forbidden keys, and the fields never to use as metric labels", () => {
    expect(schema["x-forbidden-keys"]).toEqual(expect.arrayContaining(["email", "phone", "user_name", "address", "ip", "ssn", "card_number", "password", "api_key", "authorization"]));
    expect(schema["x-metric-label-never"]).toEqual(
      expect.arrayContaining(["request_id", "trace_id", "span_id", "timestamp", "latency_ms", "prediction", "gen_ai.input.messages", "gen_ai.output.messages"]),
    );
    for (const [name, p] of Object.entries(schema.properties as Record<string, Schema>)) {
      expect([name, p["x-personal-data"]]).toEqual([name, expect.stringMatching(/^(none|content)$/)]);
      expect([name, p["x-metric-label"]]).toEqual([name, expect.stringMatching(/^(allowed|never)$/)]);
    }
  });

  it("accepts every good example record, as the checker does", () => {
    for (const l of examples(GOOD)) {
      expect(violations(schema, JSON.parse(l))).toEqual([]);
      expect(checkLogLine(l, 1)).toEqual([]);
    }
  });

  it("rejects every bad example record that is JSON, as the checker does (but for PII in free text, which no schema sees)", () => {
    const parsed = examples(BAD).flatMap((l) => {
      try {
        return [JSON.parse(l) as unknown];
      } catch {
        return [];
      }
    });
    expect(parsed).toHaveLength(4);
    for (const record of parsed) expect(violations(schema, record)).not.toEqual([]);
  });
});

// ---- the saved queries -------------------------------------------------------------------------

describe("the saved Logs Insights queries", () => {
  const contract = new Set(LOG_FIELD_LIST.map((f) => f.name));

  it("read only fields of the log contract", () => {
    for (const q of savedQueries()) {
      const fields = queryFields(q.query);
      expect(fields.length).toBeGreaterThan(0);
      expect([q.id, fields.filter((w) => !contract.has(w))]).toEqual([q.id, []]);
    }
  });

  it("cover the runbook's steps, each on the tier that holds its records", () => {
    const byId = Object.fromEntries(savedQueries().map((q) => [q.id, q]));
    expect(Object.keys(byId).sort()).toEqual(["errors-by-release", "errors-by-request", "release-before-after", "request-by-id", "request-by-id-sampled", "slowest-per-stage"]);
    expect(byId["request-by-id"].query).toContain(`filter request_id = "${REQUEST_ID_PLACEHOLDER}"`);
    expect(byId["slowest-per-stage"].query).toMatch(/pct\(latency_ms, 95\).*pct\(latency_ms, 99\).* by stage/);
    expect(byId["errors-by-release"].query).toMatch(/by model_version, prompt_version/);
    expect(byId["release-before-after"].query).toMatch(/by bin\(1h\), model_version, prompt_version/);
    expect(Object.fromEntries(savedQueries().map((q) => [q.id, q.tier]))).toEqual({
      "request-by-id": "errors",
      "request-by-id-sampled": "standard",
      "errors-by-request": "errors",
      "slowest-per-stage": "standard",
      "errors-by-release": "errors",
      "release-before-after": "standard",
    });
  });

  it("the identifier parser sees through strings, functions, aliases and @-fields", () => {
    expect(queryFields('fields @timestamp, a.b | filter c = "d e" | stats pct(f, 95) as p by bin(1h), g')).toEqual(["a.b", "c", "f", "g"]);
  });
});
