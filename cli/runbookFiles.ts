/**
 * Where `mlobs runbooks` writes each page: at the path its runbook URL names under the folder
 * that is published. With one runbook base URL that is `DIR/<slug>.md`, so publishing DIR at
 * the base makes every link resolve; services with different bases on one host get the
 * path below their common prefix (`DIR/search-ai/<slug>.md`, `DIR/risk-ml/<slug>.md`, DIR
 * published at `https://runbooks.example.com/`). Pure, so tests check the same mapping the CLI
 * writes.
 */
import type { ServiceModel } from "../service/model";
import { ValidationError } from "../service/normalize";
import type { Issue } from "../service/schemaDsl";
import { pageFile, type RunbookPage } from "../runbooks";
import { UsageError } from "./usageError";

export interface RunbookFile {
  readonly service: string;
  readonly alert: string;
  readonly url: string;
  /** Path under the output folder, `/`-separated. */
  readonly path: string;
  readonly text: string;
}

export interface RunbookFiles {
  readonly files: readonly RunbookFile[];
  /** The URL the output folder must be published at for every link to resolve. */
  readonly publishAt: string;
}

interface Located {
  readonly service: ServiceModel;
  readonly page: RunbookPage;
  readonly origin: string;
  /** Decoded path segments of the URL, the page's file name last. */
  readonly segments: readonly string[];
}

/** The URL's path as file-name segments, or the problem that keeps it from being one. */
function segmentsOf(url: URL): string[] | string {
  if (url.search !== "" || url.hash !== "") return "has a query or fragment; runbook pages can only be published under a plain path";
  const segments: string[] = [];
  for (const raw of url.pathname.split("/").slice(1)) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return `has the path segment ${JSON.stringify(raw)}, which is not valid percent-encoding`;
    }
    if (s === "" || s === "." || s === ".." || /[/\\\0]/.test(s)) return `has the path segment ${JSON.stringify(raw)}, which cannot be a folder name`;
    segments.push(s);
  }
  return segments;
}

function locate(services: readonly ServiceModel[], pagesOf: (s: ServiceModel) => readonly RunbookPage[]): Located[] {
  const issues: Issue[] = [];
  const located: Located[] = [];
  for (const service of services) {
    for (const page of pagesOf(service)) {
      const url = new URL(page.url);
      const segments = segmentsOf(url);
      if (typeof segments === "string") {
        issues.push({ path: `${service.name}: alerting.runbookBaseUrl`, message: `${service.alerting.runbookBaseUrl} ${segments}` });
        break;
      }
      located.push({ service, page, origin: url.origin, segments: [...segments.slice(0, -1), pageFile(page.slug)] });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return located;
}

/** Longest common run of leading folder segments (the file name never counts). */
function commonFolders(located: readonly Located[]): string[] {
  const folders = located.map((l) => l.segments.slice(0, -1));
  const first = folders[0] ?? [];
  let n = 0;
  while (n < first.length && folders.every((f) => f.length > n && f[n] === first[n])) n++;
  return first.slice(0, n);
}

/** Every page of the services (`pagesOf` renders one service's), each at its URL's path under the folder to publish. */
export function runbookFiles(services: readonly ServiceModel[], pagesOf: (s: ServiceModel) => readonly RunbookPage[]): RunbookFiles {
  const located = locate(services, pagesOf);
  const origins = [...new Set(located.map((l) => l.origin))];
  if (origins.length > 1)
    throw new UsageError(`the services publish runbooks on ${origins.length} hosts (${origins.join(", ")}); run mlobs runbooks once per host, each into its own --out`);
  const common = commonFolders(located);
  const byPath = new Map<string, Located>();
  const issues: Issue[] = [];
  for (const l of located) {
    const path = l.segments.slice(common.length).join("/");
    const other = byPath.get(path);
    if (other) issues.push({ path: `${l.service.name}: alerting.runbookBaseUrl`, message: `${l.page.url} is also the runbook of ${other.service.name}'s ${other.page.alert}; give the services different runbookBaseUrl paths` });
    else byPath.set(path, l);
  }
  if (issues.length > 0) throw new ValidationError(issues);
  const files = [...byPath.entries()].map(([path, l]) => ({ service: l.service.name, alert: l.page.alert, url: l.page.url, path, text: l.page.markdown }));
  const base = located.length > 0 ? new URL(located[0].page.url).pathname.split("/").slice(1, common.length + 1).join("/") : "";
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), publishAt: `${origins[0] ?? ""}/${base}${base ? "/" : ""}` };
}
