/**
 * What the dashboard generators hand out, in types of their own: the package's public typings
 * reach these, and nothing here refers to the Grafana foundation SDK, whose subpath modules
 * TypeScript's default module resolution cannot find in a consumer's project.
 */
import type { DashboardKind } from "../service/links";

/** A generated dashboard: what `grafana_dashboard.config_json` receives, with its uid and title. */
export interface GeneratedDashboard {
  readonly kind: DashboardKind;
  readonly uid: string;
  readonly title: string;
  /** The dashboard model as JSON (see dashboardJson). */
  readonly json: string;
}

export interface DashboardContext {
  readonly environment: string;
}
