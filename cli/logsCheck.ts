/**
 * `mlobs logs check <file.jsonl>`: checks structured log records, one JSON object a line, against
 * the log contract (service/logContract.ts): required fields, types, the timestamp, the correlation
 * ids, forbidden keys, and personal data or credentials in any string, found with the collector's
 * own patterns (`findPii`, tracing/redaction.ts) and the project's credential detector
 * (`findSecrets`, service/secrets.ts). Exit codes: 0 clean, 1 findings, 2 bad input.
 *
 * No finding echoes what it found: a credential shows as its kind and mask, personal data as its
 * kind and position, and any other value only when it is short and holds neither.
 */
import { FORBIDDEN_LOG_KEYS, LOG_FIELD_LIST, LOG_FIELDS, TIMESTAMP_PATTERN, type LogField, type LogValue } from "../service/logContract";
import { describeFinding, findSecrets, type SecretFinding } from "../service/secrets";
import { hasForbiddenCharacter } from "../service/inputLimits";
import { PII_PATTERNS, findPii, redactionTag, type PiiFinding } from "../tracing/redaction";
import { LogFileError, fileLines } from "./lineReader";

export { LogFileError, MAX_LOG_FILE_BYTES, fileLines } from "./lineReader";

export const LOGS_CHECK_USAGE = "mlobs logs check <file.jsonl>";
/** Findings printed; the rest are counted in the summary. */
export const MAX_PRINTED_FINDINGS = 200;
/** Nesting below this is not scanned (and reported): deep input must not exhaust the stack. */
const MAX_DEPTH = 64;

export const LOG_FINDING_KINDS = [
  "invalid-json",
  "not-an-object",
  "missing-field",
  "wrong-type",
  "bad-value",
  "bad-timestamp",
  "correlation-id",
  "forbidden-key",
  "pii",
  "credential",
] as const;
export type LogFindingKind = (typeof LOG_FINDING_KINDS)[number];

export interface LogFinding {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly kind: LogFindingKind;
  /** What is wrong and where, never the offending value. */
  readonly message: string;
}

// ---- values, shown safely -------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A value for a message: short clean strings and scalars as they are, anything else by its shape. */
function shown(value: unknown): string {
  if (typeof value === "string") {
    const clean = value.length <= 40 && findSecrets(value).length === 0 && findPii(value).length === 0 && !hasForbiddenCharacter(value);
    return clean ? JSON.stringify(value) : `a string of ${value.length} characters (not shown)`;
  }
  if (Array.isArray(value)) return `a list of ${value.length} item(s)`;
  if (isRecord(value)) return "an object";
  return JSON.stringify(value);
}

/** Field paths as a reader writes them: `user.email`, `features_used[2]`. */
const child = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`);

// ---- the contract's value shapes --------------------------------------------------------------

interface Problem {
  readonly kind: "wrong-type" | "bad-value";
  readonly message: string;
}
const wrongType = (expected: string, value: unknown): Problem => ({ kind: "wrong-type", message: `expected ${expected}, got ${shown(value)}` });
const badValue = (message: string): Problem => ({ kind: "bad-value", message });

/** A calendar date and clock time that exist (2025-02-30 and 24:00 do not). */
function realTimestamp(s: string): boolean {
  const [y, mo, d, h, mi, sec] = s.split(/[-T:.Z+]/).slice(0, 6).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h <= 23 && mi <= 59 && sec <= 60;
}

function stringProblem(value: string, maxLength: number, pattern?: RegExp, hint?: string): Problem | undefined {
  if (value.length === 0) return badValue("is empty");
  if (value.length > maxLength) return badValue(`is ${value.length} characters long; at most ${maxLength}`);
  if (pattern && !pattern.test(value)) return badValue(`${shown(value)} is not allowed; use ${hint ?? `a value matching ${pattern.source}`}`);
  return undefined;
}

/** Problems of `value` against the shape `v`, each with the path below the field where it lies. */
function valueProblems(v: LogValue, value: unknown, path: string): { path: string; problem: Problem }[] {
  const one = (problem: Problem | undefined) => (problem ? [{ path, problem }] : []);
  switch (v.kind) {
    case "string":
      return one(typeof value === "string" ? stringProblem(value, v.maxLength, v.pattern, v.hint) : wrongType("a string", value));
    case "timestamp":
      if (typeof value !== "string") return one(wrongType("an ISO 8601 string", value));
      return one(
        TIMESTAMP_PATTERN.test(value) && realTimestamp(value)
          ? undefined
          : badValue(`${shown(value)} is not an ISO 8601 date and time with a time zone; write e.g. "2025-01-15T10:20:30.123Z" or "2025-01-15T11:20:30+01:00"`),
      );
    case "enum":
      if (typeof value !== "string") return one(wrongType(`one of ${v.values.join(", ")}`, value));
      return one(v.values.includes(value) ? undefined : badValue(`${shown(value)} is not one of ${v.values.join(", ")}`));
    case "number": {
      const expected = `${v.integer ? "an integer" : "a number"} ≥ ${v.minimum}${v.maximum !== undefined ? ` and ≤ ${v.maximum}` : ""}`;
      if (typeof value !== "number" || (v.integer && !Number.isInteger(value))) return one(wrongType(expected, value));
      return one(value < v.minimum || (v.maximum !== undefined && value > v.maximum) ? badValue(`${value} is out of range; expected ${expected}`) : undefined);
    }
    case "boolean":
      return one(typeof value === "boolean" ? undefined : wrongType("true or false", value));
    case "names":
      if (!Array.isArray(value)) return one(wrongType("a list of feature names", value));
      if (value.length > v.maxItems) return one(badValue(`has ${value.length} names; at most ${v.maxItems}`));
      return value.flatMap((item, i) => {
        const problem = typeof item === "string" ? stringProblem(item, 128) : wrongType("a feature name (string)", item);
        return problem ? [{ path: child(path, i), problem }] : [];
      });
    case "labelOrNumber":
      if (typeof value === "number") return [];
      if (typeof value !== "string") return one(wrongType("a label (string) or a number", value));
      return one(stringProblem(value, v.maxLength));
    case "scores":
      if (!isRecord(value)) return one(wrongType("an object of score name → number in [0, 1]", value));
      return Object.entries(value).flatMap(([k, s]) =>
        typeof s !== "number" ? [{ path: child(path, k), problem: wrongType("a number in [0, 1]", s) }] : s < 0 || s > 1 ? [{ path: child(path, k), problem: badValue(`${s} is outside [0, 1]`) }] : [],
      );
    case "content":
      if (typeof value === "string") return [];
      if (!Array.isArray(value)) return one(wrongType("a list of messages or a string", value));
      return value.flatMap((m, i) => (isRecord(m) ? [] : [{ path: child(path, i), problem: wrongType("a message object", m) }]));
  }
}

// ---- one record ------------------------------------------------------------------------------

/** Correlation ids: the fields that join a record to its request and trace. */
const CORRELATION: ReadonlySet<string> = new Set([LOG_FIELDS.requestId, LOG_FIELDS.traceId, LOG_FIELDS.spanId]);

/** How the findings of a field are filed: the timestamp and correlation ids have their own kinds. */
function kindFor(field: LogField, problem: LogFindingKind): LogFindingKind {
  if (field.name === LOG_FIELDS.timestamp) return "bad-timestamp";
  if (CORRELATION.has(field.name)) return "correlation-id";
  return problem;
}

/** `userName`, `user-name`, `User.Name` → `user_name`; a dotted key is also judged by its last part. */
const normalizedKey = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().replace(/-/g, "_");
const FORBIDDEN: ReadonlySet<string> = new Set(FORBIDDEN_LOG_KEYS);
function forbiddenKey(key: string): string | undefined {
  const k = normalizedKey(key);
  const last = k.slice(k.lastIndexOf(".") + 1);
  return FORBIDDEN.has(k) ? k : FORBIDDEN.has(last) ? last : undefined;
}

/**
 * Personal data and credentials in one string, without overlaps: a credential wins over the PII
 * pattern that also matches it (a JWT, an API key), and among PII patterns the earlier one wins,
 * as in the collector, which replaces them in order.
 */
function sensitiveSpans(s: string): { secrets: SecretFinding[]; pii: PiiFinding[] } {
  const secrets = findSecrets(s);
  const taken: { start: number; end: number }[] = [...secrets];
  const pii: PiiFinding[] = [];
  for (const p of findPii(s)) {
    if (taken.some((t) => p.start < t.end && t.start < p.end)) continue;
    pii.push(p);
    taken.push(p);
  }
  return { secrets, pii };
}

/** Findings of the text at `path`, each naming what and where but never the text itself. */
function scanString(s: string, path: string, add: (kind: LogFindingKind, message: string) => void): void {
  const where = path === "" ? "the line" : path;
  const { secrets, pii } = sensitiveSpans(s);
  for (const f of secrets) add("credential", `${where}: ${describeFinding(f)} at characters ${f.start}-${f.end}; remove it from the log and rotate it`);
  for (const p of pii) add("pii", `${where}: ${p.kind} at characters ${p.start}-${p.end} (the collector would write ${redactionTag(PII_PATTERNS.find((x) => x.kind === p.kind)!)}); drop or hash it in the service`);
}

/** Forbidden keys and sensitive strings anywhere below `value`. */
function scanTree(value: unknown, path: string, depth: number, add: (kind: LogFindingKind, message: string) => void): void {
  if (typeof value === "string") return scanString(value, path, add);
  if (value === null || typeof value !== "object") return;
  if (depth >= MAX_DEPTH) return add("bad-value", `${path}: nested deeper than ${MAX_DEPTH} levels; not scanned further`);
  if (Array.isArray(value)) return value.forEach((v, i) => scanTree(v, child(path, i), depth + 1, add));
  for (const [k, v] of Object.entries(value)) {
    const forbidden = forbiddenKey(k);
    // The key is the finding; its value is not scanned too, which would report one mistake twice.
    if (forbidden) add("forbidden-key", `${child(path, k)}: "${forbidden}" is personal data or a credential and must never be logged; drop the field`);
    else scanTree(v, child(path, k), depth + 1, add);
  }
}

/** Every problem of one line of a JSONL file (pure). Blank lines hold no record and have none. */
export function checkLogLine(text: string, line: number): LogFinding[] {
  const findings: LogFinding[] = [];
  const add = (kind: LogFindingKind, message: string) => void findings.push({ line, kind, message });
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    // The parser's message quotes the line, so it is not passed on; the line is scanned instead.
    add("invalid-json", "not valid JSON; each line must be one JSON object");
    scanString(text, "", add);
    return findings;
  }
  if (!isRecord(record)) {
    add("not-an-object", `${shown(record)} is not an object; each line must be one JSON object`);
    scanTree(record, "", 0, add);
    return findings;
  }
  for (const field of LOG_FIELD_LIST) {
    if (!Object.hasOwn(record, field.name)) {
      const why = CORRELATION.has(field.name) ? "; without it the record cannot be joined to its request and trace" : "";
      if (field.required) add(kindFor(field, "missing-field"), `${field.name}: missing; a required field${why}`);
      continue;
    }
    for (const { path, problem } of valueProblems(field.value, record[field.name], field.name)) add(kindFor(field, problem.kind), `${path}: ${problem.message}`);
  }
  scanTree(record, "", 0, add);
  return findings;
}

/** Blank lines (a trailing newline) hold no record. */
export const isBlank = (text: string) => text.trim() === "";

export interface LogCheckSummary {
  readonly records: number;
  readonly recordsWithFindings: number;
  readonly findings: number;
  readonly byKind: Readonly<Partial<Record<LogFindingKind, number>>>;
}

/** Checks every line, hands each finding to `report`, and returns the counts (pure but for `report`). */
export function checkLogLines(lines: Iterable<string>, report: (f: LogFinding) => void): LogCheckSummary {
  let records = 0;
  let recordsWithFindings = 0;
  let findings = 0;
  const byKind: Partial<Record<LogFindingKind, number>> = {};
  let line = 0;
  for (const text of lines) {
    line++;
    if (isBlank(text)) continue;
    records++;
    const found = checkLogLine(text, line);
    if (found.length > 0) recordsWithFindings++;
    for (const f of found) {
      findings++;
      byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
      report(f);
    }
  }
  return { records, recordsWithFindings, findings, byKind };
}

export interface LogsArgs {
  readonly positional: readonly string[];
}

/** The runner: `mlobs logs check <file.jsonl>`; prints findings (at most MAX_PRINTED_FINDINGS), then the summary. */
export function logsCommand(args: LogsArgs, out: (line: string) => void): number {
  const fail = (message: string) => {
    process.stderr.write(`error: ${message}\nusage: ${LOGS_CHECK_USAGE}\n`);
    return 2;
  };
  const [sub, file, ...extra] = args.positional;
  if (sub !== "check") return fail(sub === undefined ? "give a subcommand: check" : `unknown subcommand "${sub}"; the one subcommand is check`);
  if (file === undefined || extra.length > 0) return fail("give exactly one JSONL file");
  let printed = 0;
  let summary: LogCheckSummary;
  try {
    summary = checkLogLines(fileLines(file), (f) => {
      if (printed++ < MAX_PRINTED_FINDINGS) out(`${file}:${f.line}: ${f.kind}: ${f.message}`);
    });
  } catch (e) {
    if (e instanceof LogFileError) return fail(e.message);
    throw e;
  }
  if (summary.findings === 0) {
    out(`logs check: ${file}: ${summary.records} record(s), no findings`);
    return 0;
  }
  if (summary.findings > MAX_PRINTED_FINDINGS) out(`... ${summary.findings - MAX_PRINTED_FINDINGS} more finding(s) not shown`);
  const kinds = LOG_FINDING_KINDS.filter((k) => summary.byKind[k]).map((k) => `${k} ${summary.byKind[k]}`);
  out(`logs check: ${file}: ${summary.records} record(s), ${summary.recordsWithFindings} with findings, ${summary.findings} finding(s): ${kinds.join(", ")}`);
  return 1;
}
