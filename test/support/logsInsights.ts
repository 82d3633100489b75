/**
 * The fields a CloudWatch Logs Insights query reads, for tests that hold queries to the log
 * contract (the saved queries, the runbook pages' queries).
 */

/** Logs Insights words that are not fields: commands, functions (followed by `(`), operators, keywords. */
const QUERY_WORDS = new Set(["fields", "filter", "stats", "sort", "limit", "display", "by", "as", "and", "or", "not", "in", "asc", "desc", "like"]);

/** The field names a query reads: words that are not keywords, functions, `@`-fields, aliases, strings or numbers. */
export function queryFields(query: string): string[] {
  const noStrings = query.replace(/"[^"]*"/g, '""');
  const aliases = new Set([...noStrings.matchAll(/\bas\s+([A-Za-z_][\w.]*)/g)].map((m) => m[1]));
  return [...noStrings.matchAll(/(@?)\b([A-Za-z_][\w.]*)(\s*\()?/g)]
    .filter(([, at, word, call]) => !at && !call && !QUERY_WORDS.has(word) && !aliases.has(word))
    .map(([, , word]) => word);
}
