/** Markdown tables and cells of the benchmark report. */
import { median, min } from "../stats";

export type Cell = string | number;

const row = (cells: readonly Cell[]) => `| ${cells.join(" | ")} |`;

export const table = (head: readonly string[], rows: readonly (readonly Cell[])[]) => [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");

/** `min / median` of a set of runs. */
export const minMedian = (xs: readonly number[], f: (x: number) => string) => `${f(min(xs))} / ${f(median(xs))}`;
