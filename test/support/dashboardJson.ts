/**
 * Shared by the dashboard tests (test/dashboards*.test.ts): the example services and the shape
 * of the generated dashboard JSON they read.
 */
import { join } from "node:path";
import type { GeneratedDashboard } from "../../dashboards";
import { loadServicesFile } from "../../service/load";

export const rag = loadServicesFile(join(__dirname, "../../examples/rag-assistant.yaml"))[0];
export const fraud = loadServicesFile(join(__dirname, "../../examples/fraud-scoring.yaml"))[0];
export const ctx = { environment: "prod" };

export interface PanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: unknown;
  targets?: { expr: string; datasource?: unknown }[];
  fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null; color: string }[] } } };
  panels?: PanelJson[];
}
export interface DashboardJson {
  uid: string;
  panels: PanelJson[];
  templating: { list: { name: string; type: string; label?: string; current?: { value: string }; datasource?: unknown; query?: string }[] };
  annotations: { list: { name: string; datasource: unknown; expr?: string }[] };
}
export const parse = (d: GeneratedDashboard) => JSON.parse(d.json) as DashboardJson;
export const allPanels = (j: DashboardJson): PanelJson[] => j.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
/** Panels before the first row: the headline. */
export const headline = (j: DashboardJson) => j.panels.slice(0, j.panels.findIndex((p) => p.type === "row"));
