/**
 * Validation and defaults: raw description (untrusted) -> normalized ServiceModel.
 * Every problem is collected, with its field path and a fix, before anything is thrown, so a user
 * fixes a file in one pass and nothing half-applies.
 */
import { CLOUDWATCH_RETENTION_DAYS, DEFAULTS } from "./defaults";
import { SERVICE_SCHEMA } from "./descriptionSchema";
import { MAX_PRINTED_ISSUES, MAX_SERVICES_PER_FILE } from "./inputLimits";
import {
  DEFAULT_METRIC_CONTRACT,
  METRIC_KEYS,
  nearestBuckets,
  type HistogramMetric,
  type MetricContract,
} from "./metricContract";
import type { ReceiverModel, ServiceModel, SloModel } from "./model";
import { check, joinPath, prune, show, type Issue } from "./schemaDsl";
import type { ServiceDescription } from "./types";

/** Thrown when a description is invalid; `issues` lists every problem found. */
export class ValidationError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    const shown = issues.slice(0, MAX_PRINTED_ISSUES).map((i) => `  ${i.path}: ${i.message}`);
    if (issues.length > shown.length) shown.push(`  … and ${issues.length - shown.length} more problem(s) of the same kinds; fix these first`);
    super(`${issues.length} problem(s) in the service description:\n${shown.join("\n")}`);
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
  const models = collectServices(raw, issues);
  if (issues.length > 0) throw new ValidationError(issues);
  return models;
}

/**
 * A file's content: one service, or `{ services: [...] }`. Each service is checked in full
 * (structure and cross-field rules), so one pass reports every problem of every service.
 */
export function collectServices(raw: unknown, issues: Issue[]): ServiceModel[] {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || !Object.hasOwn(raw, "services")) {
    const m = collectService(raw, "", issues);
    return m ? [m] : [];
  }
  const record = raw as Record<string, unknown>;
  for (const k of Object.keys(record))
    if (k !== "services") issues.push({ path: joinPath("", k), message: "unknown field; a services file holds only `services`" });
  const list = record.services;
  if (!Array.isArray(list) || list.length === 0) {
    issues.push({ path: "services", message: `expected a non-empty list of services, got ${Array.isArray(list) ? "an empty list" : show(list)}` });
    return [];
  }
  if (list.length > MAX_SERVICES_PER_FILE) {
    issues.push({ path: "services", message: `has ${list.length} services; a file holds at most ${MAX_SERVICES_PER_FILE}, split it into several files` });
    return [];
  }
  const models: ServiceModel[] = [];
  const seen = new Map<string, number>();
  list.forEach((s, i) => {
    const m = collectService(s, joinPath("services", i), issues);
    const name = s && typeof s === "object" ? (s as Record<string, unknown>).name : undefined;
    if (typeof name === "string") {
      if (seen.has(name))
        issues.push({ path: `services[${i}].name`, message: `"${name}" is already used by services[${seen.get(name)}]; each name must be unique` });
      else seen.set(name, i);
    }
    if (m) models.push(m);
  });
  return models;
}

/**
 * A description after `prune`: every field present is well-formed, but any (even required ones)
 * may be missing and list items may be undefined. Cross-field checks read only this.
 */
type Loose<T> = T extends readonly (infer U)[] ? readonly (Loose<U> | undefined)[] : T extends object ? { readonly [K in keyof T]?: Loose<T[K]> } : T;

/** Validates one service; returns the model when it is valid, appending every problem to `issues`. */
export function collectService(raw: unknown, path: string, issues: Issue[]): ServiceModel | undefined {
  const before = issues.length;
  check(SERVICE_SCHEMA, raw, path, issues);
  const d = prune(SERVICE_SCHEMA, raw) as Loose<ServiceDescription> | undefined;
  if (d === undefined) return undefined;
  // `p` is a sub-path such as `slos[1].latency.thresholdSeconds`, appended as written.
  const at = (p: string) => (path === "" ? p : `${path}.${p}`);
  const add = (p: string, message: string) => issues.push({ path: at(p), message });
  const present = <T>(xs: readonly (T | undefined)[] | undefined): [T, number][] =>
    (xs ?? []).flatMap((x, i) => (x === undefined ? [] : [[x, i] as [T, number]]));

  const metrics = resolveContract(d as ServiceDescription);
  const stages = present(d.stages).filter(([st]) => st.name !== undefined && st.latencyTargetSeconds !== undefined);
  const stageNames = new Set(stages.map(([st]) => st.name as string));
  const scoreNames = new Set(present(d.quality?.scores).map(([sc]) => sc.name));

  const requireBoundary = (p: string, value: number | undefined, metric: HistogramMetric) => {
    if (value !== undefined && !metric.buckets.includes(value))
      add(p, `${value} is not a bucket boundary of ${metric.name}; ${nearestBuckets(value, metric.buckets)}`);
  };
  // When `stages` is itself malformed (already reported), stage references cannot be judged.
  const stagesWellFormed = field(raw, "stages") === undefined || (Array.isArray(d.stages) && d.stages.every((st) => st !== undefined));
  const requireStage = (p: string, stage: string | undefined) => {
    if (stage !== undefined && stagesWellFormed && !stageNames.has(stage))
      add(
        p,
        `"${stage}" is not a declared stage; ` +
          (stageNames.size ? `declared stages are ${[...stageNames].join(", ")}` : "declare it under stages first"),
      );
  };

  const slos: SloModel[] = [];
  for (const [s, i] of present(d.slos)) {
    const p = `slos[${i}]`;
    const kinds = (["availability", "latency", "quality", "custom"] as const).filter((k) => s[k] !== undefined);
    if (kinds.length !== 1) continue;
    // Cross-field checks run even when the name or objective is broken (already reported).
    const complete = s.name !== undefined && s.objectivePercent !== undefined;
    const pct = s.objectivePercent ?? 0;
    const base = { name: s.name ?? "", objective: round(pct / 100), periodDays: s.periodDays ?? DEFAULTS.sloPeriodDays };
    if (s.availability) {
      requireStage(`${p}.availability.stage`, s.availability.stage);
      const where = s.availability.stage ? `${s.availability.stage} calls` : "requests";
      if (complete) slos.push({ ...base, description: s.description ?? `${pct}% of ${where} succeed`, sli: { kind: "availability", stage: s.availability.stage } });
    } else if (s.latency) {
      const { stage, thresholdSeconds } = s.latency;
      requireStage(`${p}.latency.stage`, stage);
      requireBoundary(`${p}.latency.thresholdSeconds`, thresholdSeconds, stage ? metrics.stageDuration : metrics.httpRequestDuration);
      if (thresholdSeconds === undefined) continue;
      const where = stage ? `${stage} calls` : "requests";
      if (complete) slos.push({ ...base, description: s.description ?? `${pct}% of ${where} faster than ${thresholdSeconds} s`, sli: { kind: "latency", thresholdSeconds, stage } });
    } else if (s.quality) {
      const { score, threshold } = s.quality;
      if (score !== undefined && !scoreNames.has(score))
        add(`${p}.quality.score`, `"${score}" is not declared; add it under quality.scores` + (scoreNames.size ? ` (declared: ${[...scoreNames].join(", ")})` : ""));
      requireBoundary(`${p}.quality.threshold`, threshold, metrics.evaluationScore);
      if (score === undefined || threshold === undefined) continue;
      if (complete) slos.push({ ...base, description: s.description ?? `${pct}% of answers score ${threshold} or more on ${score}`, sli: { kind: "quality", score, threshold } });
    } else if (s.custom) {
      const { goodMetric, totalMetric } = s.custom;
      if (goodMetric !== undefined && goodMetric === totalMetric)
        add(`${p}.custom.goodMetric`, "is the same counter as totalMetric; count good events in a counter of their own");
      if (goodMetric === undefined || totalMetric === undefined) continue;
      if (complete) slos.push({ ...base, description: s.description ?? `${pct}% of events are good`, sli: { kind: "custom", goodMetric, totalMetric } });
    }
  }

  const scores = present(d.quality?.scores).flatMap(([sc, i]) => {
    requireBoundary(`quality.scores[${i}].threshold`, sc.threshold, metrics.evaluationScore);
    if (sc.name === undefined || sc.threshold === undefined) return [];
    return [{ name: sc.name, threshold: sc.threshold, target: round((sc.targetPercent ?? DEFAULTS.qualityTargetPercent) / 100) }];
  });

  const features = present(d.drift?.features).flatMap(([f, i]) => {
    const buckets = (f.buckets as readonly number[] | undefined) ?? metrics.featureValue.buckets;
    const fractions = f.baselineFractions as readonly number[] | undefined;
    if (fractions) {
      const p = `drift.features[${i}].baselineFractions`;
      if (fractions.some((x) => x === undefined)) return [];
      if (fractions.length !== buckets.length + 1)
        add(p, `has ${fractions.length} shares; give ${buckets.length + 1}, one per bucket (${buckets.length}) plus one for +Inf`);
      const sum = fractions.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 0.01) add(p, `shares sum to ${round(sum)}; they must sum to 1 (within 0.01)`);
    }
    return f.name === undefined ? [] : [{ name: f.name, buckets, baselineFractions: fractions }];
  });

  const logs = d.logs ?? {};
  const retention = (tier: "errors" | "standard" | "audit" | "debug", fallback: number) => {
    const days = logs[tier]?.retentionDays ?? fallback;
    if (!CLOUDWATCH_RETENTION_DAYS.includes(days)) {
      const below = [...CLOUDWATCH_RETENTION_DAYS].reverse().find((v) => v < days);
      const above = CLOUDWATCH_RETENTION_DAYS.find((v) => v > days);
      const hint = below === undefined ? `the smallest is ${above}` : above === undefined ? `the largest is ${below}` : `nearest are ${below} and ${above}`;
      add(`logs.${tier}.retentionDays`, `${days} is not a retention CloudWatch Logs accepts; ${hint}`);
    }
    return days;
  };
  const errorsDays = retention("errors", DEFAULTS.logs.errorsRetentionDays);
  const standardDays = retention("standard", DEFAULTS.logs.standardRetentionDays);
  const auditDays = retention("audit", DEFAULTS.logs.auditRetentionDays);
  const debugDays = retention("debug", DEFAULTS.logs.debugRetentionDays);
  if (auditDays < errorsDays)
    add("logs.audit.retentionDays", `${auditDays} is shorter than the errors tier (${errorsDays}); keep the audit trail at least as long`);

  const receiver = (which: "page" | "ticket"): ReceiverModel | undefined => {
    const r = d.alerting?.[which];
    if (!r?.type) return undefined;
    const p = `alerting.${which}`;
    // A field that was given but malformed is already reported; only report what is absent.
    const given = (k: string) => field(field(field(raw, "alerting"), which), k) !== undefined;
    if (r.type !== "email" && !given("secret"))
      add(`${p}.secret`, `is required for ${r.type}: reference the key, e.g. "ssm:/observability/${d.name ?? "service"}/${r.type}"`);
    if (r.type === "slack" && !given("channel")) add(`${p}.channel`, `is required for slack, e.g. "#${d.team ?? "team"}-alerts"`);
    if (r.type === "email" && !given("addresses")) add(`${p}.addresses`, "is required for email: list at least one address");
    return { type: r.type, secret: r.secret, channel: r.channel, addresses: r.addresses as readonly string[] | undefined };
  };
  const page = receiver("page");
  const ticket = receiver("ticket");

  if (issues.length > before) return undefined;
  // From here on the description is valid: every required field is present and well-formed.
  const v = d as ServiceDescription;
  const latencyThresholds = slos.flatMap((s) => (s.sli.kind === "latency" && !s.sli.stage ? [s.sli.thresholdSeconds] : []));
  return {
    name: v.name,
    team: v.team,
    owner: v.owner,
    kind: v.kind,
    criticality: v.criticality ?? DEFAULTS.criticality,
    environments: v.environments ?? DEFAULTS.environments,
    selector: Object.entries(v.selector ?? { job: v.name }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    stages: stages.map(([st]) => ({ name: st.name as string, latencyTargetSeconds: st.latencyTargetSeconds as number })),
    slos,
    models: (v.models ?? []).map((m) => ({
      name: m.name,
      provider: m.provider,
      inputPricePer1kTokens: m.inputPricePer1kTokens ?? 0,
      outputPricePer1kTokens: m.outputPricePer1kTokens ?? 0,
    })),
    quality: {
      scores,
      maxHallucinationRatio: round((v.quality?.maxHallucinationPercent ?? DEFAULTS.maxHallucinationPercent) / 100),
      maxNegativeFeedbackRatio: round((v.quality?.maxNegativeFeedbackPercent ?? DEFAULTS.maxNegativeFeedbackPercent) / 100),
    },
    drift: {
      features,
      psiThreshold: v.drift?.psiThreshold ?? DEFAULTS.psiThreshold,
      window: v.drift?.window ?? DEFAULTS.driftWindow,
      baselineOffset: v.drift?.baselineOffset ?? DEFAULTS.driftBaselineOffset,
      maxMissingFeatureRatio: round((v.drift?.maxMissingFeaturePercent ?? DEFAULTS.maxMissingFeaturePercent) / 100),
      minObservations: v.drift?.minObservations ?? DEFAULTS.driftMinObservations,
    },
    cost: { hourlyBudgetUsd: v.cost?.hourlyBudgetUsd },
    logs: {
      errors: { retentionDays: errorsDays },
      standard: { retentionDays: standardDays, samplePercent: v.logs?.standard?.samplePercent ?? DEFAULTS.logs.standardSamplePercent },
      audit: { retentionDays: auditDays },
      debug: { retentionDays: debugDays },
      maskPii: v.logs?.maskPii ?? DEFAULTS.logs.maskPii,
      piiIdentifiers: [...(v.logs?.piiIdentifiers ?? DEFAULTS.logs.piiIdentifiers)].sort(),
    },
    tracing: {
      slowThresholdSeconds:
        v.tracing?.slowThresholdSeconds ?? (latencyThresholds.length ? Math.min(...latencyThresholds) : DEFAULTS.tracingSlowThresholdSeconds),
      baselinePercent: v.tracing?.baselinePercent ?? DEFAULTS.tracingBaselinePercent,
    },
    alerting: {
      page: page!,
      ticket: ticket!,
      runbookBaseUrl: v.alerting.runbookBaseUrl.replace(/\/+$/, ""),
      pagingBudget: v.alerting.pagingBudget ?? DEFAULTS.pagingBudget,
      routing: v.alerting.routing ?? DEFAULTS.alertRouting,
    },
    metrics,
  };
}

/** `value[key]` when value is an object, else undefined. */
function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
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
