/**
 * A scrape target on 127.0.0.1 serving the synthetic series live, continuing the backfilled
 * history (counters are a function of the clock), so short windows such as [5m] keep data while
 * Prometheus evaluates.
 */
import { createServer, type Server } from "node:http";
import { seriesSelector } from "../../toolkit/exposition";
import { seriesValue, type SeriesSpec } from "./steadySeries";

export interface ScrapeTarget {
  readonly port: number;
  /** Label Prometheus will add to series that do not carry `instance`; backfill must use it too. */
  readonly instance: string;
  /** Unix seconds at which counters were zero. */
  readonly origin: number;
  close(): Promise<void>;
}

export async function startScrapeTarget(series: () => readonly SeriesSpec[], origin: number): Promise<ScrapeTarget> {
  let prefixes: { s: SeriesSpec; prefix: string }[] | undefined;
  const server: Server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    prefixes ??= series().map((s) => ({ s, prefix: `${seriesSelector(s.name, s.labels)} ` }));
    const t = Date.now() / 1000;
    const body = prefixes.map(({ s, prefix }) => `${prefix}${seriesValue(s, t, origin)}\n`).join("");
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    port,
    instance: `127.0.0.1:${port}`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
