/**
 * The benchmark's verdicts (bench/report.ts): the overhead is the ratio of the medians of the
 * interleaved runs, judged against the target, and shown with the single pairs' own ratios so a
 * reader can tell a margin from noise. Pure: made-up runs in, verdicts out (no child processes).
 */
import { verdicts, type Targets } from "../bench/report";
import type { ChildRun } from "../bench/runChild";
import { pairedRatios } from "../bench/stats";
import type { SizeResult } from "../bench/synthBench";

const TARGETS: Targets = { overheadMax: 1.25, overheadAt: 500, rssMaxMiB: 1024, rssAt: 500, ruleShareMax: 0.05 };

const run = (wallS: number, rssMiB = 400): ChildRun => ({ wallMs: wallS * 1000, bootMs: 200, phases: {}, maxRssKiB: rssMiB * 1024, totalMs: wallS * 1000 });
const size = (n: number, project: number[], baseline: number[], rssMiB = 480): SizeResult =>
  ({ n, project: project.map((s) => run(s, rssMiB)), baseline: baseline.map((s) => run(s)) }) as unknown as SizeResult;

describe("benchmark verdicts", () => {
  it("judges the ratio of the medians, not one lucky pair, and shows the pairs' spread", () => {
    // Medians 13.4 / 11.1 = 1.207; the single pairs run from 1.13 to 1.33.
    const [overhead, rss] = verdicts(TARGETS, [size(500, [13.3, 13.4, 14.8, 13.2, 13.7], [11.0, 10.6, 11.1, 11.7, 11.8])], undefined);
    expect(overhead.met).toBe(true);
    expect(overhead.measured).toBe("1.21x (single pairs 1.13x–1.33x, median 1.21x)");
    expect(rss).toMatchObject({ met: true, measured: "480 MiB (max of 5 runs)" });
  });

  it("misses the target when the medians are 1.26x apart, however good the best pair", () => {
    const [overhead] = verdicts(TARGETS, [size(500, [12.6, 14.2, 14.3], [11.4, 11.3, 10.5])], undefined);
    expect(overhead.met).toBe(false);
    expect(overhead.measured.startsWith("1.26x (single pairs 1.11x–")).toBe(true);
  });

  it("says a target was not measured when its size was not run", () => {
    const [overhead, rss] = verdicts(TARGETS, [size(10, [1], [1])], undefined);
    expect(overhead).toMatchObject({ met: undefined, measured: "not measured (size not in --sizes)" });
    expect(rss.met).toBeUndefined();
  });

  it("pairs runs one to one and refuses lists of different lengths", () => {
    expect(pairedRatios([2, 3], [1, 2])).toEqual([2, 1.5]);
    expect(() => pairedRatios([1, 2], [1])).toThrow("pairedRatios: 2 runs against 1");
  });
});
