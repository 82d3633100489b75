/**
 * The budget forecast's day-over-day share on a real Prometheus (the range evaluator of
 * replay/simulate): the last day's error ratio, blips cut, against the day before's. It tickets a
 * rise that the 6-hour medians cannot see yet, does not count blips as a rise, and keeps a steady
 * SLI's ratio as it is. The creeps it was built for are the early-warning families
 * (docs/detection.md, `npm run bench:detection`).
 */
import { SLO_RULE } from "../alerts/conventions";
import { EARLY_WARNING } from "../alerts/earlyWarning";
import type { RangeEvaluation } from "../replay/simulate/rangeEval";
import { ALLOWED, DAY, STEP, firingMinutes as firing, replay, traffic } from "./support/availabilityReplay";
import { promtoolMissing } from "./support/promtool";

const ALERT = "MlObsAvailabilityErrorBudgetForecast";

/** The recorded availability series `name` at each step (NaN where it has no value). */
function recorded(r: RangeEvaluation, name: string, days: number): Float64Array {
  const out = new Float64Array((days * DAY) / STEP + 1).fill(NaN);
  const s = (r.recorded.get(name) ?? []).find((x) => x.labels.slo === "availability");
  for (const [t, v] of s?.values ?? []) out[Math.round(t / 60 / STEP)] = v;
  return out;
}

/** Minutes since the start at which the forecast fired. */
const firingMinutes = (r: RangeEvaluation) => firing(r, ALERT);

/** The last day's ratio against the day before's at step `i`, in standard errors of their difference. */
function dayOverDayZ(ratio: Float64Array, events: Float64Array, i: number): number {
  const j = i - DAY / STEP;
  return (ratio[i] - ratio[j]) / Math.sqrt(ratio[i] / events[i] + ratio[j] / events[j]);
}

const missing = promtoolMissing();
if (missing) console.warn(`SKIPPED day-over-day share tests: ${missing}`);
const withPrometheus = missing ? describe.skip : describe;

withPrometheus("the budget forecast's day-over-day share", () => {
  it("tickets errors that doubled since yesterday while the 6-hour medians still see them under a third of the allowance", async () => {
    // 1,000 requests a minute; 0.015 % fail for two days, then 0.03 % (a bad release): 30 % of the
    // allowance, under the trend's floor of a third, and 2x a day compounds past it within days.
    const days = 3;
    const r = await replay(
      traffic(days, 1000, (t) => (t < 2 * DAY ? 0.15 : 0.3) * ALLOWED),
      days,
    );
    const fired = firingMinutes(r);
    expect(fired.length).toBeGreaterThan(0);
    // Not before the rise; within the day of it (its hold is 2 h).
    expect(fired[0]).toBeGreaterThan(2 * DAY + 120);
    expect(fired[0]).toBeLessThan(3 * DAY - 60);
    // The capped ratio is the SLI's own: a sustained rise is not cut.
    const capped = recorded(r, SLO_RULE.errorRatioCapped1d, days);
    const raw = recorded(r, SLO_RULE.errorRatio("1d"), days);
    const end = (days * DAY) / STEP;
    expect(capped[end] / raw[end]).toBeGreaterThan(0.98);
    expect(capped[end] / raw[end]).toBeLessThan(1.02);
  }, 120_000);

  it("does not read a day of blips as a rise: each 5 minutes counts at most what the ratio's level makes likely", async () => {
    // 25 % of the allowance every day; on the third day, three 5-minute blips at 20x the allowance
    // (the healthy months' blips, on a day after two days without).
    const days = 3;
    const blip = (t: number) => t >= 2 * DAY && [9 * 60, 13 * 60, 19 * 60].some((m) => t - 2 * DAY >= m && t - 2 * DAY < m + 5);
    const r = await replay(
      traffic(days, 1000, (t) => (blip(t) ? 20 : 0.25) * ALLOWED),
      days,
    );
    const end = (days * DAY) / STEP;
    const raw = recorded(r, SLO_RULE.errorRatio("1d"), days);
    const capped = recorded(r, SLO_RULE.errorRatioCapped1d, days);
    const events = recorded(r, SLO_RULE.totalEvents1d, days);
    // Counted whole, the blips make the last day look like a rise far past the significance asked,
    // and one that compounds past the allowance within days ...
    expect(dayOverDayZ(raw, events, end)).toBeGreaterThan(1.5 * EARLY_WARNING.dayShareSignificance);
    expect(raw[end] * (raw[end] / raw[end - DAY / STEP]) ** EARLY_WARNING.trendHorizonDays).toBeGreaterThan(ALLOWED);
    // ... capped, they are well under it (about as far as healthy months' days go), and nothing is ticketed.
    expect(dayOverDayZ(capped, events, end)).toBeLessThan(0.6 * EARLY_WARNING.dayShareSignificance);
    expect(firingMinutes(r)).toEqual([]);
  }, 120_000);

  it("does not ticket errors that rise every weekend once a week of history shows them, and still tickets a rise against the same day last week", async () => {
    // Day 0 is a Monday. Weekdays fail at 20 % of the allowance, Saturdays and Sundays at 40 %.
    const weekend = (t: number) => Math.floor(t / DAY) % 7 >= 5;
    const seasonal = (t: number) => (weekend(t) ? 0.4 : 0.2) * ALLOWED;
    const days = 14;
    const fired = firingMinutes(await replay(traffic(days, 1000, seasonal), days));
    // The first Saturday is a rise on Friday and nothing yet says it comes back every week: a ticket.
    expect(fired.length).toBeGreaterThan(0);
    expect(Math.floor(fired[0] / DAY)).toBe(5);
    // The second weekend is no higher than the first: no ticket.
    expect(fired.filter((t) => t >= 7 * DAY)).toEqual([]);
    // The same week, but from the second Wednesday on, weekdays fail at 40 % too: a rise against
    // yesterday and against last Wednesday, ticketed that day.
    const released = (t: number) => (t >= 9 * DAY ? 0.4 * ALLOWED : seasonal(t));
    const after = firingMinutes(await replay(traffic(10, 1000, released), 10)).filter((t) => t >= 7 * DAY);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.floor(after[0] / DAY)).toBe(9);
  }, 180_000);

  it("keeps a steady SLI's ratio and a clean one at 0 (not NaN), and tickets neither", async () => {
    const days = 3;
    for (const share of [0.25 * ALLOWED, 0]) {
      const r = await replay(traffic(days, 1000, () => share), days);
      const end = (days * DAY) / STEP;
      const capped = recorded(r, SLO_RULE.errorRatioCapped1d, days);
      expect(capped[end]).toBeCloseTo(share, 9);
      expect(firingMinutes(r)).toEqual([]);
    }
  }, 120_000);
});
