/**
 * The budget forecast's trend on promtool: what it must not read as a creep (blips on a daily
 * peak, a new service's first hour). The creeps it must catch are the early-warning families
 * (test/earlyWarningFamilies.test.ts, `npm run bench:detection`).
 */
import { promtoolMissing } from "./support/promtool";
import { rag, testRagRules } from "./support/ragRules";
import { healthy, ragSeries, type Minute } from "./support/ragTraffic";

const missing = promtoolMissing();
if (missing) console.warn(`SKIPPED promtool budget-forecast tests: ${missing}`);
const withPromtool = missing ? describe.skip : describe;

withPromtool("the budget forecast's trend on promtool", () => {
  const day = 24 * 60;
  const sel = `{service="${rag.name}",slo="query-latency"}`;
  const labels = `{service="${rag.name}", slo="query-latency"}`;
  // The growth that puts the day's ratio over query-latency's allowed 0.5% within 5 days.
  const needed = `((0.005 - slo:sli_error:ratio_rate1d${sel}) / 5)`;

  it("reads no trend into blips on an afternoon peak: the forecast's growth is taken half-hour by half-hour before the median", () => {
    // Every afternoon (12:00-18:00) up to 0.85% of answers take over 3 s, 0.05% at other hours:
    // the day spends a third of query-latency's 0.5% allowance. On the second afternoon three
    // 10-minute blips (5% slow) lift the 30m ratio in about 37% of the 6 hours' half-hours.
    const peak = (t: number) => {
      const h = (t % day) / 60;
      return h >= 12 && h < 18 ? Math.sin((Math.PI * (h - 12)) / 6) : 0;
    };
    const blip = (t: number) => t >= day && [13 * 60, 14.5 * 60, 16 * 60].some((m) => t % day >= m && t % day < m + 10);
    const at = (t: number): Minute => ({ ...healthy(), slowShare: blip(t) ? 0.05 : 0.0005 + 0.008 * peak(t) });
    const series = ragSeries(rag, 2 * day, at).filter((s) => !s.series.startsWith("rag_queries"));
    const median = (offset: string) => `quantile_over_time(0.5, slo:sli_error:ratio_rate30m${sel}[6h]${offset})`;
    const at1830 = `${day + 18 * 60 + 30}m`;
    testRagRules(series, [
      // The median of the ratio moves with the blips: over a window that climbs and falls with the
      // peak, they push it up the cycle, more than the growth a creep would need.
      { expr: `(${median("")} - ${median(" offset 1d")}) > bool ${needed}`, eval_time: at1830, exp_samples: [{ labels, value: 1 }] },
      // Half-hour by half-hour the cycle cancels first, and the blips fill under half the window.
      { expr: `quantile_over_time(0.5, slo:sli_error_day_change:ratio_rate30m${sel}[6h]) > bool ${needed}`, eval_time: at1830, exp_samples: [{ labels, value: 0 }] },
      ...[day + 17 * 60, day + 18 * 60 + 30, day + 20 * 60, 2 * day - 1].map((t) => ({
        expr: `ALERTS{alertstate="firing",alertname="MlObsQueryLatencyErrorBudgetForecast"}`,
        eval_time: `${t}m`,
        exp_samples: [],
      })),
    ]);
  });

  it("reads no trend into a new service's first hour: its changes are not compared with it, and the trend waits for a window of them", () => {
    // Steady at 84% of query-latency's 0.5% allowance, but the first hour after the service
    // appears runs at 60% of it (a cold start, or the partial windows of brand-new series).
    const at = (t: number): Minute => ({ ...healthy(), slowShare: t < 60 ? 0.003 : 0.0042 });
    const series = ragSeries(rag, day + 8 * 60, at).filter((s) => !s.series.startsWith("rag_queries"));
    const ratio = `slo:sli_error:ratio_rate30m${sel}`;
    // Compared with that hour, a day later the half-hours seem to grow enough to pass the
    // allowance within the forecast's horizon (5 days), by well over the counting noise.
    const unguarded = `quantile_over_time(0.5, (${ratio} - ${ratio} offset 1d)[6h:1m])`;
    testRagRules(series, [
      { expr: `${unguarded} > bool ${needed}`, eval_time: `${day + 30}m`, exp_samples: [{ labels, value: 1 }] },
      // The recorded changes skip the SLI's first hour, and the trend is judged once 5 of its 6
      // hours hold changes: the forecast never even starts pending.
      { expr: `count_over_time(slo:sli_error_day_change:ratio_rate30m${sel}[1d])`, eval_time: `${day + 50}m`, exp_samples: [] },
      ...[day + 30, day + 90, day + 3 * 60, day + 6 * 60, day + 8 * 60 - 1].map((t) => ({
        expr: `ALERTS{alertname="MlObsQueryLatencyErrorBudgetForecast"}`,
        eval_time: `${t}m`,
        exp_samples: [],
      })),
    ]);
  });
});
