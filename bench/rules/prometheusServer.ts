/**
 * A real Prometheus (Debian package, /usr/bin/prometheus) for the benchmark: listens only on
 * 127.0.0.1 at a free port, keeps its data in the caller's temp folder, every wait bounded, and
 * always killed (stop(), and on process exit or Ctrl-C as a safety net).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One sample of the text exposition format. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Parses Prometheus text exposition (what /metrics serves). */
export function parseExposition(text: string): MetricSample[] {
  const out: MetricSample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[2]) for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

export class PrometheusServer {
  private readonly child: ChildProcess;
  private exited = false;
  private readonly onExit = () => this.kill("SIGKILL");
  private readonly onSignal = () => {
    this.kill("SIGKILL");
    process.exit(130);
  };

  private constructor(
    readonly baseUrl: string,
    child: ChildProcess,
  ) {
    this.child = child;
    child.once("exit", () => (this.exited = true));
    process.once("exit", this.onExit);
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  /** Starts Prometheus with `configFile` and data in `dataDir`; its log goes to `<dataDir>/../prometheus.log`. */
  static async start(configFile: string, dataDir: string, logDir: string, readyTimeoutMs = 120_000): Promise<PrometheusServer> {
    const port = await freePort();
    const log = createWriteStream(join(logDir, "prometheus.log"));
    const child = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Backfilled blocks reach 8 days back; keep them.
        "--storage.tsdb.retention.time=60d",
        "--log.level=warn",
        // POST /-/reload, to add the rule files after a scrape-only phase (127.0.0.1 only).
        "--web.enable-lifecycle",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const server = new PrometheusServer(`http://127.0.0.1:${port}`, child);
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (server.exited) throw new Error(`prometheus exited during start-up; see ${join(logDir, "prometheus.log")}`);
      try {
        const r = await fetch(`${server.baseUrl}/-/ready`, { signal: AbortSignal.timeout(2000) });
        if (r.ok) return server;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    await server.stop();
    throw new Error(`prometheus was not ready within ${readyTimeoutMs / 1000} s; see ${join(logDir, "prometheus.log")}`);
  }

  async metrics(): Promise<MetricSample[]> {
    const r = await fetch(`${this.baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!r.ok) throw new Error(`GET /metrics: HTTP ${r.status}`);
    return parseExposition(await r.text());
  }

  /** Re-reads the configuration file (POST /-/reload). */
  async reload(): Promise<void> {
    const r = await fetch(`${this.baseUrl}/-/reload`, { method: "POST", signal: AbortSignal.timeout(120_000) });
    if (!r.ok) throw new Error(`POST /-/reload: HTTP ${r.status} ${await r.text()}`);
  }

  /** CPU seconds the Prometheus process has used (`process_cpu_seconds_total`). */
  async cpuSeconds(): Promise<number> {
    return (await this.metrics()).find((s) => s.name === "process_cpu_seconds_total")?.value ?? Number.NaN;
  }

  /** An instant query; returns the result vector. */
  async query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const r = await fetch(`${this.baseUrl}/api/v1/query`, {
      method: "POST",
      body: new URLSearchParams({ query: q }),
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await r.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== "success") throw new Error(`query ${q.slice(0, 200)}: ${body.error}`);
    return body.data!.result;
  }

  /** An instant query with `stats=all`: samples it read and its evaluation time. */
  async queryStats(q: string): Promise<{ samples: number; seconds: number; series: number }> {
    const r = await fetch(`${this.baseUrl}/api/v1/query`, {
      method: "POST",
      body: new URLSearchParams({ query: q, stats: "all" }),
      signal: AbortSignal.timeout(120_000),
    });
    const body = (await r.json()) as {
      status: string;
      error?: string;
      data?: { result: unknown[]; stats?: { timings?: { evalTotalTime?: number }; samples?: { totalQueryableSamples?: number } } };
    };
    if (body.status !== "success") throw new Error(`query ${q.slice(0, 200)}: ${body.error}`);
    const st = body.data?.stats;
    return { samples: st?.samples?.totalQueryableSamples ?? Number.NaN, seconds: st?.timings?.evalTotalTime ?? Number.NaN, series: body.data?.result.length ?? 0 };
  }

  /** GET /api/v1/rules: every loaded group with per-rule evaluation times. */
  async rules(): Promise<{ name: string; file: string; rules: { name: string; type: string; evaluationTime: number }[] }[]> {
    const r = await fetch(`${this.baseUrl}/api/v1/rules`, { signal: AbortSignal.timeout(60_000) });
    const body = (await r.json()) as { data: { groups: { name: string; file: string; rules: { name: string; type: string; evaluationTime: number }[] }[] } };
    return body.data.groups;
  }

  private kill(signal: NodeJS.Signals): void {
    if (!this.exited && this.child.pid !== undefined) {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    process.removeListener("exit", this.onExit);
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once("exit", () => r()));
    this.kill("SIGTERM");
    await Promise.race([gone, sleep(10_000)]);
    if (!this.exited) {
      this.kill("SIGKILL");
      await Promise.race([gone, sleep(5_000)]);
    }
  }
}
