/**
 * The bench's bare cdktf baseline is rebuilt from the project's output (bench/baseline/shape.ts),
 * not from a copy of the constructs: synthesized from the shape of a small fleet, it writes the same
 * stacks, blocks, attributes and references, long text aside.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildBaseline } from "../bench/baseline/program";
import { extractShape } from "../bench/baseline/shape";
import { generateServices } from "../bench/generateServices";
import { attributeCounts, countDifferences, readStacks, typeCounts, type StackOutput } from "../bench/synthOutput";
import { buildObservabilityApp } from "../constructs/stacks";
import { normalizeService } from "../service/normalize";

/** A stack's JSON with cdktf's metadata left out and long strings as their length and the references they hold. */
function comparable(s: StackOutput): unknown {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.length > 64 ? { length: v.length, references: v.match(/(?<!\$)\$\{[^{}]*\}/g) ?? [] } : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => k !== "//").map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { id: s.id, dependencies: s.dependencies, json: walk(s.json) };
}

describe("bench baseline", () => {
  const dir = mkdtempSync(join(tmpdir(), "mlobs-baseline-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the project's output for 4 generated services: same stacks, blocks, attributes, references and string lengths", () => {
    const projectApp = new App({ outdir: join(dir, "project") });
    buildObservabilityApp(projectApp, {
      services: generateServices(4, { environments: ["prod"] }).map((d) => normalizeService(d)),
      environments: [{ name: "prod", region: "eu-west-1", platform: { metricsRetentionDays: 150 } }],
    });
    projectApp.synth();
    const project = readStacks(join(dir, "project"));

    const shape = JSON.parse(JSON.stringify(extractShape(project)));
    const baselineApp = new App({ outdir: join(dir, "baseline") });
    buildBaseline(baselineApp, shape);
    baselineApp.synth();
    const baseline = readStacks(join(dir, "baseline"));

    expect(countDifferences(typeCounts(project), typeCounts(baseline))).toEqual([]);
    expect(countDifferences(attributeCounts(project), attributeCounts(baseline))).toEqual([]);
    expect(baseline.map(comparable)).toEqual(project.map(comparable));
  });
});
