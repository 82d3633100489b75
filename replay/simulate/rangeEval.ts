/**
 * A part's rules evaluated over a whole replay by a real Prometheus (Debian package `prometheus`),
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
 *   has held for `for`; a step without it resets it.
 *
 * A rule that reads a recording evaluated after it (a later group, or later in its group) would
 * see the previous step's value under the rule manager; that case is refused
 * (`OutOfOrderReadError`) and the caller runs promtool instead. test/simulate.test.ts checks that
 * every alert fires at exactly the same evaluations as under promtool.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { durationSeconds } from "../../alerts/promql";
import { isAlert, type Rule, type RuleGroup } from "../../alerts/ruleModel";
import type { Series } from "../seriesBook";
import { escapeRegex } from "./components";
import { PrometheusServer } from "../../toolkit/prometheusServer";

/**
 * A series to write: labels with `__name__`, and either samples as [ms, value] (`"stale"` for a
 * staleness marker) or one value per minute from 0 (NaN: no sample).
 */
type WriteSeries = { readonly labels: Readonly<Record<string, string>> } & ({ readonly samples: readonly (readonly [number, number | "stale"])[] } | { readonly perMinute: Float64Array });

export interface RangeEvaluation {
  /** Per alert name and severity, firing at each evaluation 0 … `steps - 1`. */
  readonly firing: ReadonlyMap<string, { readonly alert: string; readonly severity: string; readonly firing: boolean[] }>;
  /** What each recording rule recorded, by recorded name: labels (without `__name__`) and [seconds, value] per step it returned. */
  readonly recorded: ReadonlyMap<string, readonly { readonly labels: Readonly<Record<string, string>>; readonly values: readonly (readonly [number, number])[] }[]>;
}

export class OutOfOrderReadError extends Error {}

// ---- remote write: protobuf (prometheus.WriteRequest) in a snappy block of literals ----

class ByteWriter {
  buf: Buffer;
  n = 0;
  constructor(size = 256) {
    this.buf = Buffer.alloc(size);
  }
  ensure(k: number) {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
  byte(x: number) {
    this.ensure(1);
    this.buf[this.n++] = x;
  }
  varint(x: number) {
    this.ensure(10);
    while (x >= 0x80) {
      this.buf[this.n++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.n++] = x;
  }
  bytes(b: Buffer) {
    this.ensure(b.length);
    b.copy(this.buf, this.n);
    this.n += b.length;
  }
  field(tag: number, body: Buffer) {
    this.byte(tag);
    this.varint(body.length);
    this.bytes(body);
  }
  get content(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

const varintLength = (x: number) => {
  let n = 1;
  for (; x >= 0x80; n++) x = Math.floor(x / 0x80);
  return n;
};
/** Prometheus's staleness marker, a NaN with its own bits (value.StaleNaN), little-endian. */
const STALE_BITS = Buffer.from([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f]);

function writeSample(out: ByteWriter, ms: number, v: number | "stale"): void {
  out.byte(0x12);
  out.varint(10 + varintLength(ms));
  out.byte(0x09);
  out.ensure(8);
  if (v === "stale") STALE_BITS.copy(out.buf, out.n);
  else out.buf.writeDoubleLE(v, out.n);
  out.n += 8;
  out.byte(0x10);
  out.varint(ms);
}

/** One TimeSeries message: labels sorted by name, then the samples `samples` writes (about `count`). */
function encodeSeries(labels: Readonly<Record<string, string>>, count: number, samples: (out: ByteWriter) => void): Buffer {
  const out = new ByteWriter(64 + count * 16);
  for (const name of Object.keys(labels).sort()) {
    const l = new ByteWriter();
    l.field(0x0a, Buffer.from(name, "utf8"));
    l.field(0x12, Buffer.from(labels[name], "utf8"));
    out.field(0x0a, l.content);
  }
  samples(out);
  return out.content;
}

/** Snappy's block format with literals only: valid for any decoder, and no compression is needed on loopback. */
function snappyLiterals(data: Buffer): Buffer {
  const out = new ByteWriter(data.length + 16 + Math.ceil(data.length / 65536) * 3);
  out.varint(data.length);
  for (let i = 0; i < data.length; i += 65536) {
    const chunk = data.subarray(i, Math.min(data.length, i + 65536));
    const n = chunk.length - 1;
    if (n < 60) out.byte(n << 2);
    else {
      out.byte(61 << 2);
      out.byte(n & 0xff);
      out.byte(n >> 8);
    }
    out.bytes(chunk);
  }
  return out.content;
}

const SAMPLES_PER_SERIES_MESSAGE = 20_000;
const SAMPLES_PER_REQUEST = 100_000;
const HTTP_TIMEOUT_MS = 10 * 60 * 1000;

async function remoteWrite(url: string, series: readonly WriteSeries[]): Promise<void> {
  let request = new ByteWriter(1 << 20);
  let samples = 0;
  const flush = async () => {
    if (request.n === 0) return;
    const r = await fetch(`${url}/api/v1/write`, {
      method: "POST",
      body: snappyLiterals(request.content),
      headers: { "Content-Encoding": "snappy", "Content-Type": "application/x-protobuf", "X-Prometheus-Remote-Write-Version": "0.1.0" },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    if (!r.ok) throw new Error(`Prometheus refused the replay's samples (remote write, HTTP ${r.status}): ${(await r.text()).slice(0, 500)}`);
    request = new ByteWriter(1 << 20);
    samples = 0;
  };
  for (const s of series) {
    const length = "samples" in s ? s.samples.length : s.perMinute.length;
    for (let i = 0; i < length; i += SAMPLES_PER_SERIES_MESSAGE) {
      const end = Math.min(length, i + SAMPLES_PER_SERIES_MESSAGE);
      request.field(
        0x0a,
        encodeSeries(s.labels, end - i, (out) => {
          if ("samples" in s) for (let k = i; k < end; k++) writeSample(out, s.samples[k][0], s.samples[k][1]);
          else for (let k = i; k < end; k++) if (!Number.isNaN(s.perMinute[k])) writeSample(out, k * 60_000, s.perMinute[k]);
        }),
      );
      samples += end - i;
      if (samples >= SAMPLES_PER_REQUEST) await flush();
    }
  }
  await flush();
}

// ---- evaluation ----

const parseValue = (v: string) => (v === "+Inf" ? Infinity : v === "-Inf" ? -Infinity : Number(v));
const labelKey = (labels: Readonly<Record<string, string>>) => JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));

/** How a recorded name appears in an expression: anywhere, and as a selector with its optional `{…}`. */
function nameReaders(name: string) {
  const n = escapeRegex(name);
  return { anywhere: new RegExp(`(?:^|[^a-zA-Z0-9_:])${n}(?![a-zA-Z0-9_:])`), selector: new RegExp(`(?:^|[^a-zA-Z0-9_:])${n}(\\{[^}]*\\})?(?![a-zA-Z0-9_:{])`, "g") };
}

/**
 * Whether `expr` may read what `producer` records: some selector of its name (`selector`, from
 * nameReaders) whose equality matchers do not contradict the producer's fixed labels.
 */
function mayRead(expr: string, selector: RegExp, producer: Rule): boolean {
  for (const m of expr.matchAll(selector)) {
    const matchers = [...(m[1] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)];
    const contradicts = matchers.some(([, k, op, v]) => op === "=" && producer.labels?.[k] !== undefined && producer.labels[k] !== (JSON.parse(`"${v}"`) as string));
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

async function queryRange(server: PrometheusServer, expr: string, steps: number, stepSeconds: number) {
  const out: { metric: Record<string, string>; values: [number, string][] }[] = [];
  for (let first = 0; first < steps; first += POINTS_PER_QUERY) {
    const last = Math.min(steps, first + POINTS_PER_QUERY) - 1;
    const r = await fetch(`${server.url}/api/v1/query_range`, {
      method: "POST",
      body: new URLSearchParams({ query: expr, start: String(first * stepSeconds), end: String(last * stepSeconds), step: String(stepSeconds) }),
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
    const body = (await r.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
    if (body.status !== "success") throw new Error(`Prometheus could not evaluate ${JSON.stringify(expr)}: ${body.error}`);
    out.push(...body.data!.result);
  }
  return out;
}

/** A rule's result per output series (name dropped, rule labels applied): step index → value. */
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
 * Evaluates `groups` (in `groups`' order) at 0, step, … over `steps` evaluations on `input` (one
 * sample per minute from 0). Throws OutOfOrderReadError before starting anything when the order
 * cannot be reproduced.
 */
export async function evaluateByRanges(groups: readonly RuleGroup[], input: readonly Series[], steps: number, stepSeconds: number): Promise<RangeEvaluation> {
  const rules = groups.flatMap((g) => g.rules);
  const layer = evaluationLayers(rules);
  const dir = mkdtempSync(join(tmpdir(), "mlobs-range-eval-"));
  writeFileSync(join(dir, "prometheus.yml"), "global: {}\n");
  const server = new PrometheusServer({
    configFile: join(dir, "prometheus.yml"),
    dataDir: join(dir, "data"),
    // One head block for the whole replay: no compaction, so every layer's samples append in order.
    extraArgs: ["--web.enable-remote-write-receiver", "--storage.tsdb.min-block-duration=100000h", "--storage.tsdb.max-block-duration=100000h"],
  });
  try {
    await server.start();
    await remoteWrite(
      server.url,
      input.map((s) => ({ labels: { ...s.labels, __name__: s.name }, perMinute: s.values })),
    );
    const firing = new Map<string, { alert: string; severity: string; firing: boolean[] }>();
    const recorded = new Map<string, { labels: Record<string, string>; values: [number, number][] }[]>();
    for (let l = 0; l <= Math.max(-1, ...layer); l++) {
      const these = rules.filter((_, i) => layer[i] === l);
      const outputs = await Promise.all(these.map(async (rule) => ({ rule, series: ruleOutput(rule, await queryRange(server, rule.expr, steps, stepSeconds), stepSeconds) })));
      const written: WriteSeries[] = [];
      for (const { rule, series } of outputs)
        for (const s of series) {
          if (isAlert(rule)) {
            const severity = s.labels.severity ?? "";
            const key = `${rule.alert}\u0000${severity}`;
            let h = firing.get(key);
            if (!h) firing.set(key, (h = { alert: rule.alert, severity, firing: new Array<boolean>(steps).fill(false) }));
            const holdSteps = durationSeconds(rule.for ?? "0s") / stepSeconds;
            let activeFrom = -1;
            let previous = -2;
            for (const [k] of s.steps) {
              if (k !== previous + 1) activeFrom = k;
              if (k - activeFrom >= holdSteps) h.firing[k] = true;
              previous = k;
            }
          } else {
            const samples: [number, number | "stale"][] = [];
            let previous = -2;
            for (const [k, v] of s.steps) {
              if (previous >= 0 && k !== previous + 1) samples.push([(previous + 1) * stepSeconds * 1000, "stale"]);
              samples.push([k * stepSeconds * 1000, v]);
              previous = k;
            }
            if (previous >= 0 && previous + 1 < steps) samples.push([(previous + 1) * stepSeconds * 1000, "stale"]);
            written.push({ labels: { ...s.labels, __name__: rule.record }, samples });
            const list = recorded.get(rule.record) ?? [];
            recorded.set(rule.record, list);
            list.push({ labels: s.labels, values: s.steps.map(([k, v]) => [k * stepSeconds, v]) });
          }
        }
      await remoteWrite(server.url, written);
    }
    return { firing, recorded };
  } catch (e) {
    if (server.running && e instanceof Error && !(e instanceof OutOfOrderReadError)) e.message += `\nPrometheus's last log lines:\n${server.logs}`;
    throw e;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
