/**
 * Turns a dashboard plan (headline panels, then sections of detail panels, in screen order) into
 * Grafana dashboard JSON with the foundation SDK's DashboardBuilder: fixed uid, ids from panel
 * keys, the shared variables and release annotation, links to the service's other dashboards.
 */
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
  type Dashboard,
  type Panel,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARD_KINDS, dashboardUid, dashboardUrl, panelId, type DashboardKind } from "../service/links";
import type { ServiceModel } from "../service/model";
import { dashboardJson } from "./json";
import { GRID_COLUMNS, packWidths } from "./layout";
import { HEIGHT, type PanelSpec, type Section } from "./presets";
import type { DashboardContext, GeneratedDashboard } from "./generated";
import { hasSlices, sliceVariable } from "./slices";
import { datasourceVariable, hasModelVariable, modelVariable, releaseAnnotation } from "./variables";

export type { DashboardContext, GeneratedDashboard } from "./generated";

export interface DashboardPlan {
  readonly kind: DashboardKind;
  /** What the dashboard answers, shown under its title. */
  readonly description: string;
  /** Start of the default time range, e.g. `now-6h`. */
  readonly from: string;
  /** 3 to 5 stat panels that open the dashboard. */
  readonly headline: readonly PanelSpec[];
  /** Detail rows in screen order; empty ones are left out. */
  readonly sections: readonly Section[];
}

const KIND_TITLE: Record<DashboardKind, string> = { operational: "Operational", quality: "Quality", drift: "Drift" };

export const rowKey = (section: Section) => `row:${section.key}`;

function place(builder: DashboardBuilder, specs: readonly PanelSpec[], height: number): void {
  const widths = packWidths(specs);
  specs.forEach((s, i) => {
    s.panel.id(panelId(s.key));
    s.panel.span(widths[i]);
    s.panel.height(s.height ?? height);
    builder.withPanel(s.panel);
  });
}

export function assemble(model: ServiceModel, ctx: DashboardContext, plan: DashboardPlan): GeneratedDashboard {
  const uid = dashboardUid(model.name, ctx.environment, plan.kind);
  const title = `${model.name} ${KIND_TITLE[plan.kind]} (${ctx.environment})`;
  const builder = new DashboardBuilder(title)
    .uid(uid)
    .description(plan.description)
    .tags(["mlobs", model.name, plan.kind, `team:${model.team}`])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: plan.from, to: "now" })
    .refresh("1m")
    .timezone("utc");

  builder.withVariable(datasourceVariable(ctx.environment));
  if (hasModelVariable(model)) builder.withVariable(modelVariable(model));
  // Drift panels compare feature distributions, not traffic: they have nothing to split.
  if (hasSlices(model) && plan.kind !== "drift") builder.withVariable(sliceVariable(model));
  const release = releaseAnnotation(model);
  if (release) builder.annotation(release);
  for (const other of DASHBOARD_KINDS.filter((k) => k !== plan.kind))
    builder.link(
      new DashboardLinkBuilder(`${KIND_TITLE[other]} dashboard`)
        .type(DashboardLinkType.Link)
        .url(dashboardUrl(undefined, model.name, ctx.environment, other))
        .includeVars(true)
        .keepTime(true),
    );

  place(builder, plan.headline, HEIGHT.headline);
  for (const section of plan.sections.filter((s) => s.panels.length > 0)) {
    builder.withRow(new RowBuilder(section.title).id(panelId(rowKey(section))));
    place(builder, section.panels, HEIGHT.detail);
  }
  const dashboard = builder.build();
  checkPanels(dashboard, title);
  return { kind: plan.kind, uid, title, json: dashboardJson(dashboard) };
}

/** Internal consistency: unique ids (keys must not collide) and every panel inside the grid. */
function checkPanels(dashboard: Dashboard, title: string): void {
  const seen = new Map<number, string>();
  for (const p of (dashboard.panels ?? []) as Panel[]) {
    const name = p.title ?? "";
    if (p.id === undefined) throw new Error(`internal: panel "${name}" of ${title} has no id`);
    const other = seen.get(p.id);
    if (other !== undefined) throw new Error(`internal: panels "${other}" and "${name}" of ${title} share id ${p.id}; rename a panel key`);
    seen.set(p.id, name);
    const g = p.gridPos;
    if (!g || g.x + g.w > GRID_COLUMNS) throw new Error(`internal: panel "${name}" of ${title} does not fit the ${GRID_COLUMNS}-column grid`);
  }
}
