/**
 * Shared by the review tests (test/review.test.ts, test/reviewPlan.test.ts): the example
 * descriptions to edit, and a temporary folder to synthesize them into.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { parse } from "yaml";
import { buildObservabilityApp } from "../../constructs/stacks";
import { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES } from "../../examples/exampleApp";
import { normalizeService } from "../../service/normalize";
import type { ServiceDescription } from "../../service/types";

type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
export type Description = Mutable<ServiceDescription>;
export type Json = Record<string, any>;

export const [RAG, FRAUD] = EXAMPLE_SERVICE_FILES.map((f) => parse(readFileSync(f, "utf8")) as Description);
export const rag = () => structuredClone(RAG);
export const fraud = () => structuredClone(FRAUD);

/** A temporary folder, removed after the file's tests, and `synth` into it. */
export function reviewWorkspace(): { work: string; synth: (name: string, services: Description[]) => string } {
  const work = mkdtempSync(join(tmpdir(), "obs-review-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Synthesizes the services into prod only (one environment is enough to review). */
  function synth(name: string, services: Description[]): string {
    const outdir = join(work, name, "cdktf.out");
    mkdirSync(join(work, name), { recursive: true });
    const app = new App({ outdir });
    buildObservabilityApp(app, { services: services.map((s) => normalizeService(s)), environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }] });
    app.synth();
    return outdir;
  }
  return { work, synth };
}
