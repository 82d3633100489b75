/**
 * Secrets in a synthesized output: none in the examples' output; lint finds a key anywhere in it;
 * review masks a changed SSM value's `password:` line.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthExampleApp } from "../examples/exampleApp";
import { lintOutput } from "../lint/lint";
import { loadSynthOutput } from "../review/load";
import { renderReview } from "../review/render";
import { buildReview } from "../review/review";
import { findSecrets, mask } from "../service/secrets";
import { FAKE, tail, type Json } from "./support/fakeSecrets";

describe("lint and review on a synthesized output", () => {
  const work = mkdtempSync(join(tmpdir(), "obs-secrets-"));
  const base = join(work, "base", "cdktf.out");
  mkdirSync(join(work, "base"), { recursive: true });
  synthExampleApp({ outdir: base });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A copy of the example output with the rag-assistant prod stack edited. */
  function edited(name: string, edit: (json: Json) => void): string {
    const outdir = join(work, name, "cdktf.out");
    cpSync(base, outdir, { recursive: true });
    const file = join(outdir, "stacks", "obs-prod-rag-assistant", "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as Json;
    edit(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
    return outdir;
  }
  const collectorConfig = (json: Json): Json =>
    Object.entries(json.resource.aws_ssm_parameter as Json).find(([k]) => /collector-config/.test(k))![1] as Json;

  it("no string of the examples' synthesized output looks like a secret", () => {
    const strings: string[] = [];
    const walk = (x: unknown): void => {
      if (typeof x === "string") strings.push(x);
      else if (x && typeof x === "object") Object.values(x).forEach(walk);
    };
    for (const stack of loadSynthOutput(base).stacks) walk(stack.json);
    expect(strings.length).toBeGreaterThan(1000);
    expect(strings.filter((s) => findSecrets(s).length > 0)).toEqual([]);
  });

  it("lint finds an OpenAI key in a tag and a password in the collector config, masked", () => {
    const dir = edited("lint", (json) => {
      const config = collectorConfig(json);
      config.value = config.value.replace("exporters:\n", "exporters:\n  basicauth:\n    password: " + "hunter2secret99\n");
      const group = Object.values(json.resource.aws_xray_group as Json)[0] as Json;
      group.tags.note = `model key ${FAKE.openai}`;
    });
    const findings = lintOutput(loadSynthOutput(dir)).filter((f) => f.rule === "secret-literal");
    expect(findings.map((f) => [f.address.replace(/_[0-9A-F]{8}/, "_*"), f.message])).toEqual([
      ["obs-prod-rag-assistant: aws_ssm_parameter.service_tracing_collector-config_* value", "password value in the synthesized output, masked: hunt… (15 characters)"],
      [expect.stringMatching(/^obs-prod-rag-assistant: aws_xray_group\.\S+ tags\.note$/), `OpenAI API key in the synthesized output, masked: ${mask(FAKE.openai)}`],
    ]);
    const text = JSON.stringify(findings);
    expect(text).not.toContain("hunter2secret99");
    expect(text).not.toContain(tail(FAKE.openai));
  });

  it("review shows the changed collector config as a line diff with the password masked", () => {
    const head = edited("review", (json) => {
      const config = collectorConfig(json);
      config.value = config.value.replace("exporters:\n", "exporters:\n  basicauth:\n    password: " + "hunter2secret99\n");
    });
    const markdown = renderReview(buildReview(loadSynthOutput(base), loadSynthOutput(head)));
    expect(markdown).toContain("<details><summary>value of service/tracing/collector-config</summary>");
    expect(markdown).toContain("+     password: (password value, masked: hunt… (15 characters))");
    expect(markdown).not.toContain("hunter2secret99");
  });
});
