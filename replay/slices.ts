/**
 * Slice and canary-track labels on replayed traffic. A service declaring slices or a canary track
 * gets its request, latency, error and quality series (the families its split panels read) spread
 * over every combination of two values per slice label and the track's two values.
 *
 * Counts are drawn once for the whole service, as without slices, and then divided among the
 * cells as evenly as whole numbers allow: the random streams draw the same numbers and every sum
 * over the cells equals the unsliced count, so the recording rules (which aggregate the slice
 * labels away) see exactly the traffic they saw before. The leftover of a division goes to a
 * different cell each minute and bucket, so sparse counts such as errors reach every cell.
 */
import type { ServiceModel } from "../service/model";

/** Values of each slice label on replayed traffic, e.g. region="a" and region="b". */
export const SLICE_VALUES = ["a", "b"] as const;

/** The label sets traffic is divided among: `[{}]` (one undivided cell) for a service without slices or track. */
export function sliceCells(model: ServiceModel): Record<string, string>[] {
  const values = new Map<string, readonly string[]>(model.slices.map((s) => [s.label, SLICE_VALUES]));
  if (model.canary) values.set(model.canary.label, [model.canary.canary, model.canary.baseline]);
  let cells: Record<string, string>[] = [{}];
  for (const [label, vs] of values) cells = cells.flatMap((c) => vs.map((v) => ({ ...c, [label]: v })));
  return cells;
}

/** `count` divided into `parts` whole numbers summing to it; the `count % parts` extra ones start at part `offset`. */
export function divide(count: number, parts: number, offset: number): number[] {
  const base = Math.floor(count / parts);
  const extra = count - base * parts;
  const out = new Array<number>(parts);
  // Part i gets an extra one when it is among the `extra` parts from `offset` on (wrapping round).
  const first = ((offset % parts) + parts) % parts;
  for (let i = 0; i < parts; i++) out[i] = base + ((i - first + parts) % parts < extra ? 1 : 0);
  return out;
}
