/**
 * Shared by the validation tests (test/validation*.test.ts): a valid description each case breaks
 * in one place, and the problems validation reports as the lines the CLI prints.
 */
import { normalizeService, ValidationError } from "../../service/normalize";

/** Descriptions are untrusted data here; mutations reach into them freely. */
export type Description = Record<string, any>;

/** A valid description with every part the cases break. */
export function validDescription(): Description {
  return {
    name: "qa-bot",
    team: "support-ai",
    owner: "support-ai@example.com",
    kind: "rag-pipeline",
    stages: [
      { name: "retrieve", latencyTargetSeconds: 0.32 },
      { name: "generate", latencyTargetSeconds: 2.56 },
    ],
    slos: [
      { name: "availability", objectivePercent: 99.9, availability: {} },
      { name: "answer-latency", objectivePercent: 99, latency: { thresholdSeconds: 2.56 } },
      { name: "retrieve-latency", objectivePercent: 99, latency: { stage: "retrieve", thresholdSeconds: 0.32 } },
      { name: "relevance", objectivePercent: 95, quality: { score: "relevance", threshold: 0.7 } },
    ],
    quality: { scores: [{ name: "relevance", threshold: 0.7 }] },
    drift: { features: [{ name: "query_length", buckets: [16, 64, 256] }] },
    alerting: {
      page: { type: "pagerduty", secret: "ssm:/observability/support-ai/pagerduty" },
      ticket: { type: "slack", channel: "#support-ai-alerts", secret: "secretsmanager:support-ai/slack-webhook" },
      runbookBaseUrl: "https://runbooks.example.com/support-ai",
    },
  };
}

/** The problems `fn` reports, as the lines the CLI prints (`path: message`); [] when it accepts. */
export function problems(fn: () => unknown): string[] {
  try {
    fn();
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
}

/** The problems of the valid description after `mutate`. */
export const problemsOf = (mutate: (d: Description) => void): string[] => {
  const d = validDescription();
  mutate(d);
  return problems(() => normalizeService(d));
};
