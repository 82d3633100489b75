/**
 * How an alert's runbook page changed, in words: added, removed, or which sections changed (the
 * page's `## ` headings), with the line diff of the page for the review to show next to the alert.
 */
import { lineDiff } from "../markdown";

export interface RunbookChange {
  readonly text: string;
  /** Line diff, when the page exists on both sides. */
  readonly diff?: string;
}

/** The page's sections by heading; what precedes the first `## ` is the page's header. */
function sections(page: string): Map<string, string> {
  const out = new Map<string, string>();
  let heading = "header";
  let lines: string[] = [];
  for (const line of [...page.split("\n"), "## "]) {
    if (line.startsWith("## ")) {
      out.set(heading, lines.join("\n"));
      heading = line.slice(3);
      lines = [];
    } else lines.push(line);
  }
  return out;
}

/** The change of a page between two versions of an alert; undefined when it did not change. */
export function runbookChange(before: string | undefined, after: string | undefined): RunbookChange | undefined {
  if (before === after) return undefined;
  if (before === undefined) return { text: "runbook page added" };
  if (after === undefined) return { text: "runbook page removed" };
  const b = sections(before);
  const a = sections(after);
  const changed = [...new Set([...b.keys(), ...a.keys()])].filter((h) => b.get(h) !== a.get(h));
  return { text: `runbook changed (${changed.join(", ")})`, diff: lineDiff(before, after) };
}
