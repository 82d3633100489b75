/**
 * Names the generators write into the synthesized output and `mlobs lint` / `mlobs review` read
 * back: each format and its inverse sit side by side, so a writer and its readers cannot drift
 * apart. Service names never contain spaces or parentheses (descriptionSchema's NAME_PATTERN),
 * which keeps every format here unambiguous.
 */
import { createHash } from "node:crypto";

/** Grafana folder title of a service: `<service> (<team>)`, what people see in Grafana's folder list. */
export function folderTitle(service: string, team: string): string {
  return `${service} (${team})`;
}

/**
 * The service of a folder title written by `folderTitle`. A title in any other form (a folder made
 * by hand) is returned whole, as the best guess of what it holds.
 */
export function serviceOfFolderTitle(title: string): string {
  const open = title.indexOf(" (");
  return open > 0 && title.endsWith(")") ? title.slice(0, open) : title;
}

/** Resource tag stating a service's paging budget, so lint can judge synthesized output alone. */
export const PAGING_BUDGET_TAG = "paging-budget";

/** The `paging-budget` tag's value for a budget. */
export const pagingBudgetTagValue = (budget: number): string => String(budget);

/** The budget a `paging-budget` tag states; undefined unless it is a whole number. */
export function pagingBudgetOfTag(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Stack parts (`obs-<env>-<part>`, constructs/stackNames.ts stackId): the environment's platform
 * and shared Grafana stacks, and each service's AWS stack (`<service>`) and Grafana stack.
 */
export const PLATFORM_STACK_PART = "platform";
export const GRAFANA_STACK_PART = "grafana";
const GRAFANA_SUFFIX = "-grafana";

/** Part of a service's own Grafana stack: `<service>-grafana`. */
export const grafanaStackPart = (service: string): string => `${service}${GRAFANA_SUFFIX}`;

/** The service of a `grafanaStackPart` (`x-grafana` -> `x`); undefined for any other part. */
export function serviceOfGrafanaStackPart(part: string): string | undefined {
  return part.endsWith(GRAFANA_SUFFIX) ? part.slice(0, -GRAFANA_SUFFIX.length) : undefined;
}

/** Prefix of a service's log group names unless its construct is given another (`logGroupPrefix`). */
export const defaultLogGroupPrefix = (environment: string, service: string): string => `/observability/${environment}/${service}`;

/** A log tier's group name under a prefix: `<prefix>/<tier>`. */
export const logGroupName = (prefix: string, tier: string): string => `${prefix}/${tier}`;

/**
 * Folder of a Grafana stack (`cdktf.out/stacks/<stack>/runbooks/<service>/`) holding the runbook
 * page of each alert of a service the stack holds, `<slug>.md`: the synth writes it, `mlobs
 * review` reads it. One folder per service, since one stack may hold several services.
 */
export const RUNBOOKS_FOLDER = "runbooks";

/**
 * What the stack's `cdk.tf.json` states about each service's runbook pages (under `//`, which
 * Terraform ignores): how many and a digest of them all, so a changed page changes the stack's
 * bytes (review reads pages only of stacks whose bytes differ) and review can refuse pages that
 * are not the ones the synth wrote.
 */
export interface RunbookDigest {
  readonly pages: number;
  readonly sha256: string;
}

/** The digest of a service's pages, in slug order. */
export function runbookDigest(pages: readonly { readonly slug: string; readonly markdown: string }[]): RunbookDigest {
  const h = createHash("sha256");
  for (const p of [...pages].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))) h.update(`${p.slug}\n${p.markdown}\u0000`);
  return { pages: pages.length, sha256: h.digest("hex") };
}

/** Where `runbookDigest` sits in a stack's JSON: `//.runbooks.<service>`. */
export const RUNBOOK_DIGEST_PATH = ["//", RUNBOOKS_FOLDER] as const;
