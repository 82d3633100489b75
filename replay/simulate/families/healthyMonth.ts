/**
 * Thirty days of healthy traffic (the daily cycle with noise, nothing wrong): every page and
 * ticket it raises is a false alarm. Every rule is evaluated every 5 minutes (pages every minute
 * in production; docs/simulate.md says what the coarser step can miss).
 */
import { healthyDay } from "../../scenarios/healthy";
import type { ScenarioFamily } from "../family";

/** Days of the healthy replay; counts are reported per 30 days. */
export const HEALTHY_DAYS = 30;

/** Healthy traffic for `days` (a shorter replay for tests; counts are scaled to 30 days). */
export function healthyFamily(days = HEALTHY_DAYS): ScenarioFamily {
  return {
    id: "healthy-month",
    skip: () => undefined,
    build: (model) => ({
      family: "healthy-month",
      healthy: true,
      scenario: { ...healthyDay(model, days, "5m"), id: "healthy-month" },
    }),
  };
}

export const healthyMonthFamily = healthyFamily();
