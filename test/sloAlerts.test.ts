/**
 * SLO burn-rate alerts on a real engine: promtool evaluates the generated rules for the example
 * RAG assistant against synthetic traffic, and we read which alerts fire from ALERTS.
 */
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { BURN_WINDOWS, burnFactor } from "../alerts/burnRateWindows";
import { renderRuleFile } from "../alerts/render/prometheusRules";
import { loadServicesFile } from "../service/load";
import { normalizeService, ValidationError } from "../service/normalize";
import { checkRules, promtoolMissing, testRules } from "./support/promtool";
import { healthy, ragSeries, type Minute } from "./support/ragTraffic";

const rag = loadServicesFile(join(__dirname, "../examples/rag-assistant.yaml"))[0];
const fraud = loadServicesFile(join(__dirname, "../examples/fraud-scoring.yaml"))[0];
const ctx = { environment: "prod" };
const ragRules = renderRuleFile(serviceRuleGroups(rag, ctx));

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

describe("rule counts per SLO match Sloth's layout", () => {
  it("records 8 window ratios (5m to 3d plus the period) and 7 metadata series per SLO, with 3 alerts", () => {
    const [recordings, alerts] = serviceRuleGroups(rag, ctx);
    expect(recordings.rules.length).toBe(rag.slos.length * 15);
    expect(alerts.rules.length).toBe(rag.slos.length * 3);
    const windows = recordings.rules.slice(0, 8).map((r) => ("record" in r ? r.record : ""));
    expect(windows).toEqual([
      "slo:sli_error:ratio_rate5m",
      "slo:sli_error:ratio_rate30m",
      "slo:sli_error:ratio_rate1h",
      "slo:sli_error:ratio_rate2h",
      "slo:sli_error:ratio_rate6h",
      "slo:sli_error:ratio_rate1d",
      "slo:sli_error:ratio_rate3d",
      "slo:sli_error:ratio_rate30d",
    ]);
  });
});

describe("the alert-fatigue guard", () => {
  it("fails a service whose SLOs would page more often than its paging budget allows", () => {
    const raw = {
      name: "noisy",
      team: "search-ai",
      owner: "x@example.com",
      kind: "custom",
      slos: [1, 2, 3].map((i) => ({ name: `slo-${i}`, objectivePercent: 99, availability: {} })),
      alerting: {
        page: { type: "email", addresses: ["a@example.com"] },
        ticket: { type: "email", addresses: ["a@example.com"] },
        runbookBaseUrl: "https://runbooks.example.com",
        pagingBudget: 2,
      },
    };
    expect(() => serviceRuleGroups(normalizeService(raw), ctx)).toThrow(ValidationError);
    expect(() => serviceRuleGroups(normalizeService(raw), ctx)).toThrow(
      "noisy: alerting.pagingBudget: 3 paging rules exceed the budget of 2 (MlObsSlo1ErrorBudgetBurnFast, MlObsSlo2ErrorBudgetBurnFast, MlObsSlo3ErrorBudgetBurnFast); merge SLOs, make some tickets, or raise pagingBudget deliberately",
    );
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

withPromtool("promtool on the generated SLO rules", () => {
  it("passes promtool check rules for both example services", () => {
    expect(checkRules(ragRules)).toContain("SUCCESS");
    expect(checkRules(renderRuleFile(serviceRuleGroups(fraud, ctx)))).toContain("SUCCESS");
  });

  it("pages within minutes of an error burst (20% of requests failing)", () => {
    const burstStart = 120;
    const at = (t: number): Minute => (t >= burstStart ? { ...healthy(), errorShare: 0.2 } : healthy());
    testRules(ragRules, [
      {
        interval: "1m",
        input_series: ragSeries(rag, 200, at),
        promql_expr_test: [
          firing("119m", []),
          firing(`${burstStart + 3}m`, [], `, severity="page"`),
          // Six minutes in, the availability SLO pages (the slow-burn tickets fire too; they do not page).
          firing(`${burstStart + 6}m`, [["MlObsAvailabilityErrorBudgetBurnFast", "page"]], `, severity="page"`),
        ],
      },
    ]);
  });

  it("opens a ticket for a slow latency creep hours before it pages", () => {
    // Share of answers slower than 3 s grows linearly from 0 to 20% over three days.
    const minutes = 3 * 24 * 60;
    const at = (t: number): Minute => ({ ...healthy(), slowShare: 0.2 * (t / minutes) });
    const series = ragSeries(rag, minutes, at).filter((s) => !s.series.startsWith("rag_queries"));
    // Query latency (99.5%): quiet at 2h; by 6h the 1x (3d and 6h) window opens a ticket;
    // the 6x (6h and 30m) window pages only around 14h: the ticket comes ~8 hours earlier.
    const latency = (t: string, sev: ("page" | "ticket")[]) =>
      firing(
        t,
        sev.map((x) => [`MlObsQueryLatencyErrorBudgetBurn${x === "page" ? "Fast" : "Slow"}`, x]),
        `, slo="query-latency"`,
      );
    testRules(ragRules, [
      {
        interval: "1m",
        input_series: series,
        promql_expr_test: [latency("2h", []), latency("6h", ["ticket"]), latency("12h", ["ticket"]), latency("16h", ["page", "ticket"])],
      },
    ]);
  });

  it("fires nothing on a day of healthy traffic", () => {
    testRules(ragRules, [
      {
        interval: "1m",
        input_series: ragSeries(rag, 24 * 60, () => healthy()),
        promql_expr_test: ["30m", "6h", "12h", "23h"].map((t) => ({ expr: `ALERTS{alertstate="firing"}`, eval_time: t, exp_samples: [] })),
      },
    ]);
  });

  it("opens the absent ticket when an SLI's metric is missing, and only that", () => {
    testRules(ragRules, [
      {
        interval: "1m",
        input_series: ragSeries(rag, 60, () => healthy(), { relevance: true }),
        promql_expr_test: [firing("10m", []), firing("30m", [["MlObsAnswerRelevanceSliAbsent", "ticket"]])],
      },
    ]);
  });
});
