/**
 * The example app: two services (a RAG assistant and a classic fraud-scoring endpoint) in staging
 * and prod. main.ts runs it; tests and benchmarks call it with their own output folder.
 */
import { join } from "node:path";
import { App } from "cdktf";
import { synthAtomically } from "../constructs/atomicSynth";
import { buildObservabilityApp, type StateBackendConfig } from "../constructs/stacks";
import { loadServicesFiles } from "../service/load";
import type { ReceiverDescription } from "../service/types";

export const EXAMPLE_SERVICE_FILES = ["rag-assistant.yaml", "fraud-scoring.yaml"].map((f) => join(__dirname, f));

/**
 * Where each environment's notification policy sends alerts that match no team route (a rule
 * labelled with a team nobody routes): the platform team's own Slack channel, a contact point of
 * its own ("catch-all").
 */
export const EXAMPLE_DEFAULT_RECEIVER: ReceiverDescription = {
  type: "slack",
  channel: "#observability-unrouted",
  secret: "secretsmanager:observability/platform/slack-webhook",
};

export interface ExampleAppOptions {
  /** Output folder. @default "cdktf.out" (or $CDKTF_OUTDIR, as cdktf sets it) */
  readonly outdir?: string;
  /** @default { kind: "local" } */
  readonly backend?: StateBackendConfig;
  /** @default "eu-west-1" */
  readonly region?: string;
}

/**
 * Synthesizes the example app atomically (constructs/atomicSynth.ts): the output folder holds the
 * previous complete output until this one is complete. Returns the app (for its warnings) and the
 * folder written.
 */
export function synthExampleApp(options: ExampleAppOptions = {}): { app: App; outdir: string } {
  const services = loadServicesFiles(EXAMPLE_SERVICE_FILES);
  const region = options.region ?? "eu-west-1";
  return synthAtomically(options.outdir, (staging) => {
    const app = new App({ outdir: staging });
    buildObservabilityApp(app, {
      services,
      backend: options.backend,
      environments: [
        { name: "staging", region, platform: { metricsRetentionDays: 30 }, defaultReceiver: EXAMPLE_DEFAULT_RECEIVER },
        { name: "prod", region, platform: { metricsRetentionDays: 400 }, defaultReceiver: EXAMPLE_DEFAULT_RECEIVER },
      ],
    });
    return app;
  });
}
