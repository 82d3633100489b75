/**
 * The slow-burn ticket right after the rules are deployed (a new service, or an existing one
 * onboarded): its 1d and 3d windows sum hourly tiles, which then hold only the hours since. A long
 * window must hold at least its short window's span of tiles (2 for 1d/2h, 6 for 3d/6h), or a
 * single hour with a blip would read as a 1x burn over "3 days". Replayed on a real Prometheus with
 * each group at its own interval (the tiles once an hour), as in production.
 */
import { ALLOWED, DAY, replay, firingMinutes, traffic } from "./support/availabilityReplay";
import { promtoolMissing } from "./support/promtool";

const SLOW_BURN = "MlObsAvailabilityErrorBudgetBurnSlow";

const missing = promtoolMissing();
if (missing) console.warn(`SKIPPED slow-burn history tests: ${missing}`);
const withPrometheus = missing ? describe.skip : describe;

withPrometheus("the slow-burn ticket in the first hours of its rules", () => {
  it("does not open on a blip in the first hour, which alone spends more than the hour's share of the budget", async () => {
    // 1,000 requests a minute, 0.02 % failing, and 2 % for five minutes at minute 20: the first hour
    // fails 0.185 % (1.85x the allowance), the first 6 hours 0.047 %.
    const fired = firingMinutes(await replay(traffic(1, 1000, (t) => (t >= 20 && t < 25 ? 20 : 0.2) * ALLOWED), 1), SLOW_BURN);
    expect(fired).toEqual([]);
  }, 120_000);

  it("opens on a burn that lasts, once 6 hourly tiles back the 3-day window", async () => {
    // 1.5x the allowance from the start: the 1x-over-3d ticket's windows both hold it from the first tile on.
    const fired = firingMinutes(await replay(traffic(1, 1000, () => 1.5 * ALLOWED), 1), SLOW_BURN);
    expect(fired.length).toBeGreaterThan(0);
    expect(fired[0]).toBeGreaterThanOrEqual(6 * 60);
    expect(fired[0]).toBeLessThan(7 * 60);
    expect(fired[fired.length - 1]).toBe(DAY);
  }, 120_000);
});
