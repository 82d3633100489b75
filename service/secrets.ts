/**
 * The one place that knows what a pasted secret looks like, shared by validation (every string of a
 * description), lint (every string of a synthesized output), review (everything it prints) and
 * error messages. Also the grammar of a secret *reference* (`ssm:/…`, `secretsmanager:…`).
 *
 * A finding is described by its kind and a masked prefix (at most four characters and the length),
 * never the value: a message that echoed a key would leak it a second time, into CI logs and PR
 * comments.
 *
 * Speed: lint scans every string of a 100 MB output. Most strings hold nothing, so one combined
 * prefilter regex looks for the distinctive prefixes and keywords only, and each hit runs one
 * precise, sticky pattern anchored at the hit; no string is scanned twice by a broad pattern.
 */

export interface SecretFinding {
  /** What it looks like, e.g. `OpenAI API key`. */
  readonly kind: string;
  /** The secret's first characters and its length, safe to print: `sk-p… (51 characters)`. */
  readonly masked: string;
  /** Where the secret part lies in the text scanned: [start, end). */
  readonly start: number;
  readonly end: number;
}

/** A value's first characters (at most four, fewer for short values) and its length. */
export function mask(value: string): string {
  return `${value.slice(0, Math.min(4, Math.floor(value.length / 3)))}… (${value.length} characters)`;
}

// ---- precise patterns, each run sticky at a prefilter hit -------------------------------------

const ALNUM = /[A-Za-z0-9]/;
const startsWord = (text: string, at: number) => at === 0 || !ALNUM.test(text[at - 1]);

/** Shannon entropy in bits per character: random keys score high, words and ids low. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Random-looking: digits and letters of both cases, or digits and letters with high entropy. */
function looksRandom(s: string, minEntropy = 3.5): boolean {
  const digit = /[0-9]/.test(s);
  const upper = /[A-Z]/.test(s);
  const lower = /[a-z]/.test(s);
  return ((digit && upper && lower) || (digit && (upper || lower))) && entropy(s) >= minEntropy;
}

interface Hit {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

/** A detector tries one precise pattern at `at` (the prefilter hit) and returns the secret's span. */
type Detector = (text: string, at: number) => Hit | undefined;

/** Runs sticky `re` at `at`; the secret is the last capture group (at the match's end) if there is one, else the whole match. */
function sticky(re: RegExp, text: string, at: number): { match: RegExpExecArray; start: number; end: number } | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  if (!m) return undefined;
  const secret = m.length > 1 ? m[m.length - 1] : undefined;
  if (secret === undefined) return { match: m, start: m.index, end: m.index + m[0].length };
  const start = m.index + m[0].lastIndexOf(secret);
  return { match: m, start, end: start + secret.length };
}

function token(kind: string, re: RegExp, ok: (value: string) => boolean = () => true): Detector {
  return (text, at) => {
    if (!startsWord(text, at)) return undefined;
    const s = sticky(re, text, at);
    return s && ok(text.slice(s.start, s.end)) ? { kind, start: s.start, end: s.end } : undefined;
  };
}

const AWS_KEY_ID = token("AWS access key id", /(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/y);
const GOOGLE_KEY = token("Google API key", /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/y);
const ANTHROPIC_KEY = token("Anthropic API key", /sk-ant-[a-z]+[0-9]*-[A-Za-z0-9_-]{32,}/y);
const OPENAI_KEY = token("OpenAI API key", /sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,}(?![A-Za-z0-9_-]))/y, (v) => looksRandom(v, 3));
const HUGGING_FACE = token("Hugging Face token", /hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])/y, (v) => looksRandom(v, 3));
const GITHUB = token("GitHub token", /(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})(?![A-Za-z0-9_])/y);
const GRAFANA = token("Grafana token", /(?:glsa_[A-Za-z0-9_]{20,}|glc_[A-Za-z0-9+/_=-]{20,})/y);
const SLACK_TOKEN = token("Slack token", /(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,})/y);

/** The webhook with its scheme when there is one: the hit is on `hooks.slack`. */
const SLACK_WEBHOOK: Detector = (text, at) => {
  const s = sticky(/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,}/y, text, at);
  if (!s) return undefined;
  const scheme = /https?:\/\/$/.exec(text.slice(Math.max(0, at - 8), at));
  return { kind: "Slack webhook URL", start: scheme ? at - scheme[0].length : at, end: s.end };
};

/**
 * A PEM private key: the header, then its body (base64 lines and `Name: value` headers, each line
 * possibly behind a diff's `+ `/`- `) and the footer, so that no line of the key survives masking,
 * even when a cut-off diff lacks the footer.
 */
const PRIVATE_KEY: Detector = (text, at) => {
  const s = sticky(/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s+-]*(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]+: [^\n]*))*(?:[\s+-]*-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?/y, text, at);
  return s && { kind: "private key", start: s.start, end: s.end };
};

/** `scheme://user:password@host`, unless the password is a Terraform reference. The hit is on `://`. */
const URL_CREDENTIALS: Detector = (text, at) => {
  const s = sticky(/:\/\/[^\s/?#@:"'<>${}]+:(?!\$\{)[^\s/?#@"'<>]+@[^\s/?#"'<>]*/y, text, at);
  if (!s) return undefined;
  const scheme = /[A-Za-z][A-Za-z0-9+.-]*$/.exec(text.slice(Math.max(0, at - 20), at));
  return scheme ? { kind: "URL with credentials", start: at - scheme[0].length, end: s.end } : undefined;
};

/** PagerDuty routing and integration keys: 32 hex next to a pagerduty/routing/integration keyword. */
const PAGERDUTY: Detector = (text, at) => {
  const s = sticky(/(?:pagerduty|routing[_ -]?key|integration[_ -]?key)[^\n]{0,48}?(?<![0-9a-fA-F])([0-9a-fA-F]{32})(?![0-9a-fA-F])/iy, text, at);
  return s && { kind: "PagerDuty key", start: s.start, end: s.end };
};

/** Values a key: value pair may hold that are not secrets: references, placeholders, paths. */
const NOT_A_VALUE = /^(?:\$|\{\{|%|<|\/|\.\/|~\/|ssm:|secretsmanager:|arn:|env:|file:|(?:none|null|nil|true|false|required|optional|redacted|changeme|example|placeholder|secret|password|token|string|undefined|x+|\*+|\.+)$)/i;

/** `password: hunter2`, `aws_secret_access_key = …`, `"api_key":"…"`: a credential keyword, then a value. */
const PAIR_RE =
  /((?:password|passwd|passphrase|pwd|client[_-]?secret|secret|auth[_-]?token|access[_-]?token|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key)(?:[_-]?(?:access[_-]?)?key(?:[_-]?id)?)?)\\?["']?[ \t]*[:=][ \t]*\\?["']?([^\s"'`<>,;&|\\(){}[\]]+)/iy;
const PAIR: Detector = (text, at) => {
  // `…:secret:name` inside an ARN is a resource type, not a pair.
  if (text[at - 1] === ":" && /arn:aws[a-z-]*:[^\s"']*$/.test(text.slice(Math.max(0, at - 128), at))) return undefined;
  const s = sticky(PAIR_RE, text, at);
  if (!s) return undefined;
  const value = text.slice(s.start, s.end);
  const keyword = s.match[1].toLowerCase();
  // 40 base64 characters next to a secret keyword: an AWS secret access key.
  if (/^[A-Za-z0-9/+]{40}$/.test(value) && /secret|aws/.test(keyword)) return { kind: "AWS secret access key", start: s.start, end: s.end };
  if (value.length < 6 || NOT_A_VALUE.test(value)) return undefined;
  // A word is a setting (`auth: sigv4auth`), not a secret, unless it is long.
  if (!/[^A-Za-z]/.test(value) && value.length < 12) return undefined;
  return { kind: `${keyword} value`, start: s.start, end: s.end };
};

const KNOWN_PREFIX = /^(?:AKIA|ASIA|AIza|sk-|hf_|gh[pousr]_|github_pat_|gl(?:sa|c)_|xox[abposr]-|xapp-)/;

/** `?token=<32+ random characters>` in a URL: a bearer credential in a link. The hit is on `?` or `&`. */
const QUERY_TOKEN: Detector = (text, at) => {
  const s = sticky(/[?&][A-Za-z0-9_.-]{1,40}=([A-Za-z0-9_.~+/=-]{32,})(?![A-Za-z0-9_.~+/=%-])/y, text, at);
  if (!s) return undefined;
  const value = text.slice(s.start, s.end);
  // A key of a known kind in a query (`?key=sk-…`) is reported as that kind, by its own trigger.
  if (KNOWN_PREFIX.test(value)) return undefined;
  return looksRandom(value, 3.5) ? { kind: "token in a URL query", start: s.start, end: s.end } : undefined;
};

// ---- the prefilter: every distinctive prefix and keyword in one regex ------------------------

/**
 * Each alternative of the prefilter, where the pattern it stands for starts relative to the hit, and
 * the detectors to run there, in order. Alternatives are anchored where they are rare in
 * synthesized output (`k-` of `sk-`, `ken:` of `token:`, `@` of a URL's credentials) and keywords
 * only count when an assignment follows (`password:`), so few hits reach a detector. One pass costs
 * about 1.3 ns a character in V8 (0.1 s for the 500-service bench output); removing any single
 * alternative saves little; a case-insensitive prefilter or one scan per pattern measured 1.7-2.5x slower.
 */
interface Trigger {
  readonly source: string;
  /** Where the detectors start, from the hit; undefined when the hit is not the pattern's. */
  readonly start: (text: string, hit: number) => number | undefined;
  readonly detectors: readonly Detector[];
}

const same = (_: string, hit: number) => hit;
/** The keyword before `key` (`api_key`, `routing-key`), where it starts. */
const KEY_PREFIX = /(?:api|access|private|secret|routing|integration)[_ -]?$/i;

/** After a credential keyword: an optional closing quote (escaped in embedded JSON), then `:` or `=`. */
const ASSIGN = `\\\\?["']?[ \\t]*[:=]`;

const TRIGGERS: readonly Trigger[] = [
  { source: "A(?:KIA|SIA)", start: same, detectors: [AWS_KEY_ID] },
  { source: "AIza", start: same, detectors: [GOOGLE_KEY] },
  { source: "k-", start: (t, hit) => (t[hit - 1] === "s" ? hit - 1 : undefined), detectors: [ANTHROPIC_KEY, OPENAI_KEY] },
  { source: `ken${ASSIGN}|KEN${ASSIGN}`, start: (t, hit) => (/^to$/i.test(t.slice(hit - 2, hit)) ? hit - 2 : undefined), detectors: [PAIR] },
  {
    source: `[Kk]ey(?:[_-]?[Ii][Dd])?${ASSIGN}|KEY(?:_?ID)?${ASSIGN}`,
    start: (t, hit) => {
      const m = KEY_PREFIX.exec(t.slice(Math.max(0, hit - 12), hit));
      return m ? hit - m[0].length : undefined;
    },
    detectors: [PAGERDUTY, PAIR],
  },
  {
    source: `cret(?:[_-]?(?:[Aa]ccess[_-]?)?[Kk]ey(?:[_-]?[Ii]d)?)?${ASSIGN}|CRET(?:_?(?:ACCESS_?)?KEY(?:_?ID)?)?${ASSIGN}`,
    start: (t, hit) => (/^se$/i.test(t.slice(hit - 2, hit)) ? hit - 2 : undefined),
    detectors: [PAIR],
  },
  { source: `[Pp](?:ass(?:w(?:or)?d|phrase)|wd)${ASSIGN}|P(?:ASS(?:W(?:OR)?D|PHRASE)|WD)${ASSIGN}`, start: same, detectors: [PAIR] },
  { source: "[Pp]ager[Dd]uty|PAGERDUTY", start: same, detectors: [PAGERDUTY] },
  { source: "h(?:f_|ooks\\.slack)", start: same, detectors: [HUGGING_FACE, SLACK_WEBHOOK] },
  { source: "g(?:h[pousr]_|ithub_pat_|l(?:sa|c)_)", start: same, detectors: [GITHUB, GRAFANA] },
  { source: "x(?:ox[abposr]-|app-)", start: same, detectors: [SLACK_TOKEN] },
  { source: "-----BEGIN", start: same, detectors: [PRIVATE_KEY] },
  {
    // The `@` ending a URL's credentials; the URL starts at the `://` shortly before it.
    source: "@",
    start: (t, hit) => {
      const before = t.slice(Math.max(0, hit - 512), hit);
      const i = before.lastIndexOf("://");
      return i >= 0 ? hit - before.length + i : undefined;
    },
    detectors: [URL_CREDENTIALS],
  },
  { source: "[?&][A-Za-z0-9_.-]{1,40}=[A-Za-z0-9_.~+/=-]{32}", start: same, detectors: [QUERY_TOKEN] },
];

const PREFILTER = new RegExp(TRIGGERS.map((t) => `(${t.source})`).join("|"), "g");

/** Strings shorter than this hold no credential any detector recognises (`pwd=abc123` is 10). */
const MIN_LENGTH = 10;

/** Every credential-looking span in `text`, in order, none overlapping. */
export function findSecrets(text: string): SecretFinding[] {
  if (text.length < MIN_LENGTH) return [];
  PREFILTER.lastIndex = 0;
  const found: SecretFinding[] = [];
  let end = 0;
  for (let m = PREFILTER.exec(text); m; m = PREFILTER.exec(text)) {
    let group = 1;
    while (m[group] === undefined) group++;
    const trigger = TRIGGERS[group - 1];
    const at = trigger.start(text, m.index);
    let hit: Hit | undefined;
    if (at !== undefined) for (const detect of trigger.detectors) if ((hit = detect(text, at))) break;
    if (hit && hit.start >= end) {
      found.push({ kind: hit.kind, masked: mask(text.slice(hit.start, hit.end)), start: hit.start, end: hit.end });
      end = hit.end;
    }
    // Go on after the finding, or one character past the hit (hits such as `sk-` may overlap).
    PREFILTER.lastIndex = Math.max(m.index + 1, end);
  }
  return found;
}

/** A kind with its article, for messages: `an OpenAI API key`, `a URL with credentials`. */
export const aKind = (kind: string): string => `${/^[AEIOaeio]/.test(kind) ? "an" : "a"} ${kind}`;

/** How a finding is shown in place of the secret: `(OpenAI API key, masked: sk-p… (51 characters))`. */
export const describeFinding = (f: SecretFinding): string => `(${f.kind}, masked: ${f.masked})`;

/** `text` with every credential-shaped span replaced by its description; the rest unchanged. */
export function maskSecrets(text: string): string {
  const found = findSecrets(text);
  if (found.length === 0) return text;
  let out = "";
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + describeFinding(f);
    at = f.end;
  }
  return out + text.slice(at);
}

/** Fields of a Grafana contact point (or provider) that hold a credential: they must be references. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  "integration_key",
  "api_key",
  "api_token",
  "token",
  "bot_token",
  "password",
  "basic_auth_password",
  "authorization_credentials",
  "routing_key",
  "secret",
  "secret_key",
  "access_key",
  "auth",
  "url",
  "webhook_url",
]);

/** A single value safe to print: a secret-looking one is replaced by its kind and mask. */
export function printable(value: string, field?: string): string {
  const hits = findSecrets(value);
  if (hits.length > 0) return describeFinding(hits[0]);
  if (field && SECRET_FIELDS.has(field) && field !== "url" && !value.startsWith("${")) return `(literal value, masked: ${mask(value)})`;
  return value;
}
