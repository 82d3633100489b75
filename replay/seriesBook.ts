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

/** A histogram's cells, in the order they were created: each bucket (+Inf last), `_sum`, `_count`. */
interface HistogramCells {
  readonly buckets: readonly Cell[];
  readonly sum: Cell;
  readonly count: Cell;
}

/** The series of one label set, by name; a histogram's cells by the histogram's name (one lookup, not one per bucket). */
interface LabelSet {
  readonly cells: Map<string, Cell>;
  readonly histograms: Map<string, HistogramCells>;
}

export class SeriesBook {
  private readonly order: Cell[] = [];
  // Label sets the generator passes again every minute (one object per set): found by the object,
  // without serialising it; a new object with the same labels by its JSON.
  private readonly known = new WeakMap<object, LabelSet>();
  private readonly byJson = new Map<string, LabelSet>();

  /** `minutes` + 1 samples per series (minute 0 to minute `minutes`). */
  constructor(private readonly minutes: number) {}

  /** The cells of the label set equal to `labels` (one per distinct set, however many objects carry it). */
  private labelSet(labels: Readonly<Record<string, string>>): LabelSet {
    let set = this.known.get(labels);
    if (set === undefined) {
      const json = JSON.stringify(labels);
      set = this.byJson.get(json);
      if (set === undefined) this.byJson.set(json, (set = { cells: new Map(), histograms: new Map() }));
      this.known.set(labels, set);
    }
    return set;
  }

  private cell(name: string, labels: Readonly<Record<string, string>>, kind: SeriesKind): Cell {
    const set = this.labelSet(labels);
    let c = set.cells.get(name);
    if (!c) {
      c = { series: { name, labels, kind, values: new Float64Array(this.minutes + 1).fill(Number.NaN) }, value: 0, touched: false };
      set.cells.set(name, c);
      this.order.push(c);
    }
    return c;
  }

  private static add(c: Cell, minute: number, increment: number): void {
    c.value += increment;
    c.series.values[minute] = c.value;
    c.touched = true;
  }

  /** Adds `increment` to a counter in `minute` (creating it at 0 on first use). */
  count(minute: number, name: string, labels: Readonly<Record<string, string>>, increment: number): void {
    SeriesBook.add(this.cell(name, labels, "counter"), minute, increment);
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
    const set = this.labelSet(labels);
    let h = set.histograms.get(name);
    if (!h) {
      const bounds = [...buckets, Number.POSITIVE_INFINITY];
      h = {
        buckets: bounds.map((b) => this.cell(`${name}_bucket`, { ...labels, le: leLabel(b) }, "counter")),
        sum: this.cell(`${name}_sum`, labels, "counter"),
        count: this.cell(`${name}_count`, labels, "counter"),
      };
      set.histograms.set(name, h);
    }
    if (h.buckets.length !== binCounts.length) throw new Error(`histogram ${name}: ${buckets.length} buckets, where it first had ${h.buckets.length - 1}`);
    let cumulative = 0;
    for (let i = 0; i < binCounts.length; i++) {
      cumulative += binCounts[i];
      SeriesBook.add(h.buckets[i], minute, cumulative);
    }
    SeriesBook.add(h.sum, minute, cumulative * mean);
    SeriesBook.add(h.count, minute, cumulative);
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
