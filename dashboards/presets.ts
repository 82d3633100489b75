/**
 * Panel presets every section builds on (as `common.ts` does in the foundation SDK examples): the
 * data-source reference, queries, headline stats, time series and threshold bands. Sections only
 * say what a panel shows; how it looks is decided here, once.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
  LegendDisplayMode,
  LegendPlacement,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphThresholdsStyleMode,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
  GraphThresholdsStyleConfigBuilder,
  TooltipDisplayMode,
  SortOrder,
  VizTooltipOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import { ThresholdsConfigBuilder, ThresholdsMode, type DataSourceRef, type Panel, type Threshold } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";

/** Name of the data-source template variable every query goes through. */
export const DATASOURCE_VARIABLE = "datasource";
/** The Prometheus data source the `datasource` variable points at. */
export const DATASOURCE: DataSourceRef = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

/** Grid heights: headline stats are short, detail graphs taller. Widths are in the 24-column grid. */
export const HEIGHT = { headline: 5, detail: 8 } as const;
export const WIDTH = { full: 24, half: 12, third: 8, quarter: 6 } as const;

/** Grafana's named colours, by meaning. */
export const COLOR = { ok: "green", watch: "yellow", act: "red", info: "blue", worse: "orange", worst: "dark-red" } as const;

/** A panel builder the layout can size and number (every SDK panel builder is one). */
export type PanelBuilderLike = cog.Builder<Panel> & {
  id(id: number): unknown;
  span(w: number): unknown;
  height(h: number): unknown;
};

/**
 * One panel on a dashboard. `key` gives the panel its id (`panelId(key)`), so alert links that
 * name the key open this panel; it never changes once released.
 */
export interface PanelSpec {
  readonly key: string;
  /** Columns of the 24-column grid; the layout widens the last panel of a line to fill it. */
  readonly width: number;
  readonly height?: number;
  readonly panel: PanelBuilderLike;
}

/** A row of detail panels under a title; the row is numbered from `row:<key>` (assemble.ts). */
export interface Section {
  readonly key: string;
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** One PromQL query of a panel and how its series are named in the legend. */
export interface Target {
  readonly expr: string;
  readonly legend?: string;
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function queries(targets: readonly Target[], instant: boolean): DataqueryBuilder[] {
  return targets.map((t, i) => {
    const q = new DataqueryBuilder().datasource(DATASOURCE).refId(REF_IDS[i]).expr(t.expr);
    if (t.legend !== undefined) q.legendFormat(t.legend);
    return instant ? q.instant() : q.range();
  });
}

/** Threshold steps from a base colour and `[from, colour]` pairs, lowest first. */
export function steps(base: string, ...from: readonly (readonly [number, string])[]): Threshold[] {
  // Rounded to 12 significant digits: 1 - 0.999 is 0.001, not 0.0010000000000000009.
  return [{ value: null, color: base }, ...from.map(([value, color]) => ({ value: Number(value.toPrecision(12)), color }))];
}

/** Lower is better: green, yellow from `watch`, red from `act`. */
export const lowerIsBetter = (watch: number, act: number) => steps(COLOR.ok, [watch, COLOR.watch], [act, COLOR.act]);

/** Higher is better: red under `act`, yellow under `watch`, green from `watch`. */
export const higherIsBetter = (act: number, watch: number) =>
  watch > act ? steps(COLOR.act, [act, COLOR.watch], [watch, COLOR.ok]) : steps(COLOR.act, [act, COLOR.ok]);

const thresholds = (s: readonly Threshold[]) => new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([...s]);

export interface StatOptions {
  readonly title: string;
  /** One line: what it shows, what the colours mean, and "If red: <action>; runbook <url>". */
  readonly description: string;
  readonly unit: string;
  readonly thresholds: readonly Threshold[];
  readonly target: Target;
  /** Show the series name (e.g. the worst feature) under the value. @default false */
  readonly showName?: boolean;
  readonly decimals?: number;
}

/** A stat: one instant value, coloured by its thresholds (headlines and SLO rows). */
export function stat(o: StatOptions): StatBuilder {
  const panel = new StatBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .targets(queries([o.target], true))
    .unit(o.unit)
    .thresholds(thresholds(o.thresholds))
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .textMode(o.showName ? BigValueTextMode.ValueAndName : BigValueTextMode.Value)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .noValue("no data");
  if (o.decimals !== undefined) panel.decimals(o.decimals);
  return panel;
}

export interface TimeseriesOptions {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly targets: readonly Target[];
  /** Lines (or bands) to draw, e.g. an SLO threshold. @default - none */
  readonly thresholds?: readonly Threshold[];
  /** Shade the threshold bands instead of drawing lines. @default false */
  readonly bands?: boolean;
  readonly min?: number;
  readonly max?: number;
}

/** A time series with a table legend showing the last and the highest value. */
export function timeseries(o: TimeseriesOptions): TimeseriesBuilder {
  const ts = new TimeseriesBuilder()
    .title(o.title)
    .description(o.description)
    .datasource(DATASOURCE)
    .targets(queries(o.targets, false))
    .unit(o.unit)
    .lineWidth(1)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(["lastNotNull", "max"]),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  if (o.min !== undefined) ts.min(o.min);
  if (o.max !== undefined) ts.max(o.max);
  if (o.thresholds) {
    const style = o.bands ? GraphThresholdsStyleMode.LineAndArea : GraphThresholdsStyleMode.Dashed;
    ts.thresholds(thresholds(o.thresholds)).thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(style));
  }
  return ts;
}

/** Draw the series whose legend matches `regexp` dashed (e.g. baselines next to "now"). */
export function dashed(ts: TimeseriesBuilder, regexp: string): TimeseriesBuilder {
  return ts.overrideByRegexp(regexp, [{ id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } }]);
}

/** Put the series whose legend matches `regexp` on a right-hand axis with its own unit. */
export function rightAxis(ts: TimeseriesBuilder, regexp: string, unit: string): TimeseriesBuilder {
  return ts.overrideByRegexp(regexp, [
    { id: "custom.axisPlacement", value: "right" },
    { id: "unit", value: unit },
  ]);
}
