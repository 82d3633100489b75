/**
 * The example app: two services (a RAG assistant and a classic fraud-scoring endpoint) in staging
 * and prod. main.ts runs it; tests and benchmarks call it with their own output folder.
 */
import { join } from "node:path";
import { App } from "cdktf";
import { buildObservabilityApp, type StateBackendConfig } from "../constructs/stacks";
import { loadServicesFiles } from "../service/load";

export const EXAMPLE_SERVICE_FILES = ["rag-assistant.yaml", "fraud-scoring.yaml"].map((f) => join(__dirname, f));

export interface ExampleAppOptions {
  /** Output folder. @default "cdktf.out" (or $CDKTF_OUTDIR, as cdktf sets it) */
  readonly outdir?: string;
  /** @default { kind: "local" } */
  readonly backend?: StateBackendConfig;
  /** @default "eu-west-1" */
  readonly region?: string;
}

export function synthExampleApp(options: ExampleAppOptions = {}): App {
  const services = loadServicesFiles(EXAMPLE_SERVICE_FILES);
  const region = options.region ?? "eu-west-1";
  const app = new App({ outdir: options.outdir });
  buildObservabilityApp(app, {
    services,
    backend: options.backend,
    environments: [
      { name: "staging", region, platform: { metricsRetentionDays: 30 } },
      { name: "prod", region, platform: { metricsRetentionDays: 400 } },
    ],
  });
  app.synth();
  return app;
}
