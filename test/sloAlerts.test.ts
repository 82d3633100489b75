/**
 * SLO burn-rate alerts on a real engine: promtool evaluates the generated rules for the example
 * RAG assistant against synthetic traffic, and we read which alerts fire from ALERTS.
 */
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { BURN_WINDOWS, burnFactor, minimumObjectivePercent, unreachableWindows } from "../alerts/burnRateWindows";
import { sloNotes } from "../alerts/sloNotes";
import { TICKET_INTERVAL, forDurationIssues } from "../alerts/cadence";
import { renderRuleFile } from "../alerts/render/prometheusRules";
import type { Rule } from "../alerts/ruleModel";
import { loadServicesFile } from "../service/load";
import { normalizeService, ValidationError } from "../service/normalize";
import { checkRules, promtoolMissing } from "./support/promtool";
import { healthy, ragSeries, type Minute } from "./support/ragTraffic";
import { rag, ragRules, ruleContext, testRagRules } from "./support/ragRules";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

const fraud = loadServicesFile(join(__dirname, "../examples/fraud-scoring.yaml"))[0];
const ctx = ruleContext;

const missing = promtoolMissing();
if (missing) console.warn(`SKIPPED promtool SLO tests: ${missing}`);
const withPromtool = missing ? describe.skip : describe;

/** promql_expr_test asserting exactly which alerts fire (by name and severity) at a time. */
const firing = (evalTime: string, alerts: readonly [string, "page" | "ticket"][], filter = "") => ({
  expr: `count by (alertname, severity) (ALERTS{alertstate="firing"${filter}})`,
  eval_time: evalTime,
  exp_samples: alerts.map(([name, severity]) => ({ labels: `{alertname="${name}", severity="${severity}"}`, value: 1 })),
});

describe("burn-rate factors derive from budget shares and the SLO period", () => {
  it("gives the SRE workbook's 14.4, 6, 3 and 1 for a 30-day period", () => {
    expect(BURN_WINDOWS.map((w) => burnFactor(w, 30))).toEqual([14.4, 6, 3, 1]);
  });
  it("gives 13.44, 5.6, 2.8 and 0.933 for a 28-day period", () => {
    expect(BURN_WINDOWS.map((w) => Number(burnFactor(w, 28).toFixed(3)))).toEqual([13.44, 5.6, 2.8, 0.933]);
  });
});

describe("rule layout per SLO", () => {
  const record = (r: Rule) => ("record" in r ? r.record : r.alert);
  it("records 4 rates, 8 error ratios (5m to 3d plus the period), the 30m ratio's change in one and in two days, the day's ratio with blips cut and 7 metadata series per SLO, with 4 alerts; the fastest page's windows every minute, hourly tiles for the day-long windows, the rest every 4 minutes", () => {
    const groups = serviceRuleGroups(rag, ctx).filter((g) => g.name.startsWith(`${rag.name}-slo-`));
    const n = rag.slos.length;
    expect(groups.map((g) => [g.name.slice(rag.name.length + 1), g.interval, g.rules.length])).toEqual([
      ["slo-recordings", "1m", 3 * n + 1],
      ["slo-hourly", "1h", 2],
      ["slo-budget", "4m", 6 + 9 + 4 * n + 3],
      ["slo-alerts", "1m", n],
      ["slo-tickets", "4m", 3 * n],
    ]);
    const [recordings, hourly, budget, pages, tickets] = groups;
    // Per SLO, what the fastest page (14.4x over 1h and 5m) reads from raw series every minute;
    // then one rule for every SLO of the service: bad events per second.
    expect(recordings.rules.slice(0, 3).map(record)).toEqual(["slo:sli_total:rate5m", "slo:sli_error:ratio_rate5m", "slo:sli_error:ratio_rate1h"]);
    expect(recordings.rules.slice(3 * n).map(record)).toEqual(["slo:sli_error:rate5m"]);
    expect(hourly.rules.map(record)).toEqual(["slo:sli_error:rate1h", "slo:sli_total:rate1h"]);
    // 30m to 6h sum the recorded 5m rates, 1d, 3d and the period the hourly tiles, for every SLO
    // of the service at once; none reads a raw series.
    const sel = `{service="${rag.name}"}`;
    const sums = (rate: string, window: string) => `sum_over_time(slo:sli_error:${rate}${sel}[${window}])\n/\nsum_over_time(slo:sli_total:${rate}${sel}[${window}])`;
    expect(budget.rules.slice(0, 6).map((r) => r.expr)).toEqual([
      sums("rate5m", "30m"),
      sums("rate5m", "2h"),
      sums("rate5m", "6h"),
      sums("rate1h", "1d"),
      sums("rate1h", "3d"),
      sums("rate1h", "30d"),
    ]);
    // What the forecast's trend reads, recorded once after the 30m ratio: the 6 h median level, the
    // 5m bad events capped at what that level makes likely (blips cut, nothing capped without a
    // level), their day-long ratio and the day's events, the 6 h events, and per span each
    // half-hour against the same half-hour one and two days earlier (never against the SLI's first
    // hour) and the 6 h median of those changes.
    const change = (k: string) => `(\n  slo:sli_error:ratio_rate30m${sel}\n  -\n  slo:sli_error:ratio_rate30m${sel} offset ${k}d\n)\nand\nslo:sli_error:ratio_rate30m${sel} offset ${Number(k) * 24 + 1}h`;
    const level = `(slo:sli_error_median6h:ratio_rate30m${sel} >= 0)`;
    const cap = `slo:sli_total:rate5m${sel} * ${level}\n    +\n    (4 * sqrt(slo:sli_total:rate5m${sel} * ${level} * 300) + 1) / 300`;
    const bad = `slo:sli_error:rate5m${sel}`;
    expect(budget.rules.slice(6, 15).map((r) => [record(r), r.expr])).toEqual([
      ["slo:sli_error_median6h:ratio_rate30m", `quantile_over_time(0.5, slo:sli_error:ratio_rate30m${sel}[6h])`],
      ["slo:sli_error_capped:rate5m", `${bad}\n-\nclamp_min(\n  ${bad}\n  -\n  (\n    ${cap}\n  ),\n  0\n)\nor\n${bad}`],
      ["slo:sli_error_capped:ratio_rate1d", `avg_over_time(slo:sli_error_capped:rate5m${sel}[1d])\n/\navg_over_time(slo:sli_total:rate1h${sel}[1d])`],
      ["slo:sli_total:increase1d", `avg_over_time(slo:sli_total:rate1h${sel}[1d]) * 86400`],
      ["slo:sli_total:increase6h", `avg_over_time(slo:sli_total:rate5m${sel}[6h]) * 21600`],
      ["slo:sli_error_day_change:ratio_rate30m", change("1")],
      ["slo:sli_error_day_change_median6h:ratio_rate30m", `quantile_over_time(0.5, slo:sli_error_day_change:ratio_rate30m${sel}[6h])`],
      ["slo:sli_error_2d_change:ratio_rate30m", change("2")],
      ["slo:sli_error_2d_change_median6h:ratio_rate30m", `quantile_over_time(0.5, slo:sli_error_2d_change:ratio_rate30m${sel}[6h])`],
    ]);
    // The series of one SLO: the rules labelled with its name and the rules of the whole service.
    const ofSlo = [...recordings.rules, ...hourly.rules, ...budget.rules].filter((r) => "record" in r && (r.labels?.slo ?? rag.slos[0].name) === rag.slos[0].name);
    expect(new Set(ofSlo.map(record)).size).toBe(28);
    expect(pages.rules.every((r) => "alert" in r && r.labels.severity === "page")).toBe(true);
    expect(tickets.rules.every((r) => "alert" in r && r.labels.severity === "ticket")).toBe(true);
  });
});

describe("windows a loose objective puts out of reach (an error ratio cannot pass 100 %)", () => {
  const longs = (objective: number, days = 30) => unreachableWindows(objective, days).map((w) => w.long);
  it("at 30 days: the 1-hour page needs 93.06 %, the 6-hour page 83.34 %, the 1-day ticket 66.67 %", () => {
    expect([0.9306, 0.9305, 0.8334, 0.8333, 0.6667, 0.6666, 0.01].map((o) => longs(o))).toEqual([[], ["1h"], ["1h"], ["1h", "6h"], ["1h", "6h"], ["1h", "6h", "1d"], ["1h", "6h", "1d"]]);
    expect(BURN_WINDOWS.map((w) => minimumObjectivePercent(w, 30))).toEqual([93.06, 83.34, 66.67, 0]);
    expect(BURN_WINDOWS.map((w) => minimumObjectivePercent(w, 28))).toEqual([92.56, 82.15, 64.29, 0]);
    // The minimum is the first objective (in 0.01 % steps) at which the window can fire.
    for (const days of [30, 28])
      for (const w of BURN_WINDOWS.slice(0, 3)) {
        const min = minimumObjectivePercent(w, days);
        expect(unreachableWindows(min / 100, days)).not.toContain(w);
        expect(unreachableWindows((min - 0.01) / 100, days)).toContain(w);
      }
  });

  it("flags exactly the clauses of the generated page whose threshold is 100 % or more (the fraud model's 90 % accuracy SLO)", () => {
    const slo = fraud.slos.find((x) => x.name === "accuracy")!;
    expect(slo.objective).toBe(0.9);
    const page = serviceRuleGroups(fraud, ctx)
      .flatMap((g) => g.rules)
      .find((r): r is Rule & { alert: string } => "alert" in r && r.alert === "MlObsAccuracyErrorBudgetBurnFast")!;
    const thresholds = [...page.expr.matchAll(/ratio_rate(\w+)\{[^}]*\} > \(([\d.]+) \* ([\d.]+)\)/g)].map((m) => [m[1], Number(m[2]) * Number(m[3])] as const);
    expect(thresholds.map(([w]) => w)).toEqual(["1h", "5m", "6h", "30m"]);
    const outOfReach = [...new Set(thresholds.filter(([, t]) => t >= 1).map(([w]) => w))];
    expect(outOfReach).toEqual(["1h", "5m"]);
    expect(unreachableWindows(slo.objective, slo.periodDays).map((w) => [w.long, w.short])).toEqual([["1h", "5m"]]);
  });

  it("notes them for the author, and stays silent when every window can fire", () => {
    expect(sloNotes(rag)).toEqual([]);
    const [note, ...rest] = sloNotes(fraud);
    expect(rest).toEqual([]);
    expect(note).toContain('slo "accuracy" (objective 90 %): its 14.4x-over-1h page needs an error ratio of 144 % and never fires');
    expect(note).toContain("pages only through 6x over 6h, after 3.6 h");
    const loose = (objective: number) => sloNotes({ ...fraud, slos: [{ ...fraud.slos[0], objective }] });
    expect(loose(0.8)).toEqual([
      'slo "availability" (objective 80 %): no page can fire (14.4x over 1h needs an error ratio of 288 %, 6x over 6h needs an error ratio of 120 %), so it only opens tickets; objectivePercent 83.34 or more can page',
    ]);
    expect(loose(0.6)[1]).toBe('slo "availability" (objective 60 %): its 3x-over-1d ticket needs an error ratio of 120 % and never fires');
    expect(loose(0.9306)).toEqual([]);
  });
});

describe("the alert-fatigue guard", () => {
  it("fails a service whose SLOs would page more often than its paging budget allows", () => {
    const raw = minimalDescription(
      { name: "noisy", team: "search-ai", owner: "x@example.com", kind: "custom" },
      { ...emailAlerting("https://runbooks.example.com", "a@example.com"), pagingBudget: 2 },
      { slos: [1, 2, 3].map((i) => ({ name: `slo-${i}`, objectivePercent: 99, availability: {} })) },
    );
    expect(() => serviceRuleGroups(normalizeService(raw), ctx)).toThrow(ValidationError);
    expect(() => serviceRuleGroups(normalizeService(raw), ctx)).toThrow(
      "noisy: alerting.pagingBudget: 3 paging rules exceed the budget of 2 (MlObsSlo1ErrorBudgetBurnFast, MlObsSlo2ErrorBudgetBurnFast, MlObsSlo3ErrorBudgetBurnFast); merge SLOs, make some tickets, or raise pagingBudget deliberately",
    );
  });
  it("rejects a `for` shorter than two evaluations of its group, and every generated one holds for at least two", () => {
    const alert = { alert: "MlObsX", expr: "vector(1)", for: "5m", labels: {}, annotations: {} };
    expect(forDurationIssues("svc", [{ name: "svc-tickets", interval: TICKET_INTERVAL, rules: [alert] }])).toEqual([
      { path: "svc: svc-tickets/MlObsX", message: "for: 5m is under two evaluations of its group (interval 4m); use at least 8m or drop it" },
    ]);
    expect(forDurationIssues("svc", [{ name: "svc-tickets", interval: TICKET_INTERVAL, rules: [{ ...alert, for: "8m" }] }])).toEqual([]);
    for (const s of [rag, fraud]) expect(forDurationIssues(s.name, serviceRuleGroups(s, ctx))).toEqual([]);
  });
  it("pages only on SLO symptoms: every paging alert of the examples carries an slo label", () => {
    for (const s of [rag, fraud]) {
      const alerts = serviceRuleGroups(s, ctx).flatMap((g) => g.rules.filter((r) => "alert" in r));
      const pages = alerts.filter((a) => "alert" in a && a.labels.severity === "page");
      expect(pages.length).toBeLessThanOrEqual(s.alerting.pagingBudget);
      for (const a of pages) expect("alert" in a && a.labels.slo).toBeTruthy();
    }
  });
});

/** `firing` for the query-latency SLO's alerts: the fast burn pages, the slow burn opens a ticket. */
const queryLatencyFiring = (t: string, sev: ("page" | "ticket")[], forecast = false) =>
  firing(
    t,
    [
      ...sev.map((x): [string, "page" | "ticket"] => [`MlObsQueryLatencyErrorBudgetBurn${x === "page" ? "Fast" : "Slow"}`, x]),
      ...(forecast ? [["MlObsQueryLatencyErrorBudgetForecast", "ticket"] as [string, "page" | "ticket"]] : []),
    ],
    `, slo="query-latency"`,
  );

/** promql_expr_test: the availability SLO's `series` at 240m is within `tolerance` (relative) of `expected`. */
const availabilityWithin = (series: string, expected: number, tolerance: number) => ({
  expr: `abs(${series}{slo="availability"} / ${expected} - 1) < bool ${tolerance}`,
  eval_time: "240m",
  exp_samples: [{ labels: `{service="${rag.name}", slo="availability"}`, value: 1 }],
});

withPromtool("promtool on the generated SLO rules", () => {
  it("passes promtool check rules for both example services", () => {
    expect(checkRules(ragRules)).toContain("SUCCESS");
    expect(checkRules(renderRuleFile(serviceRuleGroups(fraud, ctx)))).toContain("SUCCESS");
  });

  it("passes promtool's lint for SLOs of different periods: each reads its own period's ratio in one rule", () => {
    const mixed = normalizeService(
      minimalDescription(
        { name: "mixed", team: "search-ai", owner: "x@example.com", kind: "custom" },
        emailAlerting("https://runbooks.example.com", "a@example.com"),
        {
          slos: [
            { name: "monthly", objectivePercent: 99.9, availability: {} },
            { name: "weekly", objectivePercent: 99, periodDays: 7, availability: {} },
          ],
        },
      ),
    );
    const groups = serviceRuleGroups(mixed, ctx);
    const periodBurn = groups.flatMap((g) => g.rules).filter((r) => "record" in r && r.record === "slo:period_burn_rate:ratio");
    expect(periodBurn).toHaveLength(1);
    expect(periodBurn[0].expr).toContain('slo:sli_error:ratio_rate30d{service="mixed",slo="monthly"}');
    expect(periodBurn[0].expr).toContain('slo:sli_error:ratio_rate7d{service="mixed",slo="weekly"}');
    const out = checkRules(renderRuleFile(groups));
    expect(out).toContain("SUCCESS");
    expect(out).not.toMatch(/duplicate|lint error/i);
  });

  it("pages within minutes of an error burst (20% of requests failing)", () => {
    const burstStart = 120;
    const at = (t: number): Minute => (t >= burstStart ? { ...healthy(), errorShare: 0.2 } : healthy());
    testRagRules(ragSeries(rag, 200, at), [
      firing("119m", []),
      firing(`${burstStart + 3}m`, [], `, severity="page"`),
      // Six minutes in, the availability SLO pages (the slow-burn tickets fire too; they do not page).
      firing(`${burstStart + 6}m`, [["MlObsAvailabilityErrorBudgetBurnFast", "page"]], `, severity="page"`),
    ]);
  });

  it("opens a ticket for a slow latency creep hours before it pages", () => {
    // Share of answers slower than 3 s grows linearly from 0 to 20% over three days.
    const minutes = 3 * 24 * 60;
    const at = (t: number): Minute => ({ ...healthy(), slowShare: 0.2 * (t / minutes) });
    const series = ragSeries(rag, minutes, at).filter((s) => !s.series.startsWith("rag_queries"));
    // Query latency (99.5%): quiet at 2h; by 6h the 1x (3d and 6h) window opens a ticket;
    // the 6x (6h and 30m) window pages only around 14h: the ticket comes ~8 hours earlier. The
    // budget forecast tickets by 12h too: at the burn of the day so far the budget is gone within days.
    testRagRules(series, [
      queryLatencyFiring("2h", []),
      queryLatencyFiring("6h", ["ticket"]),
      queryLatencyFiring("12h", ["ticket"], true),
      queryLatencyFiring("16h", ["page", "ticket"], true),
    ]);
  });

  it("fires nothing on a day of healthy traffic", () => {
    testRagRules(
      ragSeries(rag, 24 * 60, () => healthy()),
      ["30m", "6h", "12h", "23h"].map((t) => ({ expr: `ALERTS{alertstate="firing"}`, eval_time: t, exp_samples: [] })),
    );
  });

  it("weights the long windows by requests, as the raw counters do, not by minutes", () => {
    // Two busy hours with 0.1% errors, then two quiet hours (a tenth of the traffic) with 2%.
    const at = (t: number): Minute => (t < 120 ? { ...healthy(), requests: 1000, errorShare: 0.001 } : { ...healthy(), requests: 100, errorShare: 0.02 });
    const byRequests = (1000 * 120 * 0.001 + 100 * 120 * 0.02) / (1000 * 120 + 100 * 120);
    const byMinutes = (0.001 + 0.02) / 2;
    testRagRules(ragSeries(rag, 241, at), [
      // The 6h window holds all four hours: within 3% of the request-weighted ratio (the last
      // minutes' events are not yet in every 5m sample), nowhere near the average of the two
      // hours' ratios, 3.9 times higher.
      availabilityWithin("slo:sli_error:ratio_rate6h", byRequests, 0.03),
      // The period sums hourly tiles. promtool evaluates every group each minute, so here the
      // tiles overlap and the last hour counts partly (in Prometheus they tile the hours and
      // the last hour is left out): still within a quarter of the way to the minute-weighted
      // average.
      availabilityWithin("slo:sli_error:ratio_rate30d", byRequests, (0.25 * (byMinutes - byRequests)) / byRequests),
    ]);
    expect(byMinutes / byRequests).toBeGreaterThan(3.5);
  });

  it("burns nothing through an hour without traffic, and the long windows stay finite after it", () => {
    const quiet = (t: number) => t >= 120 && t < 180;
    const at = (t: number): Minute => (quiet(t) ? { ...healthy(), requests: 0 } : healthy());
    const sel = `{service="${rag.name}", slo="availability"}`;
    testRagRules(ragSeries(rag, 300, at), [
      firing("150m", []),
      // No requests: no bad events per second (0, not NaN), so the sums over long windows go on.
      { expr: `slo:sli_error:rate5m${sel}`, eval_time: "150m", exp_samples: [{ labels: `slo:sli_error:rate5m${sel}`, value: 0 }] },
      { expr: `slo:sli_error:ratio_rate1d${sel} < bool 0.001`, eval_time: "296m", exp_samples: [{ labels: sel, value: 1 }] },
      firing("296m", []),
    ]);
  });

  it("opens the absent ticket when an SLI's metric is missing, and only that", () => {
    testRagRules(ragSeries(rag, 60, () => healthy(), { relevance: true }), [
      firing("10m", []),
      firing("30m", [["MlObsAnswerRelevanceSliAbsent", "ticket"]]),
    ]);
  });
});
