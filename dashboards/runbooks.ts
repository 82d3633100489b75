/**
 * Runbook links for headline actions: the runbook of the alert that fires when the headline goes
 * red, so the dashboard and the alert send the responder to the same page. Alert names are built
 * the way alerts/ builds them (`makeAlert` via `alertName`, signal tickets via `signalAlertName`);
 * the dashboards test checks each link against the generated alerts.
 */
import { CAUSE_ALERT } from "../alerts/causeAlerts";
import { alertName } from "../alerts/conventions";
import { SLO_ALERT } from "../alerts/sloRules";
import { signalAlertName } from "../alerts/signalNames";
import { runbookUrl } from "../service/links";
import type { ServiceModel, SloModel } from "../service/model";

export { CAUSE_ALERT };

export const sloBurnRunbook = (model: ServiceModel, slo: SloModel) => runbookUrl(model, alertName(slo.name, SLO_ALERT.burnFast));
export const sloAbsentRunbook = (model: ServiceModel, slo: SloModel) => runbookUrl(model, alertName(slo.name, SLO_ALERT.absent));
export const causeRunbook = (model: ServiceModel, cause: string) => runbookUrl(model, alertName(cause));
export const signalRunbook = (model: ServiceModel, parts: readonly string[]) => runbookUrl(model, signalAlertName(model.name, parts));

/** The action sentence of a headline: `If red: <what>; runbook <url>.` */
export function ifRed(what: string, runbook?: string): string {
  return `If red: ${what}${runbook ? `; runbook ${runbook}` : ""}.`;
}
