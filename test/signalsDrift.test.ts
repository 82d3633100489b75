/**
 * PSI and JS divergence on a real engine: promtool evaluates the drift recording rules against
 * synthetic traffic, and the values are compared with the same formulas computed here from the
 * shares fed in.
 */
import { DISTRIBUTION_RULE, SIGNAL_ALERT } from "../alerts/signalNames";
import { EMPTY_BIN_SHARE } from "../alerts/signals/distributionShift";
import type { ServiceModel } from "../service/model";
import { QUERY_LENGTH_BEFORE, WEEK, alertRule, at, fraud, job, near, rag, run, ticketWithText, withPromtool } from "./support/signalHarness";
import { histogramSeries } from "./support/syntheticSeries";

// ---- PSI and JS, computed here the way the rules compute them ----
const clamp = (x: number) => Math.max(x, EMPTY_BIN_SHARE);
const psi = (now: readonly number[], base: readonly number[]) =>
  now.reduce((s, p, i) => s + (clamp(p) - clamp(base[i])) * Math.log(clamp(p) / clamp(base[i])), 0);
const jsDivergence = (now: readonly number[], base: readonly number[]) =>
  now.reduce((s, p, i) => {
    const a = clamp(p);
    const b = clamp(base[i]);
    const mid = (a + b) / 2;
    return s + 0.5 * a * Math.log(a / mid) + 0.5 * b * Math.log(b / mid);
  }, 0);

// query_length_chars bins: <=16, <=32, <=64, <=128, <=256, <=512, <=1024, +Inf
const QUERY_LENGTH_AFTER = [0.02, 0.08, 0.2, 0.3, 0.2, 0.12, 0.06, 0.02];
// amount_usd bins: <=10, <=50, <=100, <=500, <=1000, <=5000, +Inf
const AMOUNT_SHIFTED = [0.1, 0.22, 0.18, 0.27, 0.13, 0.07, 0.03];

withPromtool("PSI and JS divergence computed by the recording rules", () => {
  const f = rag.drift.features[0];
  const labels = `{feature="${f.name}", service="${rag.name}"}`;
  const psiName = DISTRIBUTION_RULE.psi("feature", rag.drift.window);
  const jsName = DISTRIBUTION_RULE.jsDivergence("feature", rag.drift.window);
  const driftTicket = (m: ServiceModel) => alertRule(m, SIGNAL_ALERT.featureDrift);
  const driftText = (m: ServiceModel, feature: string, value: number) =>
    driftTicket(m).annotations.description.replace("{{ $labels.feature }}", feature).replace(`{{ $value | printf "%.3f" }}`, value.toFixed(3));
  // A Python client writes whole-number bounds as le="16.0"; leMatcher selects them anyway.
  const queryLength = (phases: { minutes: number; shares: number[] }[]) =>
    histogramSeries(rag.metrics.featureValue.name, { ...job(rag), feature: f.name }, f.buckets, phases.map((p) => ({ ...p, perMinute: 20 })), { leStyle: "python" });
  // The now-window needs an hour, the baseline sits 7d earlier: a week plus a few hours of traffic.
  const shiftAt = WEEK + 60;
  const end = shiftAt + 120;

  it("records a PSI and JS divergence of 0 when a feature keeps its distribution for a week", () => {
    run(rag, ["feature-drift"], queryLength([{ minutes: end, shares: QUERY_LENGTH_BEFORE }]), {
      promql_expr_test: [near(psiName, labels, 0, end, 1e-9), near(jsName, labels, 0, end, 1e-9)],
      alert_rule_test: [{ eval_time: at(end), alertname: driftTicket(rag).alert, exp_alerts: [] }],
    });
  });

  it("records the hand-computed PSI and JS divergence against the same hour a week earlier after a shift, and opens a drift ticket", () => {
    const expectedPsi = psi(QUERY_LENGTH_AFTER, QUERY_LENGTH_BEFORE);
    expect(expectedPsi).toBeGreaterThan(rag.drift.psiThreshold);
    run(
      rag,
      ["feature-drift"],
      queryLength([
        { minutes: shiftAt, shares: QUERY_LENGTH_BEFORE },
        { minutes: end - shiftAt, shares: QUERY_LENGTH_AFTER },
      ]),
      {
        promql_expr_test: [
          near(psiName, labels, 0, shiftAt, 1e-9),
          near(psiName, labels, expectedPsi, end),
          near(jsName, labels, jsDivergence(QUERY_LENGTH_AFTER, QUERY_LENGTH_BEFORE), end),
        ],
        alert_rule_test: [
          { eval_time: at(shiftAt), alertname: driftTicket(rag).alert, exp_alerts: [] },
          ticketWithText(driftTicket(rag), end, { feature: f.name }, driftText(rag, f.name, expectedPsi)),
        ],
      },
    );
  });

  const amount = fraud.drift.features.find((x) => x.name === "amount_usd")!;
  const amountLabels = `{feature="amount_usd", service="${fraud.name}"}`;
  const amountSeries = (shares: readonly number[], perMinute = 50) =>
    histogramSeries(fraud.metrics.featureValue.name, { ...job(fraud), feature: amount.name }, amount.buckets, [{ minutes: 120, perMinute, shares }]);

  it("records a PSI of 0 for amount_usd when transactions follow its pinned training shares", () => {
    run(fraud, ["feature-drift"], amountSeries(amount.baselineFractions!), {
      promql_expr_test: [near(psiName, amountLabels, 0, 120, 1e-9)],
      alert_rule_test: [{ eval_time: at(120), alertname: driftTicket(fraud).alert, exp_alerts: [] }],
    });
  });

  it("records the hand-computed PSI against amount_usd's pinned shares after a shift, with no history needed", () => {
    const expected = psi(AMOUNT_SHIFTED, amount.baselineFractions!);
    expect(expected).toBeGreaterThan(fraud.drift.psiThreshold);
    run(fraud, ["feature-drift"], amountSeries(AMOUNT_SHIFTED), {
      promql_expr_test: [
        near(psiName, amountLabels, expected, 120),
        near(jsName, amountLabels, jsDivergence(AMOUNT_SHIFTED, amount.baselineFractions!), 120),
      ],
      alert_rule_test: [ticketWithText(driftTicket(fraud), 120, { feature: "amount_usd" }, driftText(fraud, "amount_usd", expected))],
    });
  });

  it("records no PSI while the window holds fewer observations than the noise floor", () => {
    run(fraud, ["feature-drift"], amountSeries(AMOUNT_SHIFTED, 5), {
      promql_expr_test: [{ expr: psiName, eval_time: at(120), exp_samples: [] }],
      alert_rule_test: [{ eval_time: at(120), alertname: driftTicket(fraud).alert, exp_alerts: [] }],
    });
  });
});
