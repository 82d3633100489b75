/**
 * Error bursts, as in replay/scenarios/errorBursts.ts but on any service: a sharp one (30% of
 * requests fail for ten minutes, the kind that must page within five) and one that spends 2% of
 * the availability SLO's 30-day budget in one hour (14.4 times the budgeted error share).
 */
import type { ServiceModel } from "../../../service/model";
import { failing } from "../../scenarios/errorBursts";
import { measured, type ScenarioFamily } from "../family";

const LEAD_IN = 3 * 60;


const availability = (model: ServiceModel) => model.slos.find((s) => s.sli.kind === "availability");

const sharp: ScenarioFamily = {
  id: "error-burst-sharp",
  skip: () => undefined,
  build: (model) => ({
    family: "error-burst-sharp",
    healthy: false,
    impact: { minute: 0, what: "30% of requests fail" },
    scenario: measured({
      id: "error-burst-sharp",
      title: "For ten minutes 30% of requests fail",
      service: model,
      leadInMinutes: LEAD_IN,
      incidentMinutes: 60,
      incident: (state, t) => (t < 10 ? failing(state, 0.3) : state),
      evaluationInterval: "1m",
    }),
  }),
};

const budgetHour: ScenarioFamily = {
  id: "error-burst-budget-hour",
  skip: (model) => (availability(model) ? undefined : "declares no availability SLO (the burst is sized from its objective)"),
  build: (model) => {
    const burn = 14.4 * (1 - availability(model)!.objective);
    return {
      family: "error-burst-budget-hour",
      healthy: false,
      scenario: measured({
        id: "error-burst-budget-hour",
        title: `For one hour ${(burn * 100).toFixed(2)}% of requests fail: 2% of the 30-day error budget spent in that hour`,
        service: model,
        leadInMinutes: LEAD_IN,
        incidentMinutes: 120,
        incident: (state, t) => (t < 60 ? failing(state, burn) : state),
        evaluationInterval: "1m",
      }),
    };
  },
};

export const burstFamilies: readonly ScenarioFamily[] = [sharp, budgetHour];
