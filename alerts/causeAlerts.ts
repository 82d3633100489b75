/**
 * Cause alerts: things that explain an SLO burn or predict one. They open tickets, never pages
 * (page on symptoms, ticket on causes), so a leak is fixed in office hours days before it
 * becomes an outage, and a noisy cause cannot wake anyone.
 */
import type { ServiceModel } from "../service/model";
import { makeAlert, type RuleContext } from "./alertMeta";
import { TICKET_INTERVAL } from "./cadence";
import { quote, selector } from "./promql";
import type { AlertRule, RuleGroup } from "./ruleModel";
import { CAUSE_PANEL } from "../service/links";
import { EARLY_WARNING, latencyRegressionGroup, memoryTrendExpr } from "./earlyWarning";

/** Limits of the cause tickets; dashboards draw the same lines. */
export const CAUSE_LIMITS = {
  /** Memory above this share of the same replica's a day earlier (shown on the dashboards; the ticket is EARLY_WARNING's trend). */
  memoryGrowthRatio: EARLY_WARNING.memoryDayRatio,
  memoryComparedWith: "1d",
  /** GPU busy above this percent for 30 minutes: saturated, queues will grow. */
  gpuSaturationPercent: 95,
  /** GPU framebuffer above this share: the next batch or context may not fit. */
  gpuMemoryRatio: 0.95,
  /** Cache-hit ratio below this share of its level a day earlier: the cache stopped working. */
  cacheCollapseRatio: 0.5,
  cacheComparedWith: "1d",
} as const;

/** Name parts of the cause alerts (`MlObs` + CamelCase). */
export const CAUSE_ALERT = {
  memoryGrowth: "memory-growth",
  gpuSaturated: "gpu-saturated",
  gpuMemory: "gpu-memory-pressure",
  cacheCollapse: "cache-hit-collapse",
} as const;
const L = CAUSE_LIMITS;

export function causeAlerts(model: ServiceModel, ctx: RuleContext): AlertRule[] {
  const m = model.metrics;
  const sel = selector(model);
  const alerts: AlertRule[] = [
    makeAlert(model, ctx, {
      name: [CAUSE_ALERT.memoryGrowth],
      expr: memoryTrendExpr(model),
      for: EARLY_WARNING.for.memory,
      severity: "ticket",
      summary: `${model.name}: resident memory keeps growing`,
      description: `A replica holds {{ $value | humanize1024 }}B and keeps growing: over ${EARLY_WARNING.memoryDayRatio}x what it held a day earlier, or by its own size per day${model.memoryLimitMetric ? ", or on course to reach its memory limit within " + EARLY_WARNING.memoryLimitHorizon : ""}. A leak slows requests for days before it crashes; restarts after deploys hide it. Find the replica, take a heap profile, restart it if latency suffers.`,
      dashboard: "operational",
      panelKey: CAUSE_PANEL.saturation,
      labels: { cause: "memory" },
    }),
  ];
  // GPU tickets only where the service says it runs on GPUs: elsewhere the DCGM series never exist.
  if (model.gpu)
    alerts.push(
    makeAlert(model, ctx, {
      name: [CAUSE_ALERT.gpuSaturated],
      expr: `avg(${m.gpuUtilization.name}${sel}) > ${L.gpuSaturationPercent}`,
      for: "30m",
      severity: "ticket",
      summary: `${model.name}: GPUs are saturated`,
      description: `Average GPU utilisation is {{ $value | humanize }}% for 30 minutes; requests will queue. Scale out or raise the batch size.`,
      dashboard: "operational",
      panelKey: CAUSE_PANEL.saturation,
      labels: { cause: "gpu" },
    }),
    makeAlert(model, ctx, {
      name: [CAUSE_ALERT.gpuMemory],
      expr: `max(\n  ${m.gpuMemoryUsed.name}${sel}\n  /\n  (${m.gpuMemoryUsed.name}${sel} + ${m.gpuMemoryFree.name}${sel})\n) > ${L.gpuMemoryRatio}`,
      for: "15m",
      severity: "ticket",
      summary: `${model.name}: GPU memory is nearly full`,
      description: `A GPU's framebuffer is {{ $value | humanizePercentage }} full; the next large batch or context may fail with out-of-memory.`,
      dashboard: "operational",
      panelKey: CAUSE_PANEL.saturation,
      labels: { cause: "gpu" },
    })
    );
  const hit = `${m.labels.cacheResult}=${quote(m.values.cacheHit)}`;
  const ratio = (offset: string) =>
    `(sum(rate(${m.cacheRequests.name}${selector(model, hit)}[30m]${offset})) / sum(rate(${m.cacheRequests.name}${sel}[30m]${offset})))`;
  alerts.push(
    makeAlert(model, ctx, {
      name: [CAUSE_ALERT.cacheCollapse],
      expr: `${ratio("")}\n< ${L.cacheCollapseRatio} * ${ratio(` offset ${L.cacheComparedWith}`)}`,
      for: "15m",
      severity: "ticket",
      summary: `${model.name}: cache-hit ratio collapsed`,
      description: `The cache-hit ratio fell to {{ $value | humanizePercentage }}, under half of yesterday's: every miss goes to the slow path (retrieval, the model). Check cache evictions, keys and a recent deploy.`,
      dashboard: "operational",
      panelKey: CAUSE_PANEL.cache,
      labels: { cause: "cache" },
    }),
  );
  return alerts;
}

export function causeRuleGroups(model: ServiceModel, ctx: RuleContext): RuleGroup[] {
  return [{ name: `${model.name}-causes`, interval: TICKET_INTERVAL, rules: causeAlerts(model, ctx) }, latencyRegressionGroup(model, ctx)];
}
