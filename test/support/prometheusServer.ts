/**
 * A real Prometheus (Debian package `prometheus`) for tests: listens only on 127.0.0.1, on a free
 * port picked at each start, stores its data in a folder the caller owns, and is stopped by the
 * caller (always, in afterAll). Every wait is bounded: readiness is polled a fixed number of times,
 * every HTTP request has a timeout, and a process that will not stop is killed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export function prometheusMissing(): string | undefined {
  for (const bin of ["prometheus", "promtool"]) {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    if (r.error) return `${bin} is not installed (apt-get install prometheus)`;
  }
  return undefined;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PrometheusOptions {
  readonly configFile: string;
  readonly dataDir: string;
  /** Longer than the replayed data's span, so nothing backfilled is deleted. @default "3650d" */
  readonly retention?: string;
  /** How long to wait for /-/ready. @default 60000 */
  readonly readyTimeoutMs?: number;
}

export interface QueryResult {
  readonly resultType: string;
  readonly result: readonly { readonly metric: Record<string, string>; readonly value?: [number, string]; readonly values?: [number, string][] }[];
}

export class PrometheusServer {
  private child?: ChildProcess;
  private logTail = "";
  private port = 0;

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
    const o = this.options;
    this.logTail = "";
    const child = spawn(
      "prometheus",
      [
        `--config.file=${o.configFile}`,
        `--storage.tsdb.path=${o.dataDir}`,
        `--storage.tsdb.retention.time=${o.retention ?? "3650d"}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    const keep = (d: Buffer) => (this.logTail = (this.logTail + d.toString()).slice(-16000));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    const deadline = Date.now() + (o.readyTimeoutMs ?? 60000);
    for (let attempt = 0; Date.now() < deadline && attempt < 600; attempt++) {
      if (!this.running) throw new Error(`Prometheus exited while starting (code ${child.exitCode}):\n${this.logTail}`);
      try {
        const r = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(2000) });
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    await this.stop();
    throw new Error(`Prometheus was not ready within ${(o.readyTimeoutMs ?? 60000) / 1000}s:\n${this.logTail}`);
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Safe to call when not running. */
  async stop(graceMs = 15000): Promise<void> {
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

  /** An instant query at `timeSeconds`; throws with Prometheus's error text when the query fails. */
  async query(expr: string, timeSeconds: number, timeoutMs = 20000): Promise<QueryResult> {
    const params = new URLSearchParams({ query: expr, time: String(timeSeconds) });
    const r = await fetch(`${this.url}/api/v1/query?${params}`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await r.json()) as { status: string; data?: QueryResult; error?: string; errorType?: string };
    if (body.status !== "success" || !body.data) throw new Error(`query failed (${body.errorType}: ${body.error}): ${expr}`);
    return body.data;
  }
}
