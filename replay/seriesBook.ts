/**
 * The series a replay emits, minute by minute: counters that only grow, gauges, and histograms
 * as cumulative `_bucket{le}` counters plus `_sum` and `_count`. A series has a sample every
 * minute it is alive and NaN (no sample) otherwise: before it was first seen, while its replica is
 * down, after its model version stopped serving.
 */
export type SeriesKind = "counter" | "gauge";

export interface Series {
  readonly name: string;
  /** Labels in the order they are rendered (selector labels first). */
  readonly labels: Readonly<Record<string, string>>;
  readonly kind: SeriesKind;
  /** One sample per minute from minute 0; NaN where the series has no sample. */
  readonly values: Float64Array;
}

/** How a client writes `le`: Go and OTel write whole numbers without ".0". */
export const leLabel = (bound: number) => (bound === Number.POSITIVE_INFINITY ? "+Inf" : String(bound));

interface Cell {
  readonly series: Series;
  value: number;
  touched: boolean;
}

export class SeriesBook {
  private readonly cells = new Map<string, Cell>();
  private readonly order: Cell[] = [];

  /** `minutes` + 1 samples per series (minute 0 to minute `minutes`). */
  constructor(private readonly minutes: number) {}

  private cell(name: string, labels: Readonly<Record<string, string>>, kind: SeriesKind): Cell {
    const key = `${name}\u0000${JSON.stringify(labels)}`;
    let c = this.cells.get(key);
    if (!c) {
      c = { series: { name, labels, kind, values: new Float64Array(this.minutes + 1).fill(Number.NaN) }, value: 0, touched: false };
      this.cells.set(key, c);
      this.order.push(c);
    }
    return c;
  }

  /** Adds `increment` to a counter in `minute` (creating it at 0 on first use). */
  count(minute: number, name: string, labels: Readonly<Record<string, string>>, increment: number): void {
    const c = this.cell(name, labels, "counter");
    c.value += increment;
    c.series.values[minute] = c.value;
    c.touched = true;
  }

  gauge(minute: number, name: string, labels: Readonly<Record<string, string>>, value: number): void {
    const c = this.cell(name, labels, "gauge");
    c.series.values[minute] = value;
    c.touched = true;
  }

  /**
   * Observations counted per bin (one count per finite bucket plus one for +Inf), into a histogram
   * with `buckets`: cumulative `_bucket` counters, `_count`, and `_sum` at `mean` per observation.
   */
  histogram(
    minute: number,
    name: string,
    labels: Readonly<Record<string, string>>,
    buckets: readonly number[],
    binCounts: readonly number[],
    mean: number,
  ): void {
    if (binCounts.length !== buckets.length + 1) throw new Error(`histogram ${name}: ${binCounts.length} bin counts for ${buckets.length} buckets`);
    let cumulative = 0;
    buckets.forEach((b, i) => {
      cumulative += binCounts[i];
      this.count(minute, `${name}_bucket`, { ...labels, le: leLabel(b) }, cumulative);
    });
    cumulative += binCounts[buckets.length];
    this.count(minute, `${name}_bucket`, { ...labels, le: leLabel(Number.POSITIVE_INFINITY) }, cumulative);
    this.count(minute, `${name}_sum`, labels, cumulative * mean);
    this.count(minute, `${name}_count`, labels, cumulative);
  }

  /**
   * Ends a minute: counters that exist but saw nothing keep their value (a sample every minute),
   * unless `alive` says their owner is gone (then no sample).
   */
  endMinute(minute: number, alive: (s: Series) => boolean): void {
    for (const c of this.order) {
      if (!c.touched && c.series.kind === "counter" && alive(c.series)) c.series.values[minute] = c.value;
      c.touched = false;
    }
  }

  all(): Series[] {
    return this.order.map((c) => c.series);
  }
}
