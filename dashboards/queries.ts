/**
 * Every PromQL expression of a generated dashboard: panel queries, the template variables' series
 * and the annotation queries. Tests parse and check them; an incident-replay harness runs them
 * against a real Prometheus after `resolveVariables`.
 */
import type { GeneratedDashboard } from "./generated";

export interface DashboardQuery {
  /** Where the query sits: the panel title, `variable $<name>` or `annotation <name>`. */
  readonly panel: string;
  readonly expr: string;
}

interface PanelJson {
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly panels?: readonly PanelJson[];
}
interface DashboardJson {
  readonly panels?: readonly PanelJson[];
  readonly templating?: {
    readonly list?: readonly { readonly name: string; readonly type: string; readonly query?: unknown; readonly current?: { readonly value?: unknown } }[];
  };
  readonly annotations?: { readonly list?: readonly { readonly name: string; readonly expr?: string }[] };
}

/** The series selector inside Grafana's `label_values(<selector>, <label>)`. */
const LABEL_VALUES = /^label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$/s;

function panelQueries(panels: readonly PanelJson[]): DashboardQuery[] {
  return panels.flatMap((p) => [
    ...(p.targets ?? []).filter((t) => t.expr).map((t) => ({ panel: p.title ?? "", expr: t.expr as string })),
    ...panelQueries(p.panels ?? []),
  ]);
}

export function dashboardQueries(d: GeneratedDashboard): DashboardQuery[] {
  const json = JSON.parse(d.json) as DashboardJson;
  const variables = (json.templating?.list ?? [])
    .filter((v) => v.type === "query" && typeof v.query === "string")
    .map((v) => {
      const m = LABEL_VALUES.exec(v.query as string);
      return { panel: `variable $${v.name}`, expr: m ? m[1] : (v.query as string) };
    });
  const annotations = (json.annotations?.list ?? []).filter((a) => a.expr).map((a) => ({ panel: `annotation ${a.name}`, expr: a.expr as string }));
  return [...panelQueries(json.panels ?? []), ...variables, ...annotations];
}

/** A custom variable's values as Grafana reads its query: comma-separated `text : value` pairs (or bare values). */
function customValues(query: string): string[] {
  return (query.match(/(?:\\,|[^,])+/g) ?? []).map((o) => {
    const [text, value] = o.trim().split(" : ");
    return (value ?? text).trim();
  });
}

/** The value each custom variable of a dashboard (JSON) opens with, e.g. `{ slice: "job" }` (the "none" option). */
export function customDefaults(dashboardJson: string): Record<string, string> {
  const json = JSON.parse(dashboardJson) as DashboardJson;
  return Object.fromEntries(
    (json.templating?.list ?? []).flatMap((v) => (v.type === "custom" && typeof v.current?.value === "string" ? [[v.name, v.current.value]] : [])),
  );
}

/**
 * Every assignment of values to the custom variables `expr` uses (e.g. `$slice`), one per
 * combination; `[{}]` when it uses none. Custom variables land unquoted in PromQL (a label name
 * in `sum by (...)`), so each value must give valid PromQL on its own: tests run every variant.
 */
export function customVariants(d: GeneratedDashboard, expr: string): Record<string, string>[] {
  const json = JSON.parse(d.json) as DashboardJson;
  let variants: Record<string, string>[] = [{}];
  for (const v of json.templating?.list ?? []) {
    if (v.type !== "custom" || typeof v.query !== "string" || !new RegExp(`\\$(\\{${v.name}\\}|${v.name}\\b)`).test(expr)) continue;
    const values = customValues(v.query);
    variants = variants.flatMap((a) => values.map((value) => ({ ...a, [v.name]: value })));
  }
  return variants;
}

/**
 * Replaces Grafana's variables with values Prometheus accepts: `$__rate_interval` (and other
 * `$__` intervals) with `rateInterval`, any other `$name` or `${name}` with `values[name]`, or
 * `.*` (what "All" means in a regex matcher).
 */
export function resolveVariables(expr: string, rateInterval = "5m", values: Readonly<Record<string, string>> = {}): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, rateInterval)
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => values[(a ?? b) as string] ?? ".*");
}

/**
 * Every query of a dashboard ready for Prometheus: variables resolved, and a query using a custom
 * variable once per value of it (its panel named with the value, `Error ratio [slice=region]`).
 */
export function resolvedQueries(d: GeneratedDashboard, rateInterval = "5m"): DashboardQuery[] {
  return dashboardQueries(d).flatMap((q) =>
    customVariants(d, q.expr).map((values) => {
      const named = Object.entries(values).map(([k, v]) => `${k}=${v}`);
      return { panel: named.length > 0 ? `${q.panel} [${named.join(", ")}]` : q.panel, expr: resolveVariables(q.expr, rateInterval, values) };
    }),
  );
}
