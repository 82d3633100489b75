/**
 * Names and links shared by alerts and dashboards: dashboard uids, panel ids and the URLs alerts
 * carry in `dashboard_url` and `runbook_url`. Derived from names only, so they never change
 * between synths and links stay valid across releases.
 */
import { createHash } from "node:crypto";
import type { ServiceModel, SloModel } from "./model";

export type DashboardKind = "operational" | "quality" | "drift";
export const DASHBOARD_KINDS: readonly DashboardKind[] = ["operational", "quality", "drift"];

/** sha256 hex, memoized: every alert of every service asks for its dashboard's uid and panel id. */
const hashes = new Map<string, string>();
function hash(s: string): string {
  let h = hashes.get(s);
  if (h === undefined) {
    h = createHash("sha256").update(s).digest("hex");
    hashes.set(s, h);
  }
  return h;
}

/** Grafana uid (at most 40 characters): readable prefix plus a hash of service, environment and kind. */
export function dashboardUid(service: string, environment: string, kind: DashboardKind): string {
  const readable = `${service.slice(0, 20)}-${kind.slice(0, 4)}`;
  return `${readable}-${hash(`${service}/${environment}/${kind}`).slice(0, 12)}`;
}

/** Stable panel id for a panel key (e.g. `slo:query-latency`), so alert links can target a panel. */
export function panelId(key: string): number {
  return (parseInt(hash(key).slice(0, 8), 16) % 900000) + 100000;
}

/**
 * Keys of the detail panels the runbooks (runbooks/) send responders to, besides the panels the
 * alerts link themselves; the dashboards build these panels under these keys.
 */
export const PANEL = {
  endToEndLatency: "latency:end-to-end",
  stageLatency: "latency:stages",
  stageLatencyOf: (stage: string) => `latency:stage:${stage}`,
  modelCallLatency: "latency:model-calls",
  errorsByType: "errors:by-type",
  stageErrors: "errors:stages",
  requests: "throughput:requests",
  stageCalls: "throughput:stages",
  gpuUtilization: "saturation:gpu-utilization",
  gpuMemory: "saturation:gpu-memory",
  queue: "saturation:queue",
  memory: "saturation:memory",
  replicas: "saturation:replicas",
  cacheLookups: "cache:lookups",
  refusals: "quality:refusals",
  feedbackEvents: "quality:feedback-events",
  tokensPerRequest: "quality:tokens-per-request",
  evaluations: "headline:evaluations",
  scoreDistribution: (score: string) => `quality:score:${score}:distribution`,
  distribution: (level: "feature" | "output", name: string) => `drift:${level}:${name}`,
  defaultedFeatures: "drift:defaulted-features",
  schemaViolations: "drift:schema-violations",
} as const;

/** Keys of the quality dashboard's safety, retrieval and judge-calibration panels the runbooks cite besides the ones tickets link. */
export const GENAI_PANEL = {
  safetyEvents: "quality:safety:events",
  retrievalScores: "quality:retrieval:scores",
  judgeLabels: "quality:judge:labels",
} as const;

/** Keys of the operational dashboard's panels that cause alerts link to (the latency regression: end-to-end latency, with the stages beside it). */
export const CAUSE_PANEL = { saturation: "saturation", cache: "cache", latency: PANEL.endToEndLatency } as const;

/** Key of an SLO's burn-rate panel (`slo:<name>`): the panel its alerts link to. */
export const sloPanelKey = (slo: Pick<SloModel, "name">): string => `slo:${slo.name}`;

/** The dashboard an SLO's row sits on and its alerts link to: quality SLOs on the quality one. */
export const sloDashboard = (slo: Pick<SloModel, "sli">): DashboardKind => (slo.sli.kind === "quality" ? "quality" : "operational");

/**
 * Link to a dashboard (and optionally one panel). With no Grafana base URL (plain Prometheus users)
 * the link is root-relative, which Grafana-managed alerts resolve against their own server.
 */
export function dashboardUrl(
  grafanaUrl: string | undefined,
  service: string,
  environment: string,
  kind: DashboardKind,
  panelKey?: string,
): string {
  const base = (grafanaUrl ?? "").replace(/\/+$/, "");
  const panel = panelKey ? `?viewPanel=${panelId(panelKey)}` : "";
  return `${base}/d/${dashboardUid(service, environment, kind)}/${service}-${kind}${panel}`;
}

/** Where a `dashboardUrl` points: the dashboard uid and, when it targets one, the panel id. */
export interface DashboardTarget {
  readonly uid: string;
  readonly panelId?: string;
}

/** The inverse of `dashboardUrl`, whatever its base; undefined for a link of another form. */
export function dashboardTarget(url: string): DashboardTarget | undefined {
  const m = /\/d\/([^/?]+)\/[^?]*(?:\?viewPanel=(\d+))?/.exec(url);
  return m ? { uid: m[1], ...(m[2] !== undefined ? { panelId: m[2] } : {}) } : undefined;
}

/**
 * The last path segment of an alert's runbook URL: the alert name in kebab case
 * (`MlObsQueryLatencyErrorBudgetBurnFast` -> `ml-obs-query-latency-error-budget-burn-fast`).
 * `mlobs runbooks` writes the alert's page as `<slug>.md`, so the link and the file cannot disagree.
 */
export function runbookSlug(alertName: string): string {
  return alertName.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** Runbook link of an alert: `<runbookBaseUrl>/<runbookSlug(alert name)>`. */
export function runbookUrl(model: ServiceModel, alertName: string): string {
  return `${model.alerting.runbookBaseUrl}/${runbookSlug(alertName)}`;
}

/** Stable Grafana data-source uids per environment, shared by the Grafana stack and the dashboards. */
export const DATASOURCE_UID = {
  prometheus: (environment: string) => `mlobs-amp-${environment}`,
  cloudwatch: (environment: string) => `mlobs-cloudwatch-${environment}`,
  xray: (environment: string) => `mlobs-xray-${environment}`,
} as const;
