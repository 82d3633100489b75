/**
 * Validation and defaults: raw description (untrusted) -> normalized ServiceModel.
 * Every problem is collected, with its field path and a fix, before anything is thrown, so a user
 * fixes a file in one pass and nothing half-applies.
 */
import { CLOUDWATCH_RETENTION_DAYS, DEFAULTS } from "./defaults";
import { SERVICES_FILE_SCHEMA, SERVICE_SCHEMA } from "./descriptionSchema";
import {
  DEFAULT_METRIC_CONTRACT,
  METRIC_KEYS,
  nearestBuckets,
  type HistogramMetric,
  type MetricContract,
} from "./metricContract";
import type { ReceiverModel, ServiceModel, SloModel } from "./model";
import { check, joinPath, type Issue } from "./schemaDsl";
import type { ServiceDescription } from "./types";

/** Thrown when a description is invalid; `issues` lists every problem found. */
export class ValidationError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(
      `${issues.length} problem(s) in the service description:\n` +
        issues.map((i) => `  ${i.path}: ${i.message}`).join("\n"),
    );
    this.name = "ValidationError";
  }
}

/** Validates and normalizes one service description. Throws ValidationError listing every problem. */
export function normalizeService(raw: unknown, path = ""): ServiceModel {
  const issues: Issue[] = [];
  const model = collectService(raw, path, issues);
  if (issues.length > 0 || !model) throw new ValidationError(issues);
  return model;
}

/** Validates and normalizes a list of services (names must be unique). */
export function normalizeServices(raw: unknown): ServiceModel[] {
  const issues: Issue[] = [];
  check(SERVICES_FILE_SCHEMA, raw, "", issues);
  if (issues.length > 0) {
    // Structural problems already name every path; semantic checks need a well-formed shape.
    throw new ValidationError(issues);
  }
  const services = (raw as { services: unknown[] }).services;
  const models = services.map((s, i) => collectService(s, joinPath("services", i), issues));
  if (issues.length > 0) throw new ValidationError(issues);
  return models as ServiceModel[];
}

/** Validates one service; returns the model when it is valid, appending problems to `issues`. */
export function collectService(raw: unknown, path: string, issues: Issue[]): ServiceModel | undefined {
  const before = issues.length;
  check(SERVICE_SCHEMA, raw, path, issues);
  if (issues.length > before) return undefined;
  const d = raw as ServiceDescription;
  const at = (p: string) => joinPath(path, p);
  const add = (p: string, message: string) => issues.push({ path: at(p), message });

  const metrics = resolveContract(d);
  const stageNames = new Set((d.stages ?? []).map((s) => s.name));
  const scoreNames = new Set((d.quality?.scores ?? []).map((s) => s.name));

  const requireBoundary = (p: string, value: number, metric: HistogramMetric) => {
    if (!metric.buckets.includes(value))
      add(p, `${value} is not a bucket boundary of ${metric.name}; ${nearestBuckets(value, metric.buckets)}`);
  };
  const requireStage = (p: string, stage: string | undefined) => {
    if (stage !== undefined && !stageNames.has(stage))
      add(
        p,
        `"${stage}" is not a declared stage; ` +
          (stageNames.size ? `declared stages are ${[...stageNames].join(", ")}` : "declare it under stages first"),
      );
  };

  const slos: SloModel[] = (d.slos ?? []).map((s, i) => {
    const p = `slos[${i}]`;
    const objective = round(s.objectivePercent / 100);
    const base = { name: s.name, objective, periodDays: s.periodDays ?? DEFAULTS.sloPeriodDays };
    if (s.availability) {
      requireStage(`${p}.availability.stage`, s.availability.stage);
      const where = s.availability.stage ? `the ${s.availability.stage} stage` : "requests";
      return { ...base, description: s.description ?? `${s.objectivePercent}% of ${where} succeed`, sli: { kind: "availability", stage: s.availability.stage } };
    }
    if (s.latency) {
      requireStage(`${p}.latency.stage`, s.latency.stage);
      const histogram = s.latency.stage ? metrics.stageDuration : metrics.httpRequestDuration;
      requireBoundary(`${p}.latency.thresholdSeconds`, s.latency.thresholdSeconds, histogram);
      const where = s.latency.stage ? `${s.latency.stage} calls` : "requests";
      return {
        ...base,
        description: s.description ?? `${s.objectivePercent}% of ${where} faster than ${s.latency.thresholdSeconds} s`,
        sli: { kind: "latency", thresholdSeconds: s.latency.thresholdSeconds, stage: s.latency.stage },
      };
    }
    if (s.quality) {
      if (!scoreNames.has(s.quality.score))
        add(`${p}.quality.score`, `"${s.quality.score}" is not declared; add it under quality.scores` + (scoreNames.size ? ` (declared: ${[...scoreNames].join(", ")})` : ""));
      requireBoundary(`${p}.quality.threshold`, s.quality.threshold, metrics.evaluationScore);
      return {
        ...base,
        description: s.description ?? `${s.objectivePercent}% of answers score ${s.quality.threshold} or more on ${s.quality.score}`,
        sli: { kind: "quality", score: s.quality.score, threshold: s.quality.threshold },
      };
    }
    const c = s.custom!;
    if (c.goodMetric === c.totalMetric) add(`${p}.custom.goodMetric`, `is the same counter as totalMetric; count good events in a counter of their own`);
    return { ...base, description: s.description ?? `${s.objectivePercent}% of events are good`, sli: { kind: "custom", goodMetric: c.goodMetric, totalMetric: c.totalMetric } };
  });

  const scores = (d.quality?.scores ?? []).map((s, i) => {
    requireBoundary(`quality.scores[${i}].threshold`, s.threshold, metrics.evaluationScore);
    return { name: s.name, threshold: s.threshold, target: round((s.targetPercent ?? DEFAULTS.qualityTargetPercent) / 100) };
  });

  const features = (d.drift?.features ?? []).map((f, i) => {
    const buckets = f.buckets ?? metrics.featureValue.buckets;
    if (f.baselineFractions) {
      const p = `drift.features[${i}].baselineFractions`;
      if (f.baselineFractions.length !== buckets.length + 1)
        add(p, `has ${f.baselineFractions.length} shares; give ${buckets.length + 1}, one per bucket (${buckets.length}) plus one for +Inf`);
      const sum = f.baselineFractions.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 0.01) add(p, `shares sum to ${round(sum)}; they must sum to 1 (within 0.01)`);
    }
    return { name: f.name, buckets, baselineFractions: f.baselineFractions };
  });

  const logs = d.logs ?? {};
  const retention = (tier: "errors" | "standard" | "audit" | "debug", fallback: number) => {
    const days = logs[tier]?.retentionDays ?? fallback;
    if (!CLOUDWATCH_RETENTION_DAYS.includes(days)) {
      const below = [...CLOUDWATCH_RETENTION_DAYS].reverse().find((v) => v < days);
      const above = CLOUDWATCH_RETENTION_DAYS.find((v) => v > days);
      add(`logs.${tier}.retentionDays`, `${days} is not a retention CloudWatch Logs accepts; nearest are ${below ?? "none"} and ${above ?? "none"}`);
    }
    return days;
  };
  const errorsDays = retention("errors", DEFAULTS.logs.errorsRetentionDays);
  const auditDays = retention("audit", DEFAULTS.logs.auditRetentionDays);
  if (auditDays < errorsDays)
    add("logs.audit.retentionDays", `${auditDays} is shorter than the errors tier (${errorsDays}); keep the audit trail at least as long`);

  const receiver = (which: "page" | "ticket"): ReceiverModel => {
    const r = d.alerting[which];
    const p = `alerting.${which}`;
    if (r.type !== "email" && !r.secret)
      add(`${p}.secret`, `is required for ${r.type}: reference the key, e.g. "ssm:/observability/${d.name}/${r.type}"`);
    if (r.type === "slack" && !r.channel) add(`${p}.channel`, `is required for slack, e.g. "#${d.team}-alerts"`);
    if (r.type === "email" && !r.addresses) add(`${p}.addresses`, `is required for email: list at least one address`);
    return { type: r.type, secret: r.secret, channel: r.channel, addresses: r.addresses };
  };

  const latencyThresholds = slos.flatMap((s) => (s.sli.kind === "latency" && !s.sli.stage ? [s.sli.thresholdSeconds] : []));

  const model: ServiceModel = {
    name: d.name,
    team: d.team,
    owner: d.owner,
    kind: d.kind,
    criticality: d.criticality ?? DEFAULTS.criticality,
    environments: d.environments ?? DEFAULTS.environments,
    selector: Object.entries(d.selector ?? { job: d.name }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    stages: (d.stages ?? []).map((s) => ({ name: s.name, latencyTargetSeconds: s.latencyTargetSeconds })),
    slos,
    models: (d.models ?? []).map((m) => ({
      name: m.name,
      provider: m.provider,
      inputPricePer1kTokens: m.inputPricePer1kTokens ?? 0,
      outputPricePer1kTokens: m.outputPricePer1kTokens ?? 0,
    })),
    quality: {
      scores,
      maxHallucinationRatio: round((d.quality?.maxHallucinationPercent ?? DEFAULTS.maxHallucinationPercent) / 100),
      maxNegativeFeedbackRatio: round((d.quality?.maxNegativeFeedbackPercent ?? DEFAULTS.maxNegativeFeedbackPercent) / 100),
    },
    drift: {
      features,
      psiThreshold: d.drift?.psiThreshold ?? DEFAULTS.psiThreshold,
      window: d.drift?.window ?? DEFAULTS.driftWindow,
      baselineOffset: d.drift?.baselineOffset ?? DEFAULTS.driftBaselineOffset,
      maxMissingFeatureRatio: round((d.drift?.maxMissingFeaturePercent ?? DEFAULTS.maxMissingFeaturePercent) / 100),
    },
    cost: { hourlyBudgetUsd: d.cost?.hourlyBudgetUsd },
    logs: {
      errors: { retentionDays: errorsDays },
      standard: {
        retentionDays: retention("standard", DEFAULTS.logs.standardRetentionDays),
        samplePercent: logs.standard?.samplePercent ?? DEFAULTS.logs.standardSamplePercent,
      },
      audit: { retentionDays: auditDays },
      debug: { retentionDays: retention("debug", DEFAULTS.logs.debugRetentionDays) },
      maskPii: logs.maskPii ?? DEFAULTS.logs.maskPii,
      piiIdentifiers: [...(logs.piiIdentifiers ?? DEFAULTS.logs.piiIdentifiers)].sort(),
    },
    tracing: {
      slowThresholdSeconds:
        d.tracing?.slowThresholdSeconds ?? (latencyThresholds.length ? Math.min(...latencyThresholds) : DEFAULTS.tracingSlowThresholdSeconds),
      baselinePercent: d.tracing?.baselinePercent ?? DEFAULTS.tracingBaselinePercent,
    },
    alerting: {
      page: receiver("page"),
      ticket: receiver("ticket"),
      runbookBaseUrl: d.alerting.runbookBaseUrl.replace(/\/+$/, ""),
      pagingBudget: d.alerting.pagingBudget ?? DEFAULTS.pagingBudget,
    },
    metrics,
  };
  return issues.length > before ? undefined : model;
}

/** The default contract with the service's overrides merged in, key by key. */
function resolveContract(d: ServiceDescription): MetricContract {
  const o = d.metrics ?? {};
  const merged: Record<string, unknown> = {
    labels: { ...DEFAULT_METRIC_CONTRACT.labels, ...o.labels },
    values: { ...DEFAULT_METRIC_CONTRACT.values, ...o.values },
  };
  for (const key of METRIC_KEYS) merged[key] = { ...DEFAULT_METRIC_CONTRACT[key], ...(o[key] as object | undefined) };
  return merged as unknown as MetricContract;
}

/** Rounds away binary noise (99.5 / 100 = 0.9950000000000001) so output stays stable and readable. */
export function round(x: number): number {
  return Number(x.toPrecision(12));
}
