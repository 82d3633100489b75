/**
 * Silent degradation after a release of the fraud-scoring model endpoint: model version v2 stops
 * reading `merchant_risk_score` from the feature store for 30% of requests (they are scored with
 * the default) and its accuracy on labelled transactions falls from 92% to 84%. Every request
 * still answers 200 within the latency SLO: uptime stays green.
 *
 * What the stack must do: ticket the missing feature and the accuracy of v2 (not of v1) within the
 * hour, and page nobody (no symptom a user waits on).
 */
import type { ServiceModel } from "../../service/model";
import { scoreBelowTarget, signalAlert, forecastAlert, sloAlert } from "../alertNames";
import { SIGNAL_ALERT } from "../../alerts/signalNames";
import { healthyVersion } from "../healthy";
import type { Scenario } from "../scenario";

export const RELEASED_VERSION = "v2";
const FEATURE = "merchant_risk_score";

export function silentRelease(fraud: ServiceModel): Scenario {
  if (!fraud.drift.features.some((f) => f.name === FEATURE)) throw new Error(`${fraud.name} declares no drift feature ${FEATURE}`);
  const accuracy = fraud.quality.scores[0];
  const v2 = { ...healthyVersion(fraud, RELEASED_VERSION), goodShare: { [accuracy.name]: 0.84 } };
  return {
    id: "silent-release",
    title: `Release ${RELEASED_VERSION} stops sending ${FEATURE} for 30% of requests and its ${accuracy.name} drops from 92% to 84%, while every request succeeds`,
    service: fraud,
    leadInMinutes: 120,
    incidentMinutes: 180,
    incident: (state) => ({
      ...state,
      versions: [v2],
      features: { ...state.features, [FEATURE]: { ...state.features[FEATURE], missingShare: 0.3, defaultedShare: 0.3 } },
    }),
    evaluationInterval: "1m",
    fires: [
      {
        alert: signalAlert(fraud, SIGNAL_ALERT.featureMissing),
        severity: "ticket",
        labels: { feature: FEATURE },
        firingBy: 60,
        why: "30% of requests miss the feature, far over the 0.5% limit, over both 1h and 5m",
      },
      {
        alert: scoreBelowTarget(fraud, accuracy.name),
        severity: "ticket",
        labels: { model_version: RELEASED_VERSION },
        firingBy: 60,
        why: `${RELEASED_VERSION}'s accuracy (84%) is under the 90% target from its first hour`,
      },
    ],
    mayFire: [
      {
        alert: sloAlert(fraud, accuracy.name, "burnSlow"),
        severity: "ticket",
        why:
          "16% wrong against a 10% budget is a 1.6x burn: it crosses 1x over 6h within hours, and over 3d within hours too because " +
          "the replay's 3d window holds only its 5 hours (with three days of history it would take about 18 hours)",
      },
      {
        alert: forecastAlert(fraud, accuracy.name),
        severity: "ticket",
        why: "16% wrong against a 10% budget breaks the SLO from the first hour: at that burn the budget left is gone within days",
      },
    ],
    target: { ticketWithinMinutes: 60, text: "missing feature and quality drop ticketed within 1 hour" },
  };
}
