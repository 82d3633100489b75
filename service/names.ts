/**
 * Names the generators write into the synthesized output and `mlobs lint` / `mlobs review` read
 * back: each format and its inverse sit side by side, so a writer and its readers cannot drift
 * apart. Service names never contain spaces or parentheses (descriptionSchema's NAME_PATTERN),
 * which keeps every format here unambiguous.
 */

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
