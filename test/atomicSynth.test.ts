/**
 * Complete outputs only (constructs/atomicSynth.ts): a synth that fails half-way leaves the
 * previous output byte for byte, a re-synth without a stack drops its folder, leftovers of a killed
 * synth are cleaned up, `terraform init` state survives; and review/lint refuse what is not a
 * complete output of one synth (symlinks leaving the folder, oversized stacks).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { synthAtomically } from "../constructs/atomicSynth";
import { MAX_STACK_BYTES } from "../review/load";

const ROOT = join(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "obs-atomic-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small app with the given stacks (one output each), synthesized atomically into `outdir`. */
function synth(outdir: string, stacks: readonly string[], fail = false) {
  return synthAtomically(outdir, (staging) => {
    const app = new App({ outdir: staging });
    for (const s of stacks) new TerraformOutput(new TerraformStack(app, s), "name", { value: s });
    if (fail) throw new Error("validation failed half-way");
    return app;
  });
}

const snapshot = (dir: string) => {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : (files[join(d, e.name).slice(dir.length)] = readFileSync(join(d, e.name), "utf8"));
  };
  walk(dir);
  return files;
};

function mlobs(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/mlobs.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("synthAtomically", () => {
  it("a failed synth leaves the previous output untouched and no staging folder", () => {
    const out = join(work, "a", "cdktf.out");
    synth(out, ["obs-prod-one", "obs-prod-two"]);
    const before = snapshot(out);
    expect(() => synth(out, ["obs-prod-one"], true)).toThrow("validation failed half-way");
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(join(work, "a"))).toEqual(["cdktf.out"]);
  });

  it("a re-synth without a stack drops its folder (no stale stacks), keeping terraform init state of the others and files synth does not write", () => {
    const out = join(work, "b", "cdktf.out");
    synth(out, ["obs-prod-one", "obs-prod-two"]);
    mkdirSync(join(out, "stacks", "obs-prod-one", ".terraform"));
    writeFileSync(join(out, "stacks", "obs-prod-one", ".terraform.lock.hcl"), "# lock\n");
    mkdirSync(join(out, "rules"));
    writeFileSync(join(out, "rules", "svc.yml"), "groups: []\n");
    const r = synth(out, ["obs-prod-one"]);
    expect(readFileSync(join(out, "rules", "svc.yml"), "utf8")).toBe("groups: []\n");
    expect(r.outdir).toBe(out);
    expect(readdirSync(join(out, "stacks"))).toEqual(["obs-prod-one"]);
    expect(existsSync(join(out, "stacks", "obs-prod-one", ".terraform"))).toBe(true);
    expect(readFileSync(join(out, "stacks", "obs-prod-one", ".terraform.lock.hcl"), "utf8")).toBe("# lock\n");
    expect(Object.keys(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).stacks)).toEqual(["obs-prod-one"]);
    expect(readdirSync(join(work, "b"))).toEqual(["cdktf.out"]);
  });

  it("removes staging folders a killed synth left (its process is gone), not those of a running one", () => {
    mkdirSync(join(work, "c"));
    const dead = join(work, "c", ".cdktf.out.staging-999999999-abc");
    const live = join(work, "c", `.cdktf.out.staging-${process.pid}-abc`);
    mkdirSync(dead);
    mkdirSync(live);
    synth(join(work, "c", "cdktf.out"), ["obs-prod-one"]);
    expect(readdirSync(join(work, "c")).sort()).toEqual([".cdktf.out.staging-" + process.pid + "-abc", "cdktf.out"]);
  });
});

describe("review and lint refuse outputs that are not one complete synth", () => {
  it("a stack file that is a symlink out of the folder", () => {
    const out = join(work, "d", "cdktf.out");
    synth(out, ["obs-prod-one"]);
    const file = join(out, "stacks", "obs-prod-one", "cdk.tf.json");
    writeFileSync(join(work, "d", "outside.json"), readFileSync(file));
    rmSync(file);
    symlinkSync(join(work, "d", "outside.json"), file);
    const r = mlobs("lint", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('synthesizedStackPath "stacks/obs-prod-one/cdk.tf.json" is a symlink leaving the output folder');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it(`a stack file over ${MAX_STACK_BYTES / 2 ** 20} MiB`, () => {
    const out = join(work, "e", "cdktf.out");
    synth(out, ["obs-prod-one"]);
    truncateSync(join(out, "stacks", "obs-prod-one", "cdk.tf.json"), MAX_STACK_BYTES + 1);
    const r = mlobs("review", "--base", out, "--head", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`is ${MAX_STACK_BYTES + 1} bytes, over the ${MAX_STACK_BYTES}-byte (64 MiB) limit per stack`);
  });
});
