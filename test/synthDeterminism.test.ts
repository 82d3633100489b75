/**
 * Same input, same bytes: the example app synthesized twice, and once more from another working
 * directory (a second checkout as far as the process can tell), gives byte-identical output,
 * manifest included; and nothing synthesized depends on where it ran (no absolute paths) or when
 * (no timestamps).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { synthExampleApp } from "../examples/exampleApp";

const work = realpathSync(mkdtempSync(join(tmpdir(), "obs-determinism-")));
const outdirs = { first: join(work, "first", "cdktf.out"), second: join(work, "second", "cdktf.out"), elsewhere: join(work, "checkout-b", "cdktf.out") };
const projectRoot = join(__dirname, "..");

/** Every file under `dir`, as sorted paths relative to it. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? filesUnder(p, base) : [relative(base, p)];
    })
    .sort();
}

beforeAll(() => {
  for (const d of Object.values(outdirs)) mkdirSync(join(d, ".."), { recursive: true });
  synthExampleApp({ outdir: outdirs.first });
  synthExampleApp({ outdir: outdirs.second });
  const cwd = process.cwd();
  try {
    process.chdir(join(work, "checkout-b"));
    synthExampleApp({ outdir: outdirs.elsewhere });
  } finally {
    process.chdir(cwd);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("synthesized output of the example app", () => {
  it("holds a manifest and at least four stacks", () => {
    const manifest = JSON.parse(readFileSync(join(outdirs.first, "manifest.json"), "utf8")) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks).length).toBeGreaterThanOrEqual(4);
    const files = filesUnder(outdirs.first);
    expect(files).toContain("manifest.json");
    expect(files.filter((f) => f.endsWith("cdk.tf.json")).length).toBe(Object.keys(manifest.stacks).length);
  });

  it("is byte-identical across two synths in one process, file for file, manifest included", () => {
    const files = filesUnder(outdirs.first);
    expect(filesUnder(outdirs.second)).toEqual(files);
    for (const f of files) expect([f, readFileSync(join(outdirs.second, f)).equals(readFileSync(join(outdirs.first, f)))]).toEqual([f, true]);
  });

  it("is byte-identical when synthesized from another working directory", () => {
    const files = filesUnder(outdirs.first);
    expect(filesUnder(outdirs.elsewhere)).toEqual(files);
    for (const f of files) expect([f, readFileSync(join(outdirs.elsewhere, f)).equals(readFileSync(join(outdirs.first, f)))]).toEqual([f, true]);
  });

  it("contains no absolute path: not the output folder, the working directory, the project, the home or temp folders", () => {
    const literal = [work, outdirs.first, projectRoot, realpathSync(projectRoot), process.cwd(), homedir(), tmpdir(), realpathSync(tmpdir())];
    // An absolute path starts after a quote, space, `=` or `:`; `platform/workspace` is a construct path, not `/work`.
    const absolute = /(?:^|["'\s=:(])\/(?:tmp|work|root|home|Users|var|private)(?:\/|["'\s]|$)/m;
    for (const f of filesUnder(outdirs.first)) {
      const text = readFileSync(join(outdirs.first, f), "utf8");
      for (const l of literal) expect([f, l, text.includes(l)]).toEqual([f, l, false]);
      expect([f, absolute.exec(text)?.[0]]).toEqual([f, undefined]);
    }
  });

  it("contains no timestamp: no ISO date-time, no epoch seconds or milliseconds of this decade, not today's date", () => {
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const isoDateTime = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
    const epochSeconds = /(?<![\d.])1[7-9]\d{8}(?![\d.])/; // 2023-11 .. 2033-05
    const epochMillis = /(?<![\d.])1[7-9]\d{11}(?![\d.])/;
    for (const f of filesUnder(outdirs.first)) {
      const text = readFileSync(join(outdirs.first, f), "utf8");
      expect([f, text.includes(today), isoDateTime.exec(text)?.[0], epochSeconds.exec(text)?.[0], epochMillis.exec(text)?.[0]]).toEqual([
        f,
        false,
        undefined,
        undefined,
        undefined,
      ]);
    }
  });
});
