/**
 * Alert names as the alert modules build them (`MlObs` + CamelCase parts), so scenarios never
 * spell an alert name by hand.
 */
import { CAUSE_ALERT } from "../alerts/causeAlerts";
import { alertName } from "../alerts/conventions";
import { EARLY_WARNING_ALERT } from "../alerts/earlyWarning";
import { SIGNAL_ALERT, signalAlertName } from "../alerts/signalNames";
import { SLO_ALERT } from "../alerts/sloRules";
import type { ServiceModel } from "../service/model";

/** `MlObs<Slo>ErrorBudgetBurnFast` (page), `…BurnSlow` (ticket), `…SliAbsent` (ticket). */
export const sloAlert = (model: ServiceModel, slo: string, which: keyof typeof SLO_ALERT): string => {
  if (!model.slos.some((s) => s.name === slo)) throw new Error(`${model.name} has no SLO "${slo}"`);
  return alertName(slo, SLO_ALERT[which]);
};

/** `MlObsMemoryGrowth`, `MlObsCacheHitCollapse`, … (tickets). */
export const causeAlert = (which: keyof typeof CAUSE_ALERT): string => alertName(CAUSE_ALERT[which]);

/** `MlObs<Service><Signal>` tickets, e.g. `MlObsFraudScoringFeatureMissing`. */
export const signalAlert = (model: ServiceModel, parts: readonly string[]): string => signalAlertName(model.name, parts);

export const scoreBelowTarget = (model: ServiceModel, score: string): string => {
  if (!model.quality.scores.some((s) => s.name === score)) throw new Error(`${model.name} declares no score "${score}"`);
  return signalAlertName(model.name, SIGNAL_ALERT.scoreBelowTarget(score));
};

/** `MlObs<Slo>ErrorBudgetForecast` (ticket). */
export const forecastAlert = (model: ServiceModel, slo: string): string => {
  if (!model.slos.some((s) => s.name === slo)) throw new Error(`${model.name} has no SLO "${slo}"`);
  return alertName(slo, EARLY_WARNING_ALERT.budgetForecast);
};

/** `MlObs<Service>LatencyRegression` (ticket). */
export const latencyRegressionAlert = (model: ServiceModel): string => alertName(model.name, EARLY_WARNING_ALERT.latencyRegression);
