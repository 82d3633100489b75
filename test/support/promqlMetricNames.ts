/**
 * A small PromQL tokenizer for the dashboard tests: the metric names an expression reads
 * (tested itself in test/dashboardQueries.test.ts).
 */

/** Keywords and modifiers that look like identifiers but name no series. */
const KEYWORDS = new Set(["and", "or", "unless", "offset", "bool", "inf", "nan", "start", "end"]);
/** Modifiers followed by a parenthesised list of label names. */
const LABEL_LISTS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
const AGGREGATIONS = new Set(["sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "stdvar", "count_values", "group"]);

/** Index just past the bracketed group opening at `i` (`{...}`, `[...]`, `(...)`), skipping strings. */
function skipGroup(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < expr.length; j++) {
    const c = expr[j];
    if (c === '"' || c === "'" || c === "`") j = skipString(expr, j) - 1;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
  }
  throw new Error(`unbalanced ${open}${close} in: ${expr}`);
}
function skipString(expr: string, i: number): number {
  const quote = expr[i];
  for (let j = i + 1; j < expr.length; j++) {
    if (expr[j] === "\\" && quote !== "`") j++;
    else if (expr[j] === quote) return j + 1;
  }
  throw new Error(`unterminated string in: ${expr}`);
}
const nextNonSpace = (expr: string, i: number) => {
  while (i < expr.length && /\s/.test(expr[i])) i++;
  return i;
};

/**
 * Identifiers of an expression that name series: not function calls (followed by `(`), not label
 * names (inside `{}` or the lists of by/without/on/ignoring/group_left/group_right), not keywords,
 * not strings, numbers or durations. An aggregation counts as an operator only when followed by
 * `(` or a by/without clause; anything else left over is a metric name.
 */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === "`") i = skipString(expr, i);
    else if (c === "{") i = skipGroup(expr, i, "{", "}");
    else if (c === "[") i = skipGroup(expr, i, "[", "]");
    else if (/[0-9.]/.test(c)) i += /^[0-9.]+(e[+-]?[0-9]+)?[a-z]*/i.exec(expr.slice(i))![0].length;
    else if (/[a-zA-Z_:]/.test(c)) {
      const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))![0];
      i += ident.length;
      const next = nextNonSpace(expr, i);
      if (LABEL_LISTS.has(ident)) {
        if (expr[next] === "(") i = skipGroup(expr, next, "(", ")");
      } else if (expr[next] === "(") {
        // a function or an aggregation without a clause
      } else if (AGGREGATIONS.has(ident) && /^(by|without)\b/.test(expr.slice(next))) {
        // `sum by (...) (...)`: the clause is skipped on the next turn
      } else if (!KEYWORDS.has(ident.toLowerCase())) names.push(ident);
    } else i++;
  }
  return names;
}
