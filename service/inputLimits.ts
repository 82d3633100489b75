/**
 * Limits on untrusted description input, and the text every string field must be able to carry.
 * A description reaches Terraform JSON, PromQL, YAML rule files, Alertmanager config and Markdown;
 * what none of them can carry safely (control characters, text that cdktf reads as its own token
 * markers) is refused here, with the field path, instead of breaking an engine downstream.
 */
import { RE2JS } from "re2js";

/** Largest description file read, bytes. A description is a few kB; 1 MiB leaves room for services files. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Deepest nesting of lists and objects (a description nests 5 deep). */
export const MAX_NESTING_DEPTH = 32;
/** YAML aliases (`*name`) a file may expand, counted by the YAML library; stops alias bombs. */
export const MAX_ALIAS_COUNT = 100;
/** Characters of a string field without a tighter limit of its own. */
export const MAX_STRING_LENGTH = 1024;
/** Items of a list field without a tighter limit of its own. */
export const MAX_LIST_ITEMS = 100;
/** Entries of a map field (label matchers) without a tighter limit of its own. */
export const MAX_MAP_ENTRIES = 20;
/** Services in one file. */
export const MAX_SERVICES_PER_FILE = 1000;
/** Problems printed in full; the rest are counted (a 10,000-item mistake must not print 300 kB). */
export const MAX_PRINTED_ISSUES = 50;

// C0 and C1 controls (newlines and tabs included: every field is one line), DEL, the Unicode line and
// paragraph separators, bidirectional overrides and isolates (text that reads differently in a
// review than it runs) and the byte-order mark.
const FORBIDDEN_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
// cdktf resolves `${TfToken[...]}` / `#{TfToken[...]}` inside any string as a reference to one of its
// own objects: in a description it would fail the synth or point at another resource.
const CDKTF_TOKEN_MARKER = /[$#]\{TfToken\[/;

/** Whether a string holds a character no output may show as it is (controls, line separators, bidirectional overrides). */
export const hasForbiddenCharacter = (value: string): boolean => FORBIDDEN_CHARACTER.test(value);

/** What is wrong with a string that no output can carry, or undefined when it is fine. */
export function unsafeTextProblem(value: string): string | undefined {
  const c = FORBIDDEN_CHARACTER.exec(value);
  if (c) {
    const code = c[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    return `contains the control character U+${code} at position ${c.index + 1}; every field is one line of printable text, remove it`;
  }
  if (CDKTF_TOKEN_MARKER.test(value)) return 'contains "{TfToken[", which cdktf reserves for its own references; remove it';
  return undefined;
}

/**
 * Why Prometheus would refuse a regular expression, or undefined when it compiles. Prometheus uses
 * Go's regexp (RE2 syntax: no lookaround, no backreferences); RE2JS parses the same syntax, so a
 * pattern JavaScript accepts but RE2 does not (`(?!500)5..`) is caught here, not by promtool.
 */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    const reason = (e as Error).message.split("\n")[0].slice(0, 120);
    return `is not a valid RE2 regular expression (${reason}); Prometheus matchers use RE2 syntax (no lookaround or backreferences), e.g. "5.."`;
  }
}

/**
 * Why a value is not a plain https URL, or undefined when it is one. Plain means: https, a host, no
 * user name or password, and already in the form a browser would write it (`new URL(v).href`), so no
 * quote, angle bracket, backtick or space can reach Markdown, YAML or an annotation unencoded.
 */
export function httpsUrlProblem(value: string, example = "https://runbooks.example.com/team"): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL; use an https:// URL such as ${example}`;
  }
  if (url.protocol !== "https:") return `uses ${url.protocol.replace(/:$/, "")}:, not https:; use an https:// URL such as ${example}`;
  if (url.username !== "" || url.password !== "") return "carries a user name or password; drop the credentials from the URL (never put secrets in a description)";
  if (url.href !== value && url.href !== `${value}/`)
    return `is not written the way a browser writes it (it would become ${JSON.stringify(url.href.slice(0, 80))}); percent-encode spaces, quotes and brackets`;
  return undefined;
}
