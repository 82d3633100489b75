/**
 * Slices in the replay: a service declaring slices or a canary track gets its request, latency,
 * error and quality series divided among every combination of slice and track values, and the sum
 * over those cells is exactly what the service would emit without them, so every recording rule
 * (they aggregate the slice labels away) sees the same traffic and alerts fire as before.
 */
import { join } from "node:path";
import { generateSeries } from "../replay/generate";
import { healthyState } from "../replay/healthy";
import { DEFAULT_SEED } from "../replay/scenario";
import type { Series } from "../replay/seriesBook";
import { divide, sliceCells } from "../replay/slices";
import { loadServicesFile } from "../service/load";

const rag = loadServicesFile(join(__dirname, "../examples/rag-assistant.yaml"))[0];
const unsliced = { ...rag, slices: [], canary: undefined };
const minutes = 60;
const generate = (m: typeof rag) => generateSeries(m, { seed: DEFAULT_SEED, minutes, stateAt: (t) => healthyState(m, t, DEFAULT_SEED) });

/** Series summed over the slice and track labels, by name and remaining labels. */
function summed(series: readonly Series[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of series) {
    const { region: _r, track: _t, ...rest } = s.labels;
    const key = `${s.name}${JSON.stringify(rest)}`;
    const acc = out.get(key) ?? Array.from(s.values, () => Number.NaN);
    s.values.forEach((v, i) => (acc[i] = Number.isNaN(v) ? acc[i] : (Number.isNaN(acc[i]) ? 0 : acc[i]) + v));
    out.set(key, acc);
  }
  return out;
}

it("divides a count into whole parts that sum to it, the leftover rotating with the offset", () => {
  expect(divide(7, 4, 0)).toEqual([2, 2, 2, 1]);
  expect(divide(7, 4, 1)).toEqual([1, 2, 2, 2]);
  expect(divide(1, 4, 6)).toEqual([0, 0, 1, 0]);
  expect(divide(5, 1, 3)).toEqual([5]);
});

it("spreads the example's traffic over two regions and both tracks", () => {
  expect(sliceCells(rag)).toEqual([
    { region: "a", track: "canary" },
    { region: "a", track: "stable" },
    { region: "b", track: "canary" },
    { region: "b", track: "stable" },
  ]);
  expect(sliceCells(unsliced)).toEqual([{}]);
});

it("sums over the cells to exactly the unsliced series, under the same labels", () => {
  const sliced = summed(generate(rag));
  const plain = generate(unsliced);
  expect([...sliced.keys()].sort()).toEqual(plain.map((s) => `${s.name}${JSON.stringify(s.labels)}`).sort());
  const off = plain.filter((s) => {
    const sum = sliced.get(`${s.name}${JSON.stringify(s.labels)}`)!;
    return Array.from(s.values).some((v, i) => (Number.isNaN(v) ? !Number.isNaN(sum[i]) : Math.abs(v - sum[i]) > 1e-9 * Math.max(1, Math.abs(v))));
  });
  expect(off.map((s) => s.name)).toEqual([]);
  expect(generate(rag).some((s) => s.name === `${rag.metrics.httpRequestDuration.name}_count` && s.labels.region === "b" && s.labels.track === "stable")).toBe(true);
});
