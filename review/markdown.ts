/**
 * Small Markdown builders for PR comments: tables with escaped cells and a row cap, code spans that
 * survive backticks, collapsible details with a line cap, and a whole-comment size cap (GitHub
 * rejects comments over 65,536 characters).
 */

/** Rows a table shows before "… and N more". */
export const MAX_TABLE_ROWS = 25;
/** Lines a collapsible diff shows. */
export const MAX_DETAIL_LINES = 40;
/** Characters of the whole comment; GitHub's limit is 65,536. */
export const MAX_COMMENT_CHARS = 60000;

const cell = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");

/** A code span for any text (longer fences when the text holds backticks); newlines become spaces. */
export function code(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, " ").trim();
  if (flat === "") return "` `";
  const ticks = "`".repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** Shortens one-line text to `max` characters with an ellipsis. */
export function clip(s: string, max = 120): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A Markdown table; rows past `maxRows` are summarized in one line below it. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], maxRows = MAX_TABLE_ROWS): string {
  const shown = rows.slice(0, maxRows);
  const lines = [
    `| ${headers.map(cell).join(" | ")} |`,
    `|${headers.map(() => "---").join("|")}|`,
    ...shown.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
  if (rows.length > shown.length) lines.push("", `… and ${rows.length - shown.length} more (run \`mlobs review\` locally for the full list).`);
  return lines.join("\n");
}

/** A fenced code block for any text: the fence is longer than any run of backticks inside. */
export function fenced(body: string, lang = ""): string {
  const fence = "`".repeat(Math.max(3, ...[...body.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)));
  return [`${fence}${lang}`, body, fence].join("\n");
}

/** A collapsible block holding a fenced code block, cut at `maxLines`. */
export function details(summary: string, body: string, lang = "", maxLines = MAX_DETAIL_LINES): string {
  const lines = body.split("\n");
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`… ${lines.length - maxLines} more lines`);
  return [`<details><summary>${summary}</summary>`, "", fenced(shown.join("\n"), lang), "", "</details>"].join("\n");
}

/** Lines of unchanged context shown around each changed block. */
const DIFF_CONTEXT = 2;
/** Above this many line pairs the diff falls back to one block between common prefix and suffix. */
const MAX_DIFF_CELLS = 4_000_000;

type Op = { readonly kind: " " | "-" | "+"; readonly line: string };

/** Longest-common-subsequence edit script of two line lists (removals before additions in a block). */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: LCS length of a[i..] and b[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[at(i, j)] = a[i] === b[j] ? lcs[at(i + 1, j + 1)] + 1 : Math.max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i] });
      i++, j++;
    } else if (j >= m || (i < n && lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) ops.push({ kind: "-", line: a[i++] });
    else ops.push({ kind: "+", line: b[j++] });
  }
  // Within each changed block, all removals first: reads as "this became that".
  const out: Op[] = [];
  for (let k = 0; k < ops.length; ) {
    if (ops[k].kind === " ") out.push(ops[k++]);
    else {
      const block: Op[] = [];
      while (k < ops.length && ops[k].kind !== " ") block.push(ops[k++]);
      out.push(...block.filter((o) => o.kind === "-"), ...block.filter((o) => o.kind === "+"));
    }
  }
  return out;
}

/** Common prefix and suffix kept, everything between one changed block: for inputs too large to align. */
function blockScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) endA--, endB--;
  return [
    ...a.slice(0, start).map((line): Op => ({ kind: " ", line })),
    ...a.slice(start, endA).map((line): Op => ({ kind: "-", line })),
    ...b.slice(start, endB).map((line): Op => ({ kind: "+", line })),
    ...a.slice(endA).map((line): Op => ({ kind: " ", line })),
  ];
}

/** A line diff with two lines of context around each changed block and `…` between blocks. */
export function lineDiff(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const ops = a.length * b.length <= MAX_DIFF_CELLS ? editScript(a, b) : blockScript(a, b);
  const near = ops.map(() => false);
  ops.forEach((o, k) => {
    if (o.kind !== " ") for (let d = -DIFF_CONTEXT; d <= DIFF_CONTEXT; d++) if (k + d >= 0 && k + d < ops.length) near[k + d] = true;
  });
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (!near[k]) return;
    if (out.length > 0 && !near[k - 1]) out.push("  …");
    out.push(`${o.kind === " " ? " " : o.kind} ${o.line}`);
  });
  return out.join("\n");
}

/** Cuts a comment at a line boundary under the size cap, saying so. */
export function capComment(markdown: string, max = MAX_COMMENT_CHARS): string {
  if (markdown.length <= max) return markdown;
  const note = "\n\n---\n*The review is longer than a PR comment allows and was cut here; run `mlobs review` locally for the rest.*\n";
  let cut = markdown.lastIndexOf("\n", max - note.length);
  if (cut < 0) cut = max - note.length;
  let head = markdown.slice(0, cut);
  // Do not leave a <details> block or a code fence open.
  const opened = (head.match(/<details>/g) ?? []).length - (head.match(/<\/details>/g) ?? []).length;
  if ((head.match(/^```/gm) ?? []).length % 2 === 1) head += "\n```";
  for (let i = 0; i < opened; i++) head += "\n\n</details>";
  return head + note;
}

/** `90 → 7`, or just the value when equal. */
export const arrow = (before: string, after: string) => (before === after ? after : `${before} → ${after}`);

/** A number without float noise and without trailing zeros (at most `digits` decimals). */
export function fmt(x: number, digits = 2): string {
  return String(Number(x.toFixed(digits)));
}

/** `99.5%` from 0.995. */
export const percent = (ratio: number) => `${fmt(ratio * 100, 4)}%`;

/** Signed difference, `+12.5` or `−172.8` (with a real minus sign). */
export function signed(x: number, digits = 2): string {
  const s = fmt(Math.abs(x), digits);
  return x > 0 ? `+${s}` : x < 0 ? `−${s}` : "±0";
}

/**
 * Text for a Mermaid diagram (a gantt task or title): Mermaid has no escape for its separators
 * (`:` `;` `#` `%%`) or for directives, so everything but letters, digits, spaces and `_ . , ( ) + - /`
 * becomes `_`, and the text is one line.
 */
export function mermaidText(s: string): string {
  return s.replace(/\s+/g, " ").replace(/[^A-Za-z0-9 _.,()+\-/]/g, "_").trim() || "_";
}
