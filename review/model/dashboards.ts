/**
 * Dashboards of one environment read back from `grafana_dashboard.config_json`: panels (rows
 * flattened, nested panels of collapsed rows included) and their queries.
 */
import { arr, byString, canonical, obj, resourcesOf, str, type Json, type SynthOutput } from "../synthOutput";
import { serviceOfFolderTitle } from "../../service/names";
import { folderOf } from "./alerts";

export interface PanelQuery {
  readonly refId: string;
  readonly expr: string;
}

export interface PanelInfo {
  /** Identity across versions: the panel id, else its title. */
  readonly key: string;
  /** `Row › Panel title`. */
  readonly title: string;
  /** The panel's own title. */
  readonly name: string;
  /** Title of the row it sits in (rows themselves have none). */
  readonly row?: string;
  readonly type: string;
  readonly queries: readonly PanelQuery[];
  /** Threshold steps, e.g. `yellow 2.4, red 3` (empty when none). */
  readonly thresholds: string;
  /** Every other setting (description, options, field config) as stable JSON per key; position left out. */
  readonly settings: Readonly<Record<string, string>>;
}

const NOT_SETTINGS = new Set(["id", "title", "type", "targets", "gridPos", "panels"]);

function thresholdSteps(p: Json): string {
  const steps = arr(obj(obj(obj(p.fieldConfig).defaults).thresholds).steps);
  return steps
    .map((s) => obj(s))
    .filter((s) => typeof s.value === "number")
    .map((s) => `${str(s.color) ?? "?"} ${String(s.value)}`)
    .join(", ");
}

export interface DashboardInfo {
  readonly service: string;
  readonly uid: string;
  readonly title: string;
  readonly address: string;
  readonly panels: readonly PanelInfo[];
  /** Set when config_json does not parse. */
  readonly error?: string;
}

function panelQueries(p: Json): PanelQuery[] {
  return arr(p.targets).map((t, i) => {
    const o = obj(t);
    const expr = str(o.expr) ?? str(o.query) ?? str(o.expression) ?? str(o.rawSql) ?? JSON.stringify(o);
    return { refId: str(o.refId) ?? String.fromCharCode(65 + i), expr };
  });
}

function flattenPanels(panels: readonly unknown[]): PanelInfo[] {
  const out: PanelInfo[] = [];
  let row: string | undefined;
  const add = (p: Json, rowTitle: string | undefined) => {
    const title = str(p.title) ?? "(untitled)";
    out.push({
      key: p.id !== undefined ? `id:${String(p.id)}` : `title:${rowTitle ?? ""}/${title}`,
      title: rowTitle ? `${rowTitle} › ${title}` : title,
      name: title,
      ...(rowTitle !== undefined ? { row: rowTitle } : {}),
      type: str(p.type) ?? "panel",
      queries: panelQueries(p),
      thresholds: thresholdSteps(p),
      settings: Object.fromEntries(
        Object.keys(p)
          .filter((k) => !NOT_SETTINGS.has(k))
          .sort(byString)
          .map((k) => [k, canonical(p[k])]),
      ),
    });
  };
  for (const x of panels) {
    const p = obj(x);
    if (str(p.type) === "row") {
      add(p, undefined);
      row = str(p.title) ?? "(untitled)";
      for (const nested of arr(p.panels)) add(obj(nested), row);
      continue;
    }
    add(p, row);
  }
  return out;
}

/** Every dashboard of an environment, sorted by service and title. `services` helps attribute them. */
export function dashboardsOf(output: SynthOutput, environment: string, services: ReadonlySet<string>): DashboardInfo[] {
  const out: DashboardInfo[] = [];
  for (const stack of output.stacks.filter((s) => s.environment === environment && s.kind === "grafana")) {
    const folderTitles = new Map(resourcesOf(stack, "grafana_folder").map((f) => [f.name, str(f.body.title) ?? f.name]));
    for (const r of resourcesOf(stack, "grafana_dashboard")) {
      const address = `${stack.name}: ${r.address}`;
      const folderTitle = folderTitles.get(folderOf(r.body) ?? "");
      let config: Json;
      try {
        config = obj(JSON.parse(str(r.body.config_json) ?? "{}"));
      } catch (e) {
        out.push({ service: folderTitle ?? "(environment-wide)", uid: r.name, title: r.name, address, panels: [], error: (e as Error).message });
        continue;
      }
      const tags = arr(config.tags).filter((t): t is string => typeof t === "string");
      const service =
        tags.find((t) => services.has(t)) ?? (folderTitle ? serviceOfFolderTitle(folderTitle) : undefined) ?? "(environment-wide)";
      out.push({
        service,
        uid: str(config.uid) ?? r.name,
        title: str(config.title) ?? r.name,
        address,
        panels: flattenPanels(arr(config.panels)),
      });
    }
  }
  return out.sort((a, b) => byString(`${a.service}\u0000${a.title}\u0000${a.uid}`, `${b.service}\u0000${b.title}\u0000${b.uid}`));
}
