/**
 * Saturation: what runs out before requests fail. The `saturation` panel is where the memory-growth,
 * GPU-saturated and GPU-memory tickets (alerts/causeAlerts.ts) link: it plots the three signals
 * those tickets watch, each as a share. The panels after it break them down.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { COST_RULE } from "../../alerts/signalNames";
import { num } from "../../alerts/promql";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, lowerIsBetter, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { raw, recorded } from "../promql";
import { CAUSE_LIMITS } from "../../alerts/causeAlerts";
import { CAUSE_PANEL, PANEL } from "../../service/links";

/**
 * Limits of the cause tickets, from alerts/causeAlerts.ts (red = the ticket's limit); yellow
 * marks where a trend deserves a look.
 */
export const MEMORY_GROWTH = { watch: 1.05, act: CAUSE_LIMITS.memoryGrowthRatio, comparedWith: CAUSE_LIMITS.memoryComparedWith } as const;
export const GPU_BUSY_PERCENT = { watch: 80, act: CAUSE_LIMITS.gpuSaturationPercent } as const;
export const GPU_MEMORY_RATIO = { watch: 0.8, act: CAUSE_LIMITS.gpuMemoryRatio } as const;

/** Memory of the replica that grew most, relative to 6 hours earlier (the memory-growth ticket's signal). */
export function memoryGrowthExpr(model: ServiceModel): string {
  const pm = `${model.metrics.processMemory.name}${raw(model)}`;
  return `max(${pm} / ${pm} offset ${MEMORY_GROWTH.comparedWith})`;
}

/** Framebuffer share in use per GPU. */
function gpuMemoryRatio(model: ServiceModel): string {
  const m = model.metrics;
  const used = `${m.gpuMemoryUsed.name}${raw(model)}`;
  return `${used} / (${used} + ${m.gpuMemoryFree.name}${raw(model)})`;
}

function overview(model: ServiceModel): PanelSpec {
  return {
    key: CAUSE_PANEL.saturation,
    width: WIDTH.full,
    panel: timeseries({
      title: "Saturation",
      description:
        `The signals of the saturation tickets, as shares: ` +
        (model.gpu ? `mean GPU utilisation (ticket above ${GPU_BUSY_PERCENT.act}%), the fullest GPU's framebuffer (ticket above ${num(GPU_MEMORY_RATIO.act * 100)}%) and ` : "") +
        `the resident memory of the replica that grew most ` +
        `against ${MEMORY_GROWTH.comparedWith} earlier (the memory ticket fires above ${num(MEMORY_GROWTH.act * 100)}% on a replica up for over a day, and on fast growth). The panels below break each down.`,
      unit: units.PercentUnit,
      min: 0,
      thresholds: steps(COLOR.ok, [GPU_MEMORY_RATIO.act, COLOR.act]),
      targets: [
        ...(model.gpu
          ? [
              { expr: `avg(${model.metrics.gpuUtilization.name}${raw(model)}) / 100`, legend: "GPU utilisation (mean)" },
              { expr: `max(${gpuMemoryRatio(model)})`, legend: "GPU memory used (fullest GPU)" },
            ]
          : []),
        { expr: memoryGrowthExpr(model), legend: `memory vs ${MEMORY_GROWTH.comparedWith} ago (worst replica)` },
      ],
    }),
  };
}

function gpuUtilization(model: ServiceModel): PanelSpec {
  const gpu = `${model.metrics.gpuUtilization.name}${raw(model)}`;
  return {
    key: PANEL.gpuUtilization,
    width: WIDTH.half,
    panel: timeseries({
      title: "GPU utilisation",
      description: `Busy time of the service's GPUs (DCGM), mean, busiest and idlest. Sustained above ${GPU_BUSY_PERCENT.act}% requests queue: scale out or raise the batch size.`,
      unit: units.Percent,
      min: 0,
      max: 100,
      thresholds: lowerIsBetter(GPU_BUSY_PERCENT.watch, GPU_BUSY_PERCENT.act),
      targets: [
        { expr: `avg(${gpu})`, legend: "mean" },
        { expr: `max(${gpu})`, legend: "busiest GPU" },
        { expr: `min(${gpu})`, legend: "idlest GPU" },
      ],
    }),
  };
}

function gpuMemory(model: ServiceModel): PanelSpec {
  return {
    key: PANEL.gpuMemory,
    width: WIDTH.half,
    panel: timeseries({
      title: "GPU memory used",
      description: `Share of GPU framebuffer in use (DCGM used / (used + free)), fullest and mean GPU. Near full, the next large batch or context fails with out-of-memory.`,
      unit: units.PercentUnit,
      min: 0,
      max: 1,
      thresholds: lowerIsBetter(GPU_MEMORY_RATIO.watch, GPU_MEMORY_RATIO.act),
      targets: [
        { expr: `max(${gpuMemoryRatio(model)})`, legend: "fullest GPU" },
        { expr: `avg(${gpuMemoryRatio(model)})`, legend: "mean" },
      ],
    }),
  };
}

function queueDepth(model: ServiceModel): PanelSpec {
  const q = `${model.metrics.queueDepth.name}${raw(model)}`;
  return {
    key: PANEL.queue,
    width: WIDTH.third,
    panel: timeseries({
      title: "Queue depth",
      description: "Requests waiting for a model worker: all replicas together and the longest single queue. A growing queue precedes latency SLO burns.",
      unit: units.Short,
      min: 0,
      targets: [
        { expr: `sum(${q})`, legend: "waiting (all replicas)" },
        { expr: `max(${q})`, legend: "longest queue" },
      ],
    }),
  };
}

function processMemory(model: ServiceModel): PanelSpec {
  const pm = `${model.metrics.processMemory.name}${raw(model)}`;
  return {
    key: PANEL.memory,
    width: WIDTH.third,
    panel: timeseries({
      title: "Process memory",
      description: "Resident memory of the service's processes: the largest replica and the mean. A steady climb on one replica is a leak.",
      unit: units.BytesIEC,
      min: 0,
      targets: [
        { expr: `max(${pm})`, legend: "largest replica" },
        { expr: `avg(${pm})`, legend: "mean" },
      ],
    }),
  };
}

function replicas(model: ServiceModel): PanelSpec {
  return {
    key: PANEL.replicas,
    width: WIDTH.third,
    panel: timeseries({
      title: "Replicas up",
      description: "Targets of the service that Prometheus scrapes successfully (recorded from `up`).",
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, COST_RULE.replicas), legend: "replicas" }],
    }),
  };
}

export function saturationSection(model: ServiceModel): Section {
  return {
    key: CAUSE_PANEL.saturation,
    title: "Saturation",
    panels: [overview(model), ...(model.gpu ? [gpuUtilization(model), gpuMemory(model)] : []), queueDepth(model), processMemory(model), replicas(model)],
  };
}
