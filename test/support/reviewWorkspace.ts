/**
 * Shared by the review tests (review, reviewPlan, reviewDetection): the example
 * descriptions to edit, a temporary folder to synthesize them into, and edited copies of outputs.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

export interface ReviewWorkspace {
  readonly work: string;
  /** Synthesizes the services into `<work>/<name>/cdktf.out` (prod only). */
  readonly synth: (name: string, services: Description[]) => string;
  /** A copy of the output `from` at `<work>/<name>/cdktf.out` with one stack's cdk.tf.json edited. */
  readonly mutated: (name: string, from: string, stack: string, edit: (json: Json) => void) => string;
}

/** A temporary folder, removed after the file's tests, to synthesize into and copy outputs in. */
export function reviewWorkspace(): ReviewWorkspace {
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

  function mutated(name: string, from: string, stack: string, edit: (json: Json) => void): string {
    const outdir = join(work, name, "cdktf.out");
    cpSync(from, outdir, { recursive: true });
    const file = join(outdir, "stacks", stack, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as Json;
    edit(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
    return outdir;
  }
  return { work, synth, mutated };
}
