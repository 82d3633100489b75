/**
 * Healthy traffic: the daily cycle with noise and nothing wrong. No alert may fire, at any time.
 * The benchmark also replays 30 healthy days through the paging rules to count false pages.
 */
import type { ServiceModel } from "../../service/model";
import { MINUTES_PER_DAY } from "../healthy";
import type { Scenario } from "../scenario";

export function healthyDay(model: ServiceModel, days = 1, evaluationInterval: "1m" | "5m" = "5m"): Scenario {
  return {
    id: `healthy-${model.name}`,
    title: `${days === 1 ? "A day" : `${days} days`} of healthy traffic with a daily cycle and noise`,
    service: model,
    leadInMinutes: 0,
    incidentMinutes: days * MINUTES_PER_DAY,
    incident: (state) => state,
    evaluationInterval,
    fires: [],
    mayFire: [],
  };
}
