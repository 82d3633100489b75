/**
 * `mlobs runbooks <service.yaml>... --out DIR [--env ENV] [--grafana-url URL]`: one Markdown page
 * per alert, at the path its runbook URL names (cli/runbookFiles.ts), for the environment asked
 * (else prod, else the first; the dashboard links and log groups are the environment's, as with
 * `mlobs rules`). Everything is generated and checked before anything is written. Pages an earlier
 * run wrote for alerts that no longer exist are removed, so the published folder holds no dead
 * runbook; files it did not write are left alone.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { serviceRunbooks, RUNBOOK_MARKER } from "../runbooks";
import { httpsUrlProblem } from "../service/inputLimits";
import { loadServicesFiles } from "../service/load";
import { environmentOf } from "./ruleFiles";
import { runbookFiles } from "./runbookFiles";
import { commandLineError, UsageError } from "./usageError";

export const RUNBOOKS_USAGE = "mlobs runbooks <service.yaml>... --out DIR [--env ENV] [--grafana-url URL]";

export interface RunbooksArgs {
  readonly positional: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

/** Markdown files under `dir` an earlier run wrote (they open with the generated marker); symlinks are not followed. */
function generatedPages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = join(d, entry);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && entry.endsWith(".md") && readFileSync(p, "utf8").startsWith(RUNBOOK_MARKER)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Runs the command on parsed arguments; returns the exit code (bad input throws UsageError or ValidationError: exit 2). */
export function runbooksCommand(args: RunbooksArgs, out: (line: string) => void): number {
  if (args.positional.length === 0) throw commandLineError("give at least one description file");
  const dir = args.values["--out"];
  if (!dir) throw commandLineError("--out DIR is required");
  const grafanaUrl = args.values["--grafana-url"];
  const urlProblem = grafanaUrl === undefined ? undefined : httpsUrlProblem(grafanaUrl, "https://grafana.example.com");
  if (urlProblem) throw new UsageError(`--grafana-url ${urlProblem}`);
  const services = loadServicesFiles(args.positional);
  const { files, publishAt } = runbookFiles(services, (s) => serviceRunbooks(s, { environment: environmentOf(s, args.values["--env"]), grafanaUrl }));
  const written = new Set(files.map((f) => join(dir, ...f.path.split("/"))));
  mkdirSync(dir, { recursive: true });
  const stale = generatedPages(dir).filter((p) => !written.has(p));
  for (const f of files) {
    const path = join(dir, ...f.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
  for (const p of stale) rmSync(p);
  const removed = stale.length ? `; removed ${stale.length} page(s) of alerts that no longer exist (${stale.map((p) => relative(dir, p).split(sep).join("/")).join(", ")})` : "";
  out(`wrote ${files.length} runbook pages into ${dir}${removed}; publish ${dir} at ${publishAt}`);
  return 0;
}
