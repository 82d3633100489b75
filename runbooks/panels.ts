/**
 * The panels runbook pages link to, read from the service's generated dashboards (the same JSON
 * Grafana gets): a panel's title, its link and its PromQL with Grafana's variables filled in. A
 * page can therefore only cite a panel that exists, and its query is the panel's own.
 */
import { customDefaults, resolveVariables } from "../dashboards/queries";
import { dashboardUrl, panelId } from "../service/links";
import type { ServiceModel } from "../service/model";
import type { PanelRef } from "./playbook";

export interface ResolvedPanel {
  /** `<dashboard title> › <panel title>`. */
  readonly title: string;
  /** Absolute with a Grafana URL, else root-relative (`/d/<uid>/...`). */
  readonly url: string;
  /** The panel's queries, runnable outside Grafana (`$__rate_interval` as 5m, custom variables at their default, others as `.*`). */
  readonly queries: readonly string[];
}

interface PanelJson {
  readonly id?: number;
  readonly title?: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly panels?: readonly PanelJson[];
}

function byId(panels: readonly PanelJson[], into: Map<number, PanelJson>): Map<number, PanelJson> {
  for (const p of panels) {
    if (p.id !== undefined) into.set(p.id, p);
    byId(p.panels ?? [], into);
  }
  return into;
}

/** Where the panels of one service in one environment live. */
export interface PanelLinks {
  readonly environment: string;
  /** @default - root-relative links */
  readonly grafanaUrl?: string;
}

/** A generated dashboard as the generators and the Grafana construct hold it. */
export interface DashboardJson {
  readonly kind: string;
  readonly title: string;
  /** The dashboard model as JSON. */
  readonly json: string;
}

/** Resolves panel references of one service against its dashboards, indexed once, by key. */
export function panelResolver(model: ServiceModel, links: PanelLinks, generated: readonly DashboardJson[]): (ref: PanelRef) => ResolvedPanel {
  const dashboards = new Map<string, { title: string; panels: Map<number, PanelJson>; defaults: Record<string, string> }>();
  for (const d of generated) {
    const json = JSON.parse(d.json) as { panels?: readonly PanelJson[] };
    dashboards.set(d.kind, { title: d.title, panels: byId(json.panels ?? [], new Map()), defaults: customDefaults(d.json) });
  }
  // Pages of one service cite the same panels again and again (every burn alert its SLO's).
  const resolved = new Map<string, ResolvedPanel>();
  return (ref) => {
    const k = `${ref.dashboard}\u0000${ref.key}`;
    let r = resolved.get(k);
    if (r) return r;
    const d = dashboards.get(ref.dashboard);
    const p = d?.panels.get(panelId(ref.key));
    if (!d || !p) throw new Error(`internal: a runbook of ${model.name} links panel "${ref.key}", which the ${ref.dashboard} dashboard does not have`);
    r = {
      title: `${d.title} › ${p.title ?? ref.key}`,
      url: dashboardUrl(links.grafanaUrl, model.name, links.environment, ref.dashboard, ref.key),
      queries: (p.targets ?? []).flatMap((t) => (t.expr ? [resolveVariables(t.expr, undefined, d.defaults)] : [])),
    };
    resolved.set(k, r);
    return r;
  };
}
