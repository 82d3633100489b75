/**
 * Generated service descriptions for the benchmark: N realistic, varied, valid descriptions from a
 * seeded PRNG, so every run (and the project and rule-evaluation parts) sees the same fleet.
 * Varies what drives output size: kind, stages, SLO count and kinds, models, quality scores, drift
 * features (with and without pinned baselines), teams and their receivers, log retention.
 */
import { mulberry32 } from "../toolkit/random";
import { LATENCY_BUCKETS_SECONDS, SCORE_BUCKETS } from "../service/metricContract";
import type { ReceiverDescription, ServiceDescription, ServiceKind, SloDescription } from "../service/types";

/** Reproducible numbers in [0, 1) (the replay generator's mulberry32). */
export const seededRandom = mulberry32;

const DOMAINS = ["search", "support", "fraud", "recs", "ads", "pricing", "docs", "chat", "code", "vision", "legal", "hr", "risk", "ops", "sales", "claims"];
const ROLES: Record<ServiceKind, readonly string[]> = {
  "rag-pipeline": ["assistant", "qa", "copilot", "knowledge-bot", "summarizer"],
  "llm-gateway": ["llm-gateway", "prompt-router", "completion-proxy"],
  "model-endpoint": ["scoring", "ranker", "classifier", "forecaster", "detector"],
  // Not drawn by the fleet (kept as measured before agents existed); here for completeness.
  agent: ["ops-agent", "support-agent"],
  custom: ["batch-labeler", "eval-runner"],
};
const STAGES: Record<ServiceKind, readonly string[]> = {
  "rag-pipeline": ["embed", "retrieve", "rerank", "generate", "guardrail"],
  "llm-gateway": ["route", "moderate", "generate"],
  "model-endpoint": ["featurize", "score"],
  agent: ["plan", "act", "observe"],
  custom: ["load", "label", "write"],
};
const LLMS = [
  { name: "gpt-4o-mini", provider: "openai", inputPricePer1kTokens: 0.00015, outputPricePer1kTokens: 0.0006 },
  { name: "gpt-4o", provider: "openai", inputPricePer1kTokens: 0.0025, outputPricePer1kTokens: 0.01 },
  { name: "claude-3-5-haiku", provider: "bedrock", inputPricePer1kTokens: 0.0008, outputPricePer1kTokens: 0.004 },
  { name: "llama-3-1-70b", provider: "self-hosted" },
  { name: "text-embedding-3-small", provider: "openai", inputPricePer1kTokens: 0.00002 },
] as const;
const SCORES = ["relevance", "faithfulness", "helpfulness", "toxicity-free", "accuracy"];
const FEATURES = ["query_length_chars", "amount_usd", "account_age_days", "session_length", "items_in_cart", "merchant_risk_score", "page_views", "latency_budget_ms"];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}
function some<T>(rnd: () => number, xs: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(rnd() * (max - min + 1));
  return [...xs].sort(() => rnd() - 0.5).slice(0, Math.min(n, xs.length));
}

/** Receivers are a property of the team: a team must route to one place. */
function teamReceivers(team: string, i: number): { page: ReceiverDescription; ticket: ReceiverDescription } {
  const page: ReceiverDescription =
    i % 3 === 0
      ? { type: "opsgenie", secret: `secretsmanager:observability/${team}/opsgenie-api-key` }
      : { type: "pagerduty", secret: `ssm:/observability/${team}/pagerduty-routing-key` };
  const ticket: ReceiverDescription =
    i % 4 === 0
      ? { type: "email", addresses: [`${team}@example.com`] }
      : { type: "slack", channel: `#${team}-alerts`, secret: `secretsmanager:observability/${team}/slack-webhook` };
  return { page, ticket };
}

/** Latency buckets between lo and hi seconds (SLO thresholds must be bucket boundaries). */
const latencyBetween = (lo: number, hi: number) => LATENCY_BUCKETS_SECONDS.filter((b) => b >= lo && b <= hi);

/** `n` generated services in the given environments; the same n and seed always give the same fleet. */
/** Where the fleet's notification policy sends alerts no team route matches: a contact point of its own. */
export const FLEET_DEFAULT_RECEIVER = { type: "email", addresses: ["observability-platform@example.com"] } as const;

export function generateServices(n: number, options: { environments?: readonly string[]; seed?: number } = {}): ServiceDescription[] {
  const rnd = seededRandom(options.seed ?? 20240601);
  const environments = options.environments ?? ["prod"];
  const teamCount = Math.max(1, Math.ceil(n / 4));
  const used = new Map<string, number>();
  const out: ServiceDescription[] = [];
  for (let i = 0; i < n; i++) out.push(generateService(rnd, i % teamCount, used, environments));
  return out;
}

/**
 * One service. Every draw from `rnd` happens in a fixed order (kind, name, stages, scores, SLOs,
 * models, features, then the remaining fields in the order they are written), so a fleet stays
 * the same as long as that order does.
 */
function generateService(rnd: () => number, teamIndex: number, used: Map<string, number>, environments: readonly string[]): ServiceDescription {
  const r = rnd();
  const kind: ServiceKind = r < 0.4 ? "rag-pipeline" : r < 0.6 ? "llm-gateway" : r < 0.95 ? "model-endpoint" : "custom";
  const domain = pick(rnd, DOMAINS);
  const base = `${domain}-${pick(rnd, ROLES[kind])}`;
  const seen = used.get(base) ?? 0;
  used.set(base, seen + 1);
  const name = seen === 0 ? base : `${base}-${seen + 1}`;
  const team = `${DOMAINS[teamIndex % DOMAINS.length]}-ml${teamIndex >= DOMAINS.length ? `-${Math.floor(teamIndex / DOMAINS.length) + 1}` : ""}`;
  const llm = kind === "rag-pipeline" || kind === "llm-gateway";
  const stages = stagesFor(rnd, kind);
  const scores = scoresFor(rnd, kind, llm);
  const slos = slosFor(rnd, name, llm, stages, scores);
  // A model endpoint once drew whether to declare a model (models are an LLM kind's): the draw stays, so the fleet does.
  if (!llm && kind === "model-endpoint") rnd();
  const models = llm ? some(rnd, LLMS, 1, 3).map((m) => ({ ...m })) : [];
  const features = featuresFor(rnd, kind);
  const { page, ticket } = teamReceivers(team, teamIndex);
  return {
    name,
    team,
    owner: `${team}-oncall@example.com`,
    kind,
    criticality: pick(rnd, ["tier1", "tier2", "tier3"] as const),
    environments: [...environments],
    stages,
    slos,
    models,
    quality: { scores, ...(llm ? { maxHallucinationPercent: pick(rnd, [2, 3, 5]) } : {}) },
    drift: { features, ...(rnd() < 0.3 ? { psiThreshold: 0.25 } : {}) },
    // A budget needs a priced model to compute spend from (drawn either way, so the fleet stays the same).
    ...spendBudget(llm ? pick(rnd, [5, 12, 40, 100]) : undefined, models),
    ...(rnd() < 0.3 ? { logs: { audit: { retentionDays: 2557 }, maskPii: rnd() < 0.9 } } : {}),
    tracing: { baselinePercent: pick(rnd, [1, 5, 10]) },
    alerting: { page, ticket, runbookBaseUrl: `https://runbooks.example.com/${team}` },
  };
}

function spendBudget(budget: number | undefined, models: readonly object[]) {
  const price = (m: object, k: string) => (k in m ? Number((m as Record<string, unknown>)[k]) : 0);
  const priced = models.some((m) => price(m, "inputPricePer1kTokens") > 0 || price(m, "outputPricePer1kTokens") > 0);
  return budget !== undefined && priced ? { cost: { hourlyBudgetUsd: budget } } : {};
}

function stagesFor(rnd: () => number, kind: ServiceKind): { name: string; latencyTargetSeconds: number }[] {
  const stages = some(rnd, STAGES[kind], 1, STAGES[kind].length).map((s) => ({
    name: s,
    latencyTargetSeconds: s === "generate" ? pick(rnd, latencyBetween(1.28, 5.12)) : pick(rnd, latencyBetween(0.04, 0.64)),
  }));
  // keep request order
  stages.sort((a, b) => STAGES[kind].indexOf(a.name) - STAGES[kind].indexOf(b.name));
  return stages;
}

type Score = { name: string; threshold: number; targetPercent: number };

function scoresFor(rnd: () => number, kind: ServiceKind, llm: boolean): Score[] {
  return llm
    ? some(rnd, SCORES.slice(0, 4), 1, 3).map((s) => ({ name: s, threshold: pick(rnd, SCORE_BUCKETS.slice(4, 9)), targetPercent: pick(rnd, [85, 90, 95]) }))
    : kind === "model-endpoint" && rnd() < 0.6
      ? [{ name: "accuracy", threshold: 0.5, targetPercent: 90 }]
      : [];
}

/** Availability and end-to-end latency always; a stage-latency, quality and custom SLO by chance. */
function slosFor(rnd: () => number, name: string, llm: boolean, stages: readonly { name: string; latencyTargetSeconds: number }[], scores: readonly Score[]): SloDescription[] {
  const slos: SloDescription[] = [{ name: "availability", objectivePercent: pick(rnd, [99, 99.5, 99.9, 99.95]), availability: {} }];
  slos.push({
    name: llm ? "answer-latency" : "request-latency",
    objectivePercent: pick(rnd, [95, 99, 99.5]),
    latency: { thresholdSeconds: llm ? pick(rnd, latencyBetween(1.28, 10.24)) : pick(rnd, latencyBetween(0.04, 0.64)) },
  });
  if (stages.length > 1 && rnd() < 0.5) {
    const st = pick(rnd, stages);
    const above = LATENCY_BUCKETS_SECONDS.filter((b) => b >= st.latencyTargetSeconds);
    slos.push({ name: `${st.name}-latency`, objectivePercent: 99, latency: { stage: st.name, thresholdSeconds: above[Math.min(1, above.length - 1)] } });
  }
  if (scores.length > 0 && rnd() < 0.7)
    slos.push({ name: `answer-${scores[0].name}`, objectivePercent: scores[0].targetPercent, quality: { score: scores[0].name, threshold: scores[0].threshold } });
  if (rnd() < 0.25) {
    const metric = name.replace(/-/g, "_");
    slos.push({ name: "good-events", objectivePercent: 99, custom: { goodMetric: `${metric}_good_total`, totalMetric: `${metric}_total` } });
  }
  return slos;
}

/** Every third feature declares nothing, the next buckets, the next buckets and a pinned baseline. */
function featuresFor(rnd: () => number, kind: ServiceKind) {
  return some(rnd, FEATURES, kind === "model-endpoint" ? 1 : 0, kind === "model-endpoint" ? 5 : 2).map((f, k) => {
    if (k % 3 === 0) return { name: f };
    const buckets = f.endsWith("_usd") ? [10, 50, 100, 500, 1000, 5000] : [1, 4, 16, 64, 256, 1024];
    if (k % 3 === 1) return { name: f, buckets };
    const shares = [0.1, 0.25, 0.3, 0.2, 0.1, 0.04, 0.01];
    return { name: f, buckets, baselineFractions: shares };
  });
}
