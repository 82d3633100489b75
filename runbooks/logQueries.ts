/**
 * The Logs Insights queries runbook pages tell responders to run: the service's saved queries
 * (tracing/logQueries.ts, deployed as CloudWatch saved queries, so the page names them), and a few
 * that only a runbook step needs. Field names come from the log contract; none is spelt here.
 */
import { LOG_FIELDS } from "../service/logContract";
import type { ServiceModel } from "../service/model";
import { savedQueries, type SavedQuery } from "../tracing/logQueries";
import { layersOf } from "./layers";

/** A query and the tier it reads; `saved` when it is one of the service's saved queries. */
export type LogsQuery = Omit<SavedQuery, "id"> & { readonly saved: boolean };

export type SavedQueryId = "request-by-id" | "request-by-id-sampled" | "errors-by-request" | "slowest-per-stage" | "errors-by-release" | "release-before-after";

/** The saved queries (pure and the same for every service), built once. */
let savedOnce: readonly SavedQuery[] | undefined;

/** One of the saved queries, by id; a missing one is a bug here, not bad input. */
export function saved(id: SavedQueryId): LogsQuery {
  const q = (savedOnce ??= savedQueries()).find((s) => s.id === id);
  if (!q) throw new Error(`internal: runbooks cite the saved query ${id}, which tracing/logQueries.ts no longer defines`);
  return { title: q.title, tier: q.tier, query: q.query, saved: true };
}

const f = LOG_FIELDS;

/** The versions a record carries that the service has a layer for, to spot the one that changed. */
function versionFields(model: ServiceModel): string[] {
  const layers = layersOf(model);
  return [
    f.modelVersion,
    ...(model.kind === "model-endpoint" ? [] : [f.promptVersion]),
    ...(layers.includes("retrieval") ? [f.retrievalIndexVersion] : []),
    ...(layers.includes("policy") ? [f.policyVersion] : []),
    f.inputSchemaVersion,
  ];
}

/** Records per hour by every version in play: a version that appears when the alert started is the first suspect. */
export function versionsInPlay(model: ServiceModel): LogsQuery {
  return {
    title: "Versions in play, hourly",
    tier: "standard",
    saved: false,
    query: [`stats count(*) as records by bin(1h), ${versionFields(model).join(", ")}`, "| sort records desc", "| limit 200"].join("\n"),
  };
}

/** A score's hourly average per model and prompt version (the score as the online evaluator logged it). */
export function scoreByRelease(model: ServiceModel, score: string): LogsQuery {
  const field = `\`${f.evaluationScores}.${score}\``;
  const release = model.kind === "model-endpoint" ? f.modelVersion : `${f.modelVersion}, ${f.promptVersion}`;
  return {
    title: `${score} by release, hourly`,
    tier: "standard",
    saved: false,
    query: [`filter ispresent(${field})`, `| stats avg(${field}) as avgScore, count(*) as evaluated by bin(1h), ${release}`].join("\n"),
  };
}

/** Tokens per record by model and prompt version: a prompt or loop change shows as a jump. */
export function tokensByRelease(): LogsQuery {
  return {
    title: "Tokens by model and prompt version, hourly",
    tier: "standard",
    saved: false,
    query: [
      `filter ispresent(${f.inputTokens})`,
      `| stats avg(${f.inputTokens}) as avgInputTokens, avg(${f.outputTokens}) as avgOutputTokens, count(*) as records by bin(1h), ${f.modelName}, ${f.promptVersion}`,
    ].join("\n"),
  };
}

/** Records arriving per 5 minutes: whether the service still serves (and logs) while its metrics are gone. */
export function recordsArriving(): LogsQuery {
  return {
    title: "Records per 5 minutes",
    tier: "standard",
    saved: false,
    query: `stats count(*) as records by bin(5m), ${f.service}`,
  };
}
