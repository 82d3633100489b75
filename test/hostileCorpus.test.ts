/**
 * The hostile corpus (test/hostile/cases/*.yaml, format in test/hostile/README.md): what a stranger's
 * pull request can put in front of `mlobs`, each case with the exit code and the message it must get.
 * Every case runs the same `main()` the bin runs, in a fresh folder, and must never throw or print a
 * stack trace, nor echo what a case lists under `never`.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { App } from "cdktf";
import { parse } from "yaml";
import { buildObservabilityApp } from "../constructs/stacks";
import { loadServicesFiles } from "../service/load";
import { runMlobs } from "./support/mlobsInProcess";
import { EXAMPLE_DEFAULT_RECEIVER } from "../examples/exampleApp";

interface Case {
  readonly about: string;
  readonly command: readonly string[];
  readonly files?: Readonly<Record<string, string | GeneratedFile>>;
  readonly synth?: Readonly<Record<string, readonly string[]>>;
  readonly exit: number;
  readonly stderr?: readonly string[];
  readonly stdout?: readonly string[];
  readonly never?: readonly string[];
}

/** A file too large to check in: `marker` in `text` becomes `unit` repeated `times` times (`{i}` in `unit` counts from 0). */
interface GeneratedFile {
  readonly text: string;
  readonly repeat: { readonly marker: string; readonly unit: string; readonly times: number };
}

const fileText = (f: string | GeneratedFile): string => {
  if (typeof f === "string") return f;
  const { marker, unit, times } = f.repeat;
  const body = unit.includes("{i}") ? Array.from({ length: times }, (_, i) => unit.split("{i}").join(String(i))).join("") : unit.repeat(times);
  return f.text.split(marker).join(body);
};

const CASES_DIR = join(__dirname, "hostile", "cases");
const cases = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => ({ file: f, spec: parse(readFileSync(join(CASES_DIR, f), "utf8")) as Case }));

const work = mkdtempSync(join(tmpdir(), "mlobs-hostile-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synthesizes the descriptions into `outdir`, in every environment they list. */
function synthInto(outdir: string, files: readonly string[]): void {
  const services = loadServicesFiles(files);
  const environments = [...new Set(services.flatMap((s) => s.environments))].sort();
  const app = new App({ outdir });
  buildObservabilityApp(app, { services, environments: environments.map((name) => ({ name, region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER })) });
  app.synth();
}


describe("hostile corpus", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases.map((c) => [c.file.replace(/\.yaml$/, ""), c] as const))("%s", (_name, { spec }) => {
    const dir = mkdtempSync(join(work, "case-"));
    for (const [path, text] of Object.entries(spec.files ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), fileText(text));
    }
    for (const [outdir, files] of Object.entries(spec.synth ?? {}))
      synthInto(
        join(dir, outdir),
        files.map((f) => join(dir, f)),
      );
    const r = runMlobs(spec.command, dir);
    const both = `${r.stdout}\n${r.stderr}`;
    expect({ about: spec.about, code: r.code }).toEqual({ about: spec.about, code: spec.exit });
    for (const s of spec.stderr ?? []) expect(r.stderr).toContain(s);
    for (const s of spec.stdout ?? []) expect(r.stdout).toContain(s);
    for (const s of spec.never ?? []) expect(both).not.toContain(s);
    expect(both.split("\n").filter((l) => /^\s+at .+:\d+:\d+\)?$/.test(l))).toEqual([]);
  });
});
