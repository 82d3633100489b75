/**
 * Dashboard JSON files for a CLI (`mlobs dashboards`): one file per service and dashboard kind,
 * `<service>/<kind>.json`, in the order the models are given, with a two-space indent (the
 * stacks carry the compact form). Pure: the caller writes them.
 */
import type { ServiceModel } from "../service/model";
import { serviceDashboards } from "./index";
import { readableDashboardJson } from "./json";

export interface DashboardFile {
  readonly path: string;
  readonly content: string;
}

export function dashboardFiles(models: readonly ServiceModel[], environment: string): DashboardFile[] {
  return models.flatMap((model) =>
    serviceDashboards(model, { environment }).map((d) => ({ path: `${model.name}/${d.kind}.json`, content: `${readableDashboardJson(d.json)}\n` })),
  );
}
