/**
 * Tokens of Go source for goConfigStructs.ts: identifiers, strings (interpreted and raw),
 * numbers, single-character operators and line breaks (which end declarations in Go, so they are
 * kept, collapsed to one). Comments vanish.
 */
export type Tok = { t: "id" | "str" | "raw" | "num" | "op" | "nl"; v: string };

/** Splits Go source into tokens; comments vanish, a line break inside a comment still counts. */
export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const push = (tok: Tok) => {
    if (tok.t === "nl" && (out.length === 0 || out[out.length - 1].t === "nl")) return;
    out.push(tok);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "\n") { push({ t: "nl", v: "\n" }); i++; continue; }
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (src.startsWith("//", i)) { while (i < src.length && src[i] !== "\n") i++; continue; }
    if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      const body = src.slice(i, end < 0 ? src.length : end + 2);
      if (body.includes("\n")) push({ t: "nl", v: "\n" });
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    if (c === "`") {
      const end = src.indexOf("`", i + 1);
      out.push({ t: "raw", v: src.slice(i + 1, end < 0 ? src.length : end) });
      i = end < 0 ? src.length : end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < src.length && src[j] !== c && src[j] !== "\n") {
        if (src[j] === "\\") { value += src[j + 1] ?? ""; j += 2; } else value += src[j++];
      }
      out.push({ t: "str", v: value });
      i = j + 1;
      continue;
    }
    const ident = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/.exec(src.slice(i, i + 200));
    if (ident) { out.push({ t: "id", v: ident[0] }); i += ident[0].length; continue; }
    const num = /^[0-9][0-9A-Za-z_.]*/.exec(src.slice(i, i + 100));
    if (num) { out.push({ t: "num", v: num[0] }); i += num[0].length; continue; }
    out.push({ t: "op", v: c });
    i++;
  }
  return out;
}
