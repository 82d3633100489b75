/**
 * The log contract: the published JSON Schema and docs table up to date, and the saved queries
 * speaking only the contract's field names.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LOG_DOC_FILE, LOG_SCHEMA_FILE, renderLogSchema, withFieldTable } from "../scripts/generate-log-schema";
import { LOG_FIELD_LIST } from "../service/logContract";
import { REQUEST_ID_PLACEHOLDER, savedQueries } from "../tracing/logQueries";

const ROOT = join(__dirname, "..");

// ---- the published schema ----------------------------------------------------------------------

type Schema = Record<string, unknown>;
const schemaText = readFileSync(join(ROOT, LOG_SCHEMA_FILE), "utf8");
const schema = JSON.parse(schemaText) as Schema;

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
});

// ---- the saved queries -------------------------------------------------------------------------

/** Logs Insights words that are not fields: commands, functions (followed by `(`), operators, keywords. */
const QUERY_WORDS = new Set(["fields", "filter", "stats", "sort", "limit", "display", "by", "as", "and", "or", "not", "in", "asc", "desc", "like"]);

/** The field names a query reads: words that are not keywords, functions, `@`-fields, aliases, strings or numbers. */
function queryFields(query: string): string[] {
  const noStrings = query.replace(/"[^"]*"/g, '""');
  const aliases = new Set([...noStrings.matchAll(/\bas\s+([A-Za-z_][\w.]*)/g)].map((m) => m[1]));
  return [...noStrings.matchAll(/(@?)\b([A-Za-z_][\w.]*)(\s*\()?/g)]
    .filter(([, at, word, call]) => !at && !call && !QUERY_WORDS.has(word) && !aliases.has(word))
    .map(([, , word]) => word);
}

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
