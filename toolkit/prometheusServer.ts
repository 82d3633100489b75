/**
 * A real Prometheus (Debian package `prometheus`) for the tests and the bench: listens only on
 * 127.0.0.1, on a free port picked at each start, keeps its data in a folder the caller owns, and
 * can be stopped and started again on the same data (backfilled blocks load at start). Every wait
 * is bounded: readiness is polled until a deadline, every HTTP request has a timeout, a process
 * that will not stop is killed, and one still running when this process exits or is interrupted
 * is killed too.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { parseExposition, type MetricSample } from "./exposition";

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "prometheus";
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? "promtool";

/** Why the real-Prometheus tests cannot run here, or undefined when they can. */
export function prometheusMissing(): string | undefined {
  for (const bin of [PROMETHEUS_BIN, PROMTOOL_BIN]) {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    if (r.error) return `${bin} is not installed (apt-get install prometheus)`;
  }
  return undefined;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface PrometheusOptions {
  readonly configFile: string;
  readonly dataDir: string;
  /** Longer than the data's span, so nothing backfilled is deleted. @default "3650d" */
  readonly retention?: string;
  /** How long to wait for /-/ready. @default 60000 */
  readonly readyTimeoutMs?: number;
  /** Also write Prometheus's log to this file. @default - only the last lines are kept, in `logs` */
  readonly logFile?: string;
  /** Accept POST /-/reload (to add rule files after a scrape-only phase). @default false */
  readonly lifecycle?: boolean;
  /** More command-line flags. @default none */
  readonly extraArgs?: readonly string[];
}

export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export interface QueryResult {
  readonly resultType: string;
  readonly result: readonly { readonly metric: Record<string, string>; readonly value?: [number, string]; readonly values?: [number, string][] }[];
}

export interface RuleGroupStatus {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly { readonly name: string; readonly type: string; readonly evaluationTime: number }[];
}

export class PrometheusServer {
  private child?: ChildProcess;
  private logTail = "";
  private port = 0;
  // A Prometheus left running would hold its port and data folder after a failed run.
  private readonly onExit = () => this.child?.kill("SIGKILL");
  private readonly onSignal = () => {
    this.onExit();
    process.exit(130);
  };

  constructor(private readonly options: PrometheusOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines Prometheus logged, for failure messages. */
  get logs(): string {
    return this.logTail;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error("Prometheus is already running");
    this.port = await freePort();
    this.logTail = "";
    this.child = this.spawn();
    process.once("exit", this.onExit);
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
    const readyMs = this.options.readyTimeoutMs ?? 60000;
    const deadline = Date.now() + readyMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`Prometheus exited while starting (code ${this.child.exitCode}):\n${this.logTail}`);
      try {
        const r = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(2000) });
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    await this.stop();
    throw new Error(`Prometheus was not ready within ${readyMs / 1000}s:\n${this.logTail}`);
  }

  private spawn(): ChildProcess {
    const o = this.options;
    const child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${o.configFile}`,
        `--storage.tsdb.path=${o.dataDir}`,
        `--storage.tsdb.retention.time=${o.retention ?? "3650d"}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        "--log.level=warn",
        ...(o.lifecycle ? ["--web.enable-lifecycle"] : []),
        ...(o.extraArgs ?? []),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const log = o.logFile ? createWriteStream(o.logFile, { flags: "a" }) : undefined;
    const keep = (d: Buffer) => {
      this.logTail = (this.logTail + d.toString()).slice(-16000);
      log?.write(d);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("close", () => log?.end());
    return child;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Safe to call when not running. */
  async stop(graceMs = 15000): Promise<void> {
    process.removeListener("exit", this.onExit);
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    /** Waits for the exit for at most `ms`; true when it timed out. The timer never outlives the wait. */
    const exitWithin = async (ms: number) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)));
      const timedOut = await Promise.race([exited.then(() => false), timeout]);
      clearTimeout(timer);
      return timedOut;
    };
    child.kill("SIGTERM");
    if (await exitWithin(graceMs)) {
      child.kill("SIGKILL");
      await exitWithin(5000);
    }
    this.child = undefined;
  }

  /** An instant query (at `timeSeconds`, else now); throws with Prometheus's error text when it fails. */
  async query(expr: string, timeSeconds?: number, timeoutMs = 60000): Promise<QueryResult> {
    const params: Record<string, string> = { query: expr, ...(timeSeconds === undefined ? {} : { time: String(timeSeconds) }) };
    return (await this.post<QueryResult>("/api/v1/query", params, timeoutMs, expr)).data;
  }

  /** An instant query's result vector. */
  async vector(expr: string): Promise<VectorSample[]> {
    return (await this.query(expr)).result as VectorSample[];
  }

  /** An instant query with `stats=all`: samples it read, its evaluation time, the series returned. */
  async queryStats(expr: string): Promise<{ samples: number; seconds: number; series: number }> {
    type Stats = QueryResult & { stats?: { timings?: { evalTotalTime?: number }; samples?: { totalQueryableSamples?: number } } };
    const { data } = await this.post<Stats>("/api/v1/query", { query: expr, stats: "all" }, 120_000, expr);
    return { samples: data.stats?.samples?.totalQueryableSamples ?? Number.NaN, seconds: data.stats?.timings?.evalTotalTime ?? Number.NaN, series: data.result.length };
  }

  /** Prometheus's own metrics (GET /metrics). */
  async metrics(): Promise<MetricSample[]> {
    const r = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`GET /metrics: HTTP ${r.status}`);
    return parseExposition(await r.text());
  }

  /** CPU seconds the Prometheus process has used (`process_cpu_seconds_total`). */
  async cpuSeconds(): Promise<number> {
    return (await this.metrics()).find((s) => s.name === "process_cpu_seconds_total")?.value ?? Number.NaN;
  }

  /** Re-reads the configuration file (POST /-/reload; needs `lifecycle`). */
  async reload(): Promise<void> {
    const r = await fetch(`${this.url}/-/reload`, { method: "POST", signal: AbortSignal.timeout(120_000) });
    if (!r.ok) throw new Error(`POST /-/reload: HTTP ${r.status} ${await r.text()}`);
  }

  /** Every loaded rule group with per-rule evaluation times (GET /api/v1/rules). */
  async rules(): Promise<RuleGroupStatus[]> {
    const r = await fetch(`${this.url}/api/v1/rules`, { signal: AbortSignal.timeout(60_000) });
    const body = (await r.json()) as { data: { groups: RuleGroupStatus[] } };
    return body.data.groups;
  }

  /** POSTed, so long selectors fit; throws with Prometheus's error text when the call fails. */
  private async post<T>(path: string, params: Record<string, string>, timeoutMs: number, what: string): Promise<{ data: T }> {
    const r = await fetch(`${this.url}${path}`, { method: "POST", body: new URLSearchParams(params), signal: AbortSignal.timeout(timeoutMs) });
    const body = (await r.json()) as { status: string; data?: T; error?: string; errorType?: string };
    if (body.status !== "success" || !body.data) throw new Error(`query failed (${body.errorType}: ${body.error}): ${what.slice(0, 2000)}`);
    return { data: body.data };
  }
}
