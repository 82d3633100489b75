/**
 * Rule parts evaluated over a whole replay by a real Prometheus (Debian package `prometheus`), one
 * per replay, shared by its parts (ReplayPrometheus),
 * with range queries instead of `promtool test rules`' one instant query per rule per step.
 * promtool re-parses and plans every rule at every evaluation (about 0.2 ms each, whatever the
 * data): 57 SLO rules over a 30-day month at 5 minutes are 490,000 evaluations. A range query
 * plans once and walks the steps inside the engine.
 *
 * The rule-evaluation semantics the range queries leave out are applied here, as Prometheus's rule
 * manager applies them:
 * - rules run in evaluation order, and each rule reads what the rules before it recorded at the
 *   same step: recordings are evaluated in layers (a rule after every recording it reads) and
 *   written back through the remote-write receiver before the next layer is queried;
 * - a recorded series that a step no longer returns gets a staleness marker at that step, as the
 *   rule manager writes one (an instant selector then stops seeing it at once);
 * - a rule's output drops the metric name and takes the rule's labels, so results that differ
 *   only by their name are one series;
 * - an alert is pending from the first step its expression returns a series and firing once it
 *   has held for `for`; a step without it resets it;
 * - each group runs at its own interval, rounded to whole steps (groupStrides): the hourly tiles
 *   are recorded once an hour, so a day's sum of them adds 24 tiles, not one per step, and the
 *   windows summed from them trail by up to an hour, as in production; the 4-minute ticket groups
 *   run every 4 steps of a 1-minute replay (every step of a 5-minute one). An alert of such a
 *   group keeps its state between its evaluations.
 *
 * What these steps cannot reproduce is refused before anything runs (rangeRefusal,
 * RangeUnsupportedError) and the caller runs promtool instead: for one, a rule that reads a
 * recording evaluated after it (a later group, or later in its group) sees the previous step's
 * value under the rule manager. test/simulate.test.ts checks that every alert fires at exactly the
 * same evaluations as under promtool when every group's interval is the step (promtool test rules
 * runs every group at its one evaluation interval), and that a group run at its own interval
 * records what promtool records at that interval.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { durationSeconds } from "../../alerts/promql";
import { isAlert, type Rule, type RuleGroup } from "../../alerts/ruleModel";
import type { Series } from "../seriesBook";
import { escapeRegex, nameMention } from "./components";
import { PrometheusServer } from "../../toolkit/prometheusServer";

/**
 * A series to write: either labels with `__name__` and samples as [ms, value] (`"stale"` for a
 * staleness marker), or minutes `from` to `to` (excluded) of an input series (one value per minute
 * from 0; NaN: no sample).
 */
type WriteSeries =
  | { readonly labels: Readonly<Record<string, string>>; readonly samples: readonly (readonly [number, number | "stale"])[] }
  | InputWindow;

/** Minutes `from` to `to` (excluded) of an input series. */
export interface InputWindow {
  readonly series: Series;
  readonly from: number;
  readonly to: number;
}

export interface RangeEvaluation {
  /** Per alert name and severity, firing at each evaluation 0 … `steps - 1`. */
  readonly firing: ReadonlyMap<string, { readonly alert: string; readonly severity: string; readonly firing: boolean[] }>;
  /** What each recording rule recorded, by recorded name: labels (without `__name__`) and [seconds, value] per step it returned. */
  readonly recorded: ReadonlyMap<string, readonly { readonly labels: Readonly<Record<string, string>>; readonly values: readonly (readonly [number, number])[] }[]>;
}

// ---- remote write: protobuf (prometheus.WriteRequest) in a snappy block of literals ----

/**
 * A growing output buffer, kept between requests. Every message's exact length is computed before
 * it is written, so a series costs one bounds check, not one per byte, and nothing is copied twice.
 */
class ByteWriter {
  buf = Buffer.allocUnsafe(1 << 21);
  n = 0;
  ensure(k: number) {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
  /** Writes without a bounds check: the caller ensured room. */
  varint(x: number) {
    while (x >= 0x80) {
      this.buf[this.n++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.n++] = x;
  }
}

const varintLength = (x: number) => {
  let n = 1;
  for (; x >= 0x80; n++) x = Math.floor(x / 0x80);
  return n;
};
/** Prometheus's staleness marker, a NaN with its own bits (value.StaleNaN), little-endian. */
const STALE_BITS = Buffer.from([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

/** A length-delimited protobuf field: tag, length, body. */
function field(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), varintBuffer(body.length), body]);
}
function varintBuffer(x: number): Buffer {
  const bytes: number[] = [];
  for (; x >= 0x80; x = Math.floor(x / 0x80)) bytes.push((x % 0x80) | 0x80);
  bytes.push(x);
  return Buffer.from(bytes);
}

/** A TimeSeries' repeated Label fields, sorted by name (written once per series, whatever its length). */
function labelFields(labels: Readonly<Record<string, string>>): Buffer {
  return Buffer.concat(Object.keys(labels).sort().map((name) => field(0x0a, Buffer.concat([field(0x0a, Buffer.from(name, "utf8")), field(0x12, Buffer.from(labels[name], "utf8"))]))));
}

/** An input series' label fields, encoded once however many times its minutes are written. */
const inputLabels = new WeakMap<Series, Buffer>();
function inputLabelFields(s: Series): Buffer {
  let b = inputLabels.get(s);
  if (!b) inputLabels.set(s, (b = labelFields({ ...s.labels, __name__: s.name })));
  return b;
}

/** A Sample field's length: tag, one length byte, then value (fixed64) and timestamp (varint). */
const sampleFieldLength = (ms: number) => 12 + varintLength(ms);

function writeSample(out: ByteWriter, ms: number, v: number | "stale"): void {
  const b = out.buf;
  b[out.n++] = 0x12;
  b[out.n++] = 10 + varintLength(ms);
  b[out.n++] = 0x09;
  if (v === "stale") STALE_BITS.copy(b, out.n);
  else b.writeDoubleLE(v, out.n);
  out.n += 8;
  b[out.n++] = 0x10;
  out.varint(ms);
}

/** Bytes kept free before a request's protobuf for its snappy header (at most 10). */
const SNAPPY_HEADER_ROOM = 10;

/**
 * Frames `buf[from, to)` as snappy's block format holding one literal, writing the header into the
 * room before `from` (no copy): the uncompressed length, a literal tag with a 4-byte length, then
 * the bytes. Decoders take any literal length (64 KiB is only the encoders' block size), and
 * loopback needs no compression.
 */
function snappyLiteral(buf: Buffer, from: number, to: number): Buffer {
  const length = to - from;
  const m = length - 1;
  const head = Buffer.concat([varintBuffer(length), Buffer.from([63 << 2, m & 0xff, (m >>> 8) & 0xff, (m >>> 16) & 0xff, (m >>> 24) & 0xff])]);
  const start = from - head.length;
  head.copy(buf, start);
  return buf.subarray(start, to);
}

const SAMPLES_PER_SERIES_MESSAGE = 20_000;
const SAMPLES_PER_REQUEST = 100_000;
const REQUESTS_IN_FLIGHT = 2;
const HTTP_TIMEOUT_MS = 10 * 60 * 1000;
const agent = new http.Agent({ keepAlive: true });

/**
 * POST on loopback with node:http: no Accept-Encoding, so Prometheus does not gzip its answers,
 * and the body is sent as it is (fetch copies it once more).
 */
function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) }, timeout: HTTP_TIMEOUT_MS }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`Prometheus did not answer ${url} within ${HTTP_TIMEOUT_MS / 60000} min`)));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Writes `series` in requests of about SAMPLES_PER_REQUEST samples, two in flight: the next request
 * is encoded while Prometheus ingests the last, and two ingest at once. A series never spans two
 * requests, so requests in flight hold different series and each series' samples arrive in order.
 */
async function remoteWrite(url: string, series: readonly WriteSeries[]): Promise<void> {
  const spare: ByteWriter[] = [];
  const inFlight: Promise<void>[] = [];
  const fresh = () => {
    const w = spare.pop() ?? new ByteWriter();
    w.n = SNAPPY_HEADER_ROOM;
    return w;
  };
  let request = fresh();
  let samples = 0;
  const send = async (w: ByteWriter) => {
    const r = await post(`${url}/api/v1/write`, snappyLiteral(w.buf, SNAPPY_HEADER_ROOM, w.n), {
      "Content-Encoding": "snappy",
      "Content-Type": "application/x-protobuf",
      "X-Prometheus-Remote-Write-Version": "0.1.0",
    });
    if (r.status < 200 || r.status >= 300) throw new Error(`Prometheus refused the replay's samples (remote write, HTTP ${r.status}): ${r.text.slice(0, 500)}`);
    spare.push(w);
  };
  const flush = async () => {
    if (request.n === SNAPPY_HEADER_ROOM) return;
    if (inFlight.length >= REQUESTS_IN_FLIGHT) await inFlight.shift();
    const sent = send(request);
    // Never unhandled: an error is thrown when this request is awaited, below or at the end.
    sent.catch(() => undefined);
    inFlight.push(sent);
    request = fresh();
    samples = 0;
  };
  try {
    for (const s of series) {
      const labels = "samples" in s ? labelFields(s.labels) : inputLabelFields(s.series);
      const [first, length] = "samples" in s ? [0, s.samples.length] : [s.from, s.to];
      for (let i = first; i < length; i += SAMPLES_PER_SERIES_MESSAGE) {
        const end = Math.min(length, i + SAMPLES_PER_SERIES_MESSAGE);
        let body = labels.length;
        if ("samples" in s) for (let k = i; k < end; k++) body += sampleFieldLength(s.samples[k][0]);
        else for (let k = i; k < end; k++) if (!Number.isNaN(s.series.values[k])) body += sampleFieldLength(k * 60_000);
        request.ensure(1 + varintLength(body) + body);
        request.buf[request.n++] = 0x0a;
        request.varint(body);
        request.n += labels.copy(request.buf, request.n);
        if ("samples" in s) for (let k = i; k < end; k++) writeSample(request, s.samples[k][0], s.samples[k][1]);
        else for (let k = i; k < end; k++) if (!Number.isNaN(s.series.values[k])) writeSample(request, k * 60_000, s.series.values[k]);
        samples += end - i;
      }
      if (samples >= SAMPLES_PER_REQUEST) await flush();
    }
    await flush();
  } finally {
    // Every request settles before this returns or throws (the first error wins).
    const settled = await Promise.allSettled(inFlight);
    const failed = settled.find((x): x is PromiseRejectedResult => x.status === "rejected");
    if (failed) throw failed.reason;
  }
}

// ---- evaluation ----

const parseValue = (v: string) => (v === "+Inf" ? Infinity : v === "-Inf" ? -Infinity : Number(v));
const labelKey = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));

/** How a recorded name appears in an expression: anywhere, and as a selector with its optional `{…}`. */
function nameReaders(name: string) {
  const n = escapeRegex(name);
  return { anywhere: nameMention(name), selector: new RegExp(`(?:^|[^a-zA-Z0-9_:])${n}(\\{[^}]*\\})?(?![a-zA-Z0-9_:{])`, "g") };
}

/** A PromQL double-quoted string's content; undefined for an escape JSON does not share (then it may match anything). */
function unquote(v: string): string | undefined {
  try {
    return JSON.parse(`"${v}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * Whether `expr` may read what `producer` records: some selector of its name (`selector`, from
 * nameReaders) whose equality matchers do not contradict the producer's fixed labels.
 */
function mayRead(expr: string, selector: RegExp, producer: Rule): boolean {
  for (const m of expr.matchAll(selector)) {
    const matchers = [...(m[1] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)];
    const contradicts = matchers.some(([, k, op, v]) => {
      if (op !== "=" || producer.labels?.[k] === undefined) return false;
      const value = unquote(v);
      return value !== undefined && producer.labels[k] !== value;
    });
    if (!contradicts) return true;
  }
  return false;
}

/**
 * Each rule's layer: 0 for rules reading no recording, else one more than the recordings they
 * read. Throws OutOfOrderReadError when a rule reads a recording evaluated after it.
 */
export function evaluationLayers(rules: readonly Rule[]): number[] {
  const layer: number[] = [];
  const names = [...new Set(rules.flatMap((r) => (isAlert(r) ? [] : [r.record])))].map((name) => ({ name, ...nameReaders(name) }));
  rules.forEach((r, i) => {
    let l = 0;
    for (const { name, anywhere, selector } of names) {
      if (!anywhere.test(r.expr)) continue;
      rules.forEach((p, j) => {
        if (isAlert(p) || p.record !== name || !mayRead(r.expr, selector, p)) return;
        if (j >= i) throw new OutOfOrderReadError(`${isAlert(r) ? r.alert : r.record} reads ${name}, recorded after it in the evaluation order`);
        l = Math.max(l, layer[j] + 1);
      });
    }
    layer.push(l);
  });
  return layer;
}

/** Range-query points per request, under Prometheus's 11,000. */
const POINTS_PER_QUERY = 10_000;

/** `expr` at `phase`, `phase` + `stepSeconds`, … over `steps` evaluations. */
async function queryRange(server: PrometheusServer, expr: string, steps: number, stepSeconds: number, phase = 0) {
  const out: { metric: Record<string, string>; values: [number, string][] }[] = [];
  for (let first = 0; first < steps; first += POINTS_PER_QUERY) {
    const last = Math.min(steps, first + POINTS_PER_QUERY) - 1;
    const at = (k: number) => String(k * stepSeconds + phase);
    const r = await post(`${server.url}/api/v1/query_range`, new URLSearchParams({ query: expr, start: at(first), end: at(last), step: String(stepSeconds) }).toString(), {
      "Content-Type": "application/x-www-form-urlencoded",
    });
    let body: { status: string; error?: string; data?: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
    try {
      body = JSON.parse(r.text) as typeof body;
    } catch {
      throw new Error(`Prometheus answered a range query with HTTP ${r.status} and no JSON: ${r.text.slice(0, 500)}`);
    }
    if (body.status !== "success") throw new Error(`Prometheus could not evaluate ${JSON.stringify(expr)}: ${body.error}`);
    out.push(...body.data!.result);
  }
  return out;
}

/** A rule's result per output series (name dropped, rule labels applied): step index (the nearest) → value. */
function ruleOutput(rule: Rule, result: readonly { metric: Record<string, string>; values: [number, string][] }[], stepSeconds: number) {
  const byKey = new Map<string, { labels: Record<string, string>; points: Map<number, number> }>();
  for (const s of result) {
    const labels: Record<string, string> = { ...s.metric, ...(rule.labels ?? {}) };
    delete labels.__name__;
    const key = labelKey(labels);
    let o = byKey.get(key);
    if (!o) byKey.set(key, (o = { labels, points: new Map() }));
    for (const [t, v] of s.values) {
      const k = Math.round(t / stepSeconds);
      if (o.points.has(k)) throw new Error(`${isAlert(rule) ? rule.alert : rule.record} returns two series with the same labels at ${t}s (Prometheus would fail this evaluation)`);
      o.points.set(k, parseValue(v));
    }
  }
  return [...byKey.values()].map((o) => ({ labels: o.labels, steps: [...o.points.entries()].sort((a, b) => a[0] - b[0]) }));
}

/**
 * A group run less often than every step is evaluated this long after its steps. The rule manager
 * starts each group at its own offset, so a day-long window read every few minutes holds 24 hourly
 * tiles; in Prometheus 2 a range selector includes a sample exactly at its start, so tiles written
 * on the steps would count 25 times in the day whenever a reader's step falls on a tile's.
 */
const STRIDE_PHASE_SECONDS = 1;

/**
 * Per rule of `groups` (flattened in order): how many steps apart its group runs. A group's
 * interval rounded to whole steps, at least one: at 1-minute steps the 4-minute groups run every 4
 * and the hourly tiles every 60; at 5-minute steps the 4-minute groups run every step (a minute
 * later than they would) and the tiles every 12.
 */
function groupStrides(groups: readonly RuleGroup[], stepSeconds: number): number[] {
  return groups.flatMap((g) => {
    const every = Math.max(1, Math.round(durationSeconds(g.interval) / stepSeconds));
    return g.rules.map(() => every);
  });
}

/** What the range queries cannot reproduce: the caller evaluates such a part in promtool instead. */
export class RangeUnsupportedError extends Error {}
export class OutOfOrderReadError extends RangeUnsupportedError {}

/** An expression without its string literals (their text is not PromQL). */
const withoutStrings = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');

/**
 * Why `groups` cannot be evaluated by range queries, or undefined when they can. Besides a read
 * out of the evaluation order (evaluationLayers), these would not give promtool's answer here:
 * - reads the recorded-name check cannot see: `__name__` matchers, selectors without a name, and
 *   the `ALERTS` series that only the rule manager writes;
 * - two recording rules with the same name and labels (the rule manager would record both into one series);
 * - alert labels with templates or empty values (promtool expands templates and drops empty labels);
 * - a `for` that is not a single-unit duration.
 */
export function rangeRefusal(groups: readonly RuleGroup[]): string | undefined {
  try {
    evaluationPlan(groups.flatMap((g) => g.rules));
    return undefined;
  } catch (e) {
    if (e instanceof RangeUnsupportedError) return e.message;
    throw e;
  }
}

/** Each rule's evaluation layer (evaluationLayers), or RangeUnsupportedError naming what rangeRefusal refuses. */
function evaluationPlan(rules: readonly Rule[]): number[] {
  const refuse = (why: string) => {
    throw new RangeUnsupportedError(why);
  };
  const seen = new Set<string>();
  for (const r of rules) {
    const name = isAlert(r) ? r.alert : r.record;
    const expr = withoutStrings(r.expr);
    if (/__name__|(?:^|[^a-zA-Z0-9_:])ALERTS(?:_FOR_STATE)?(?![a-zA-Z0-9_:])/.test(expr)) refuse(`${name} reads series by __name__ or ALERTS`);
    if (/(?:^|[^a-zA-Z0-9_:\s])\s*\{/.test(expr)) refuse(`${name} has a selector without a metric name`);
    if (isAlert(r)) {
      if (Object.values(r.labels).some((v) => v === "" || /\{\{|\$labels|\$value/.test(v))) refuse(`${name} has a templated or empty label`);
      try {
        durationSeconds(r.for ?? "0s");
      } catch {
        refuse(`${name} holds for ${r.for}, not a single-unit duration`);
      }
    } else {
      const key = JSON.stringify([r.record, Object.entries(r.labels ?? {}).sort()]);
      if (seen.has(key)) refuse(`two rules record ${r.record} with the same labels`);
      seen.add(key);
    }
  }
  return evaluationLayers(rules);
}

/**
 * One replay's input in a real Prometheus, for evaluating rule parts over it by range queries:
 * started and written once, then shared by the parts of the replay that neither record nor read a
 * name another of them records (run.ts gives such parts, a review's base and head versions of one
 * part, a Prometheus each).
 */
export class ReplayPrometheus {
  private constructor(
    private readonly server: PrometheusServer,
    private readonly dir: string,
    /** Evaluations at 0, step, …, (steps - 1) × step. */
    readonly steps: number,
    readonly stepSeconds: number,
  ) {}

  /** A Prometheus holding `input` (one sample per minute from 0). */
  static async start(input: readonly Series[], steps: number, stepSeconds: number): Promise<ReplayPrometheus> {
    const replay = await ReplayPrometheus.open(steps, stepSeconds);
    try {
      await replay.write(input.map((s) => ({ series: s, from: 0, to: s.values.length })));
      return replay;
    } catch (e) {
      await replay.stop();
      throw e;
    }
  }

  /** A Prometheus holding nothing yet: `write` feeds it. */
  static async open(steps: number, stepSeconds: number): Promise<ReplayPrometheus> {
    const dir = mkdtempSync(join(tmpdir(), "mlobs-range-eval-"));
    // A subquery without a step takes the evaluation interval, as it does in the rule manager.
    writeFileSync(join(dir, "prometheus.yml"), `global: {evaluation_interval: ${stepSeconds}s}\n`);
    const server = new PrometheusServer({
      configFile: join(dir, "prometheus.yml"),
      dataDir: join(dir, "data"),
      extraArgs: [
        "--web.enable-remote-write-receiver",
        // One head block for the whole replay: no compaction, so every layer's samples append in order.
        "--storage.tsdb.min-block-duration=100000h",
        "--storage.tsdb.max-block-duration=100000h",
        // The write-ahead log only matters after a crash: compressing it is CPU spent for nothing.
        "--no-storage.tsdb.wal-compression",
        // A 30-day query on a loaded machine can take minutes: allow the HTTP timeout, not the default 2.
        `--query.timeout=${HTTP_TIMEOUT_MS / 1000}s`,
      ],
    });
    const replay = new ReplayPrometheus(server, dir, steps, stepSeconds);
    try {
      await server.start();
      return replay;
    } catch (e) {
      replay.withLogs(e);
      await replay.stop();
      throw e;
    }
  }

  /**
   * Writes minutes `from` to `to` (excluded) of each input series (one value per minute from 0;
   * NaN: no sample). A series' minutes must be written in order: a later window of a series only
   * after the call writing its earlier one has returned.
   */
  async write(windows: readonly InputWindow[]): Promise<void> {
    try {
      await remoteWrite(this.server.url, windows);
    } catch (e) {
      throw this.withLogs(e);
    }
  }

  /** Stops Prometheus and deletes its data. */
  async stop(): Promise<void> {
    try {
      await this.server.stop();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  /** `e` with Prometheus's last log lines added to its message. */
  private withLogs(e: unknown): unknown {
    if (this.server.running && e instanceof Error && !(e instanceof RangeUnsupportedError)) e.message += `\nPrometheus's last log lines:\n${this.server.logs}`;
    return e;
  }

  /**
   * Evaluates `groups` (in `groups`' order) at every step. Throws RangeUnsupportedError before
   * querying anything when rangeRefusal names a reason.
   */
  async evaluate(groups: readonly RuleGroup[]): Promise<RangeEvaluation> {
    const rules = groups.flatMap((g) => g.rules);
    const layer = evaluationPlan(rules);
    const stride = groupStrides(groups, this.stepSeconds);
    try {
      return await this.evaluateInLayers(rules, layer, stride);
    } catch (e) {
      throw this.withLogs(e);
    }
  }

  private async evaluateInLayers(rules: readonly Rule[], layer: readonly number[], stride: readonly number[]): Promise<RangeEvaluation> {
    const { server, steps, stepSeconds } = this;
    const firing = new Map<string, { alert: string; severity: string; firing: boolean[] }>();
    const recorded = new Map<string, { labels: Record<string, string>; values: [number, number][] }[]>();
    for (let l = 0; l <= Math.max(-1, ...layer); l++) {
      const these = rules.flatMap((rule, i) => (layer[i] === l ? [{ rule, every: stride[i] }] : []));
      // A group run every `every` steps is queried at 0, every, 2·every, … (step indices stay the
      // replay's), a second after the step: see STRIDE_PHASE_SECONDS.
      const outputs = await Promise.all(
        these.map(async ({ rule, every }) => {
          const phase = every > 1 ? STRIDE_PHASE_SECONDS : 0;
          return { rule, every, phase, series: ruleOutput(rule, await queryRange(server, rule.expr, Math.floor((steps - 1) / every) + 1, every * stepSeconds, phase), stepSeconds) };
        }),
      );
      const written: WriteSeries[] = [];
      for (const { rule, every, phase, series } of outputs)
        for (const s of series) {
          if (isAlert(rule)) {
            const severity = s.labels.severity ?? "";
            const key = `${rule.alert}\u0000${severity}`;
            let h = firing.get(key);
            if (!h) firing.set(key, (h = { alert: rule.alert, severity, firing: new Array<boolean>(steps).fill(false) }));
            const holdSteps = durationSeconds(rule.for ?? "0s") / stepSeconds;
            let activeFrom = -1;
            let previous = -2 * every;
            for (const [k] of s.steps) {
              if (k !== previous + every) activeFrom = k;
              // Firing from this evaluation until the group's next one.
              if (k - activeFrom >= holdSteps) h.firing.fill(true, k, Math.min(steps, k + every));
              previous = k;
            }
          } else {
            const samples: [number, number | "stale"][] = [];
            let previous = -2 * every;
            const at = (k: number) => (k * stepSeconds + phase) * 1000;
            for (const [k, v] of s.steps) {
              if (previous >= 0 && k !== previous + every) samples.push([at(previous + every), "stale"]);
              samples.push([at(k), v]);
              previous = k;
            }
            if (previous >= 0 && previous + every < steps) samples.push([at(previous + every), "stale"]);
            written.push({ labels: { ...s.labels, __name__: rule.record }, samples });
            const list = recorded.get(rule.record) ?? [];
            recorded.set(rule.record, list);
            list.push({ labels: s.labels, values: s.steps.map(([k, v]) => [k * stepSeconds, v]) });
          }
        }
      await remoteWrite(server.url, written);
    }
    return { firing, recorded };
  }
}

/**
 * `groups` evaluated at 0, step, … over `steps` evaluations on `input` (one sample per minute from
 * 0) in a Prometheus of their own. Throws RangeUnsupportedError before starting anything when
 * rangeRefusal names a reason.
 */
export async function evaluateByRanges(groups: readonly RuleGroup[], input: readonly Series[], steps: number, stepSeconds: number): Promise<RangeEvaluation> {
  evaluationPlan(groups.flatMap((g) => g.rules));
  const replay = await ReplayPrometheus.start(input, steps, stepSeconds);
  try {
    return await replay.evaluate(groups);
  } finally {
    await replay.stop();
  }
}
