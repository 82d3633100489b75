/**
 * The synth benchmark's bare cdktf baseline (bench/baseline/): built from a description of the
 * project's own output, it must write that output, stack by stack; otherwise the overhead figure
 * compares the project with a program that does less (or more). Also: the AWS provider schema
 * subset it reads to tell nested blocks from maps is the pinned provider's own.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { describeProgram } from "../bench/baseline/describe";
import { buildBaseline } from "../bench/baseline/program";
import { prepareBaseline } from "../bench/baseline/prepare";
import { outputDifferences, readStacks } from "../bench/synthOutput";
import { synthExampleApp } from "../examples/exampleApp";
import { AWS_SUBSET_PATH, renderAwsSchemaSubset, schemaFromMirror } from "../scripts/make-aws-schema-subset";
import { terraformAvailability } from "./support/terraform";

const dir = mkdtempSync(join(tmpdir(), "bench-baseline-"));
const project = join(dir, "project");
beforeAll(() => synthExampleApp({ outdir: project }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function baselineOf(project: string, out: string) {
  const program = describeProgram(project, readStacks(project));
  const app = new App({ outdir: out });
  // Through JSON, as the child process reads it.
  buildBaseline(app, prepareBaseline(JSON.parse(JSON.stringify(program))));
  app.synth();
  return program;
}

describe("bare cdktf baseline", () => {
  it("writes the example app's Terraform, every stack equal to the project's", () => {
    const program = baselineOf(project, join(dir, "baseline"));
    expect(outputDifferences(project, join(dir, "baseline"))).toEqual([]);
    // Not a copy of the text: references are pointers the baseline resolves to cdktf tokens.
    const refs = JSON.stringify(program).match(/"attr":/g)?.length ?? 0;
    expect(refs).toBeGreaterThan(50);
  });

  it("notices a baseline that writes something else", () => {
    const changed = join(dir, "changed");
    const program = describeProgram(project, readStacks(project));
    const app = new App({ outdir: changed });
    const first = program.stacks.findIndex((s) => s.blocks.some((b) => b.type === "aws_cloudwatch_log_group"));
    const stacks = program.stacks.map((s, i) =>
      i !== first ? s : { ...s, blocks: s.blocks.map((b) => (b.type === "aws_cloudwatch_log_group" ? { ...b, config: { ...b.config, retentionInDays: 1 } } : b)) },
    );
    buildBaseline(app, prepareBaseline(JSON.parse(JSON.stringify({ stacks }))));
    app.synth();
    expect(outputDifferences(project, changed)).toEqual([`stack ${program.stacks[first].id} differs`]);
  });

  const tf = terraformAvailability();
  (tf.ok ? it : it.skip)("its AWS schema subset is hashicorp/aws 5.100.0's own (rebuilt from the provider mirror)", () => {
    expect(readFileSync(AWS_SUBSET_PATH, "utf8") === renderAwsSchemaSubset(JSON.parse(schemaFromMirror()))).toBe(true);
  }, 120_000);
});
