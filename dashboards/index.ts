/**
 * Dashboards as pure functions of the normalized model: the operational, quality and drift
 * dashboards of a service, as Grafana dashboard JSON (foundation SDK builders, fixed uids, panel
 * ids from stable keys). No cdktf, no I/O, no clock: the same model gives the same bytes.
 */
import type { ServiceModel } from "../service/model";
import type { DashboardContext, GeneratedDashboard } from "./generated";
import { driftDashboard } from "./drift";
import { operationalDashboard } from "./operational";
import { qualityDashboard } from "./quality";

export type { DashboardContext, GeneratedDashboard } from "./generated";
export { dashboardQueries, resolvedQueries } from "./queries";

/** The three dashboards of a service in one environment, in DASHBOARD_KINDS order. */
export function serviceDashboards(model: ServiceModel, ctx: DashboardContext): GeneratedDashboard[] {
  return [operationalDashboard(model, ctx), qualityDashboard(model, ctx), driftDashboard(model, ctx)];
}
