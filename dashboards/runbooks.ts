/**
 * Runbook links for headline actions: the runbook of the alert that fires when the headline goes
 * red, so the dashboard and the alert send the responder to the same page. Alert names are built
 * the way alerts/ builds them (`makeAlert` via `alertName`, signal tickets via `signalAlertName`);
 * the dashboards test checks each link against the generated alerts.
 */
import { alertName } from "../alerts/conventions";
import { signalAlertName } from "../alerts/signalNames";
import { runbookUrl } from "../service/links";
import type { ServiceModel, SloModel } from "../service/model";

/** Name parts of the SLO and cause alerts (alerts/sloRules.ts, alerts/causeAlerts.ts). */
const SLO_ALERT = { burnFast: "error-budget-burn-fast", absent: "sli-absent" } as const;
export const CAUSE_ALERT = { memoryGrowth: "memory-growth", gpuSaturated: "gpu-saturated", cacheCollapse: "cache-hit-collapse" } as const;

export const sloBurnRunbook = (model: ServiceModel, slo: SloModel) => runbookUrl(model, alertName(slo.name, SLO_ALERT.burnFast));
export const sloAbsentRunbook = (model: ServiceModel, slo: SloModel) => runbookUrl(model, alertName(slo.name, SLO_ALERT.absent));
export const causeRunbook = (model: ServiceModel, cause: string) => runbookUrl(model, alertName(cause));
export const signalRunbook = (model: ServiceModel, parts: readonly string[]) => runbookUrl(model, signalAlertName(model.name, parts));

/** The action sentence of a headline: `If red: <what>; runbook <url>.` */
export function ifRed(what: string, runbook?: string): string {
  return `If red: ${what}${runbook ? `; runbook ${runbook}` : ""}.`;
}
