/**
 * Cache: the hit ratio against the same time a day earlier (the cache-collapse ticket fires when
 * it falls under half of yesterday's and links to the `cache` panel), and lookups by result.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { COST_RULE } from "../../alerts/signalNames";
import type { ServiceModel } from "../../service/model";
import { WIDTH, dashed, timeseries, type PanelSpec, type Section } from "../presets";
import { raw, recorded, sumRate } from "../promql";
import { CAUSE_LIMITS } from "../../alerts/causeAlerts";
import { CAUSE_PANEL, PANEL } from "../../service/links";

/** The cache-collapse ticket's limit (alerts/causeAlerts.ts): under this share of yesterday's ratio. */
export const CACHE_COLLAPSE = { ratio: CAUSE_LIMITS.cacheCollapseRatio, comparedWith: CAUSE_LIMITS.cacheComparedWith } as const;

function hitRatio(model: ServiceModel): PanelSpec {
  const hits = recorded(model, COST_RULE.cacheHits);
  return {
    key: CAUSE_PANEL.cache,
    width: WIDTH.half,
    panel: dashed(
      timeseries({
        title: "Cache-hit ratio, now and a day ago",
        description: `Share of cache lookups that hit, against the same time ${CACHE_COLLAPSE.comparedWith} earlier (dashed). A ticket opens when it falls under ${num(CACHE_COLLAPSE.ratio * 100)}% of yesterday's: every miss takes the slow path (retrieval, the model).`,
        unit: units.PercentUnit,
        min: 0,
        max: 1,
        targets: [
          { expr: hits, legend: "hit ratio" },
          { expr: `${hits} offset ${CACHE_COLLAPSE.comparedWith}`, legend: `a day ago` },
        ],
      }),
      "^a day ago$",
    ),
  };
}

function lookups(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  return {
    key: PANEL.cacheLookups,
    width: WIDTH.half,
    panel: timeseries({
      title: "Cache lookups by result",
      description: "Cache lookups per second by result (hit or miss): a drop in lookups is a cache that is bypassed, not missed.",
      unit: units.OpsPerSecond,
      min: 0,
      targets: [{ expr: sumRate(model.metrics.cacheRequests.name, raw(model), [L.cacheResult]), legend: `{{${L.cacheResult}}}` }],
    }),
  };
}

export function cacheSection(model: ServiceModel): Section {
  return { key: CAUSE_PANEL.cache, title: "Cache", panels: [hitRatio(model), lookups(model)] };
}
