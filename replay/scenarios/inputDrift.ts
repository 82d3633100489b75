/**
 * Input drift on the fraud-scoring endpoint: a new merchant segment brings larger transactions,
 * so `amount_usd` moves two bins up for most requests (PSI against its pinned training shares well
 * above 0.2), and the model, trained on the old mix, gets worse by the day: accuracy on labelled
 * transactions slides from 92% to 78% over two days.
 *
 * What the stack must do: ticket the drift within the hour (long before accuracy says anything),
 * ticket accuracy once it falls under its 90% target, and ticket the accuracy SLO's slow burn.
 * Accuracy cannot page: a 90% objective leaves a 10% budget, and 14.4x of it is over 100%.
 */
import type { ServiceModel } from "../../service/model";
import { SIGNAL_ALERT } from "../../alerts/signalNames";
import { scoreBelowTarget, signalAlert, forecastAlert, sloAlert } from "../alertNames";
import { mixShares, psi, shiftShares } from "../distributions";
import { MINUTES_PER_DAY } from "../healthy";
import type { Scenario } from "../scenario";

const FEATURE = "amount_usd";
const DECLINE_MINUTES = 2 * MINUTES_PER_DAY;
const ACCURACY = { before: 0.92, after: 0.78 };

/** `amount_usd` shares after the shift: 70% of transactions two bins larger than in training. */
export function driftedShares(fraud: ServiceModel): number[] {
  const f = fraud.drift.features.find((x) => x.name === FEATURE);
  if (!f?.baselineFractions) throw new Error(`${fraud.name} declares no pinned baseline for ${FEATURE}`);
  return mixShares(f.baselineFractions, shiftShares(f.baselineFractions, 2), 0.7);
}

export function inputDrift(fraud: ServiceModel): Scenario {
  const accuracy = fraud.quality.scores[0];
  const shifted = driftedShares(fraud);
  const baseline = fraud.drift.features.find((x) => x.name === FEATURE)!.baselineFractions!;
  return {
    id: "input-drift",
    title: `${FEATURE} shifts to larger transactions (PSI ${psi(shifted, baseline).toFixed(2)} against training) and ${accuracy.name} slides from 92% to 78% over two days`,
    service: fraud,
    leadInMinutes: 120,
    incidentMinutes: DECLINE_MINUTES,
    incident: (state, t) => {
      const good = ACCURACY.before + (ACCURACY.after - ACCURACY.before) * Math.min(1, t / DECLINE_MINUTES);
      return {
        ...state,
        features: { ...state.features, [FEATURE]: { ...state.features[FEATURE], shares: shifted } },
        versions: state.versions.map((v) => ({ ...v, goodShare: { ...v.goodShare, [accuracy.name]: good } })),
      };
    },
    evaluationInterval: "5m",
    fires: [
      {
        alert: signalAlert(fraud, SIGNAL_ALERT.featureDrift),
        severity: "ticket",
        labels: { feature: FEATURE },
        firingBy: 75,
        why:
          "PSI over the 1h window passes 0.2 once about half the window holds the new mix (PSI grows with the square of the shifted share), " +
          "then holds for the ticket's 30 minutes: about an hour",
      },
      {
        alert: scoreBelowTarget(fraud, accuracy.name),
        severity: "ticket",
        labels: { model_version: "v1" },
        firingBy: 10 * 60,
        notBefore: 5 * 60,
        why:
          "accuracy passes under 90% about 7 hours in; the ticket also needs the hour's wrong predictions past the target by more than counting noise " +
          "(about half a point at 18,000 evaluations an hour, 1.5 hours of this slide), and the 30-minute hold adds the rest",
      },
      {
        alert: sloAlert(fraud, accuracy.name, "burnSlow"),
        severity: "ticket",
        firingBy: 20 * 60,
        why: "wrong predictions pass the 10% budget over 6h and over the replay's history (its 3d window)",
      },
    ],
    mayFire: [
      {
        alert: forecastAlert(fraud, accuracy.name),
        severity: "ticket",
        why: "the accuracy slide is the creep the budget forecast is for: it may ticket as soon as the slide spends the budget fast",
      },
    ],
    target: { ticketWithinMinutes: 60, text: "drift ticketed within 1 hour" },
  };
}
