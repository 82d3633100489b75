/**
 * Incidents replayed from synthetic traffic on a real engine (promtool): each opens the ticket it
 * should, with the exact text, and nothing fires before it starts.
 */
import { COST_RULE, DATA_QUALITY_RULE, QUALITY_RULE, SIGNAL_ALERT } from "../alerts/signalNames";
import {
  MINUTES_PER_DAY,
  SCORE,
  alertRule,
  counter,
  firing,
  fraud,
  job,
  near,
  rag,
  run,
  steady,
  ticketWithText,
  withPromtool,
} from "./support/signalHarness";
import { seriesSelector } from "../toolkit/exposition";
import { gaugeValues, histogramSeries, sharesAt } from "./support/syntheticSeries";

// Answers evaluated per minute on each score, and the share of each score's bins.
const relevanceOk = sharesAt(SCORE, { "0.5": 0.02, "0.9": 0.5, "1": 0.48 });
const relevanceBad = sharesAt(SCORE, { "0.5": 0.2, "0.9": 0.5, "1": 0.3 });
const faithfulnessOk = sharesAt(SCORE, { "0.6": 0.05, "0.9": 0.55, "1": 0.4 });

/** A release at `release` of v2 with the given relevance shares, hallucination and negative-feedback ratios. */
const ragRelease = (release: number, end: number, v2: { relevance: number[]; hallucinated: number; negative: number }) => {
  const m = rag;
  const c = m.metrics;
  const versions = [
    { v: "v1", minutes: release, absent: 0, relevance: relevanceOk, hallucinated: 0.01, negative: 0.1 },
    { v: "v2", minutes: end - release, absent: release, ...v2 },
  ];
  return versions.flatMap((x) => {
    const l = { ...job(m), model_version: x.v };
    const evaluated = 60;
    const score = (name: string, shares: number[]) =>
      histogramSeries(c.evaluationScore.name, { ...l, [c.labels.evaluation]: name }, SCORE, [{ minutes: x.minutes, perMinute: evaluated, shares }], {
        absentMinutes: x.absent,
      });
    return [
      ...score("relevance", x.relevance),
      ...score("faithfulness", faithfulnessOk),
      counter(c.hallucinations.name, l, steady(x.minutes, evaluated * x.hallucinated), x.absent),
      counter(c.feedback.name, { ...l, [c.labels.feedback]: "positive" }, steady(x.minutes, 10 * (1 - x.negative)), x.absent),
      counter(c.feedback.name, { ...l, [c.labels.feedback]: c.values.feedbackNegative }, steady(x.minutes, 10 * x.negative), x.absent),
    ];
  });
};

/** fraud-scoring at 3000 predictions a minute; v2 from `release` on, missing merchant_risk_score in 5% of them. */
const missingFeatureRelease = (release: number, end: number) => {
  const m = fraud;
  const p = m.metrics.predictions.name;
  const missing = m.metrics.featureMissing.name;
  return [
    counter(p, { ...job(m), model_version: "v1" }, steady(release, 3000)),
    counter(p, { ...job(m), model_version: "v2" }, steady(end - release, 3000), release),
    // 0.1% missing before the release (under the 0.5% limit), 5% after.
    counter(missing, { ...job(m), feature: "merchant_risk_score" }, [
      { minutes: release, perMinute: 3 },
      { minutes: end - release, perMinute: 150 },
    ]),
    counter(missing, { ...job(m), feature: "amount_usd" }, steady(end, 0)),
  ];
};

/** rag-assistant's requests, whose LLM calls multiply six-fold at `runaway` (an agent loop). */
const RUNAWAY_REQUESTS = 120;
type Phase = { minutes: number; perMinute: number };
/** rag-assistant requests, each embedding 30 tokens, and generation calls of 1500 input and 300 output tokens. */
const pricedTraffic = (requests: Phase[], calls: Phase[]) => {
  const m = rag;
  const c = m.metrics;
  const tokens = (model: string, type: string, perCall: number, phases: Phase[]) => {
    const l = { ...job(m), [c.labels.model]: model, [c.labels.tokenType]: type };
    return [
      counter(`${c.genAiTokenUsage.name}_count`, l, phases),
      counter(`${c.genAiTokenUsage.name}_sum`, l, phases.map((p) => ({ ...p, perMinute: p.perMinute * perCall }))),
    ];
  };
  return [
    counter(`${c.httpRequestDuration.name}_count`, { ...job(m), [c.labels.httpStatusCode]: "200" }, requests),
    ...tokens("gpt-4o-mini", c.values.tokenInput, 1500, calls),
    ...tokens("gpt-4o-mini", c.values.tokenOutput, 300, calls),
    ...tokens("text-embedding-3-small", c.values.tokenInput, 30, requests),
  ];
};
/** An agent loop from `runaway` on: every request calls the generation model six times. */
const agentLoop = (runaway: number, end: number) =>
  pricedTraffic(steady(end, RUNAWAY_REQUESTS), [
    { minutes: runaway, perMinute: RUNAWAY_REQUESTS },
    { minutes: end - runaway, perMinute: RUNAWAY_REQUESTS * 6 },
  ]);
// USD per hour: tokens per second x price per 1k tokens x 3.6.
const agentLoopSpend = (loops: number) =>
  ((loops * RUNAWAY_REQUESTS * 1500 * 0.00015 + loops * RUNAWAY_REQUESTS * 300 * 0.0006 + RUNAWAY_REQUESTS * 30 * 0.00002) / 60) * 3.6;

/** fraud-scoring with two replicas at 70% GPU for a day, then six at 15%. */
const idleScaleUp = (day: number, end: number) => {
  const m = fraud;
  const c = m.metrics;
  const replicas = ["r0", "r1", "r2", "r3", "r4", "r5"];
  return replicas.flatMap((r, i) => {
    const old = i < 2;
    const l = { ...job(m), instance: r };
    const opts = { absentMinutes: old ? 0 : day };
    return [
      { series: seriesSelector(c.up.name, l), values: gaugeValues([{ minutes: old ? end : end - day, level: 1 }], opts) },
      {
        series: seriesSelector(c.gpuUtilization.name, { ...l, gpu: "0" }),
        values: gaugeValues(old ? [{ minutes: day, level: 70 }, { minutes: 120, level: 15 }] : [{ minutes: 120, level: 15 }], opts),
      },
    ];
  });
};

withPromtool("tickets open on incidents replayed from synthetic traffic", () => {
  it("opens a missing-feature ticket naming the feature when a release stops sending it", () => {
    const m = fraud;
    const release = 120;
    const end = 210;
    const rule = alertRule(m, SIGNAL_ALERT.featureMissing);
    run(m, ["data-quality"], missingFeatureRelease(release, end), {
      promql_expr_test: [
        firing(m, release - 5, []),
        near(DATA_QUALITY_RULE.missing("1h"), `{feature="amount_usd", service="${m.name}"}`, 0, end),
      ],
      alert_rule_test: [
        ticketWithText(
          rule,
          end,
          { feature: "merchant_risk_score" },
          "Feature merchant_risk_score is missing in 5% of requests over the last 1h (limit 0.5%). " +
            "The model scores these requests from defaults; check the latest release of the service and of the feature's producer.",
        ),
      ],
    });
  });

  it("opens a relevance ticket for the new model version only when relevance drops after a release", () => {
    const rule = alertRule(rag, SIGNAL_ALERT.scoreBelowTarget("relevance"));
    run(rag, ["quality-hourly", "quality"], ragRelease(180, 300, { relevance: relevanceBad, hallucinated: 0.01, negative: 0.1 }), {
      promql_expr_test: [
        firing(rag, 175, []),
        firing(rag, 300, [{ name: rule.alert, labels: { evaluation: "relevance", model_version: "v2" } }]),
        // The release before it still reads 98% on the day-long window, for the comparison panel.
        near(QUALITY_RULE.scoreGood("1d"), `{evaluation="relevance", model_version="v1", service="${rag.name}"}`, 0.98, 300),
      ],
      alert_rule_test: [
        ticketWithText(
          rule,
          300,
          { evaluation: "relevance", model_version: "v2" },
          "Only 80% of evaluated answers of model version v2 scored above 0.7 on relevance over the last 1h (target 95%), more than counting noise on the hour's or the day's evaluated answers. Compare with the previous version on the quality dashboard.",
        ),
      ],
    });
  });

  it("opens hallucination and negative-feedback tickets for a release that hallucinates and annoys users", () => {
    const hall = alertRule(rag, SIGNAL_ALERT.hallucinations);
    const feedback = alertRule(rag, SIGNAL_ALERT.negativeFeedback);
    const v2 = { model_version: "v2" };
    run(rag, ["quality-hourly", "quality"], ragRelease(180, 300, { relevance: relevanceOk, hallucinated: 0.08, negative: 0.35 }), {
      promql_expr_test: [firing(rag, 175, []), firing(rag, 300, [{ name: hall.alert, labels: v2 }, { name: feedback.alert, labels: v2 }])],
      alert_rule_test: [
        ticketWithText(hall, 300, v2, hall.annotations.description.replace("{{ $value | humanizePercentage }}", "8%").replace("{{ $labels.model_version }}", "v2")),
        ticketWithText(feedback, 300, v2, feedback.annotations.description.replace("{{ $value | humanizePercentage }}", "35%").replace("{{ $labels.model_version }}", "v2")),
      ],
    });
  });

  it("opens no relevance, hallucination or negative-feedback ticket on a quiet night's burst of a few bad answers", () => {
    // Half an evaluated answer a minute and a feedback every 5 minutes, within every limit; at 10 h
    // one minute brings 4 answers scored under the relevance threshold, 3 hallucinated answers and 4
    // thumbs-down. The next hour's ratios are far past their limits (86% relevant against 95%, 10%
    // hallucinated against 3%, 30% negative), on too few events to tell from noise.
    const quiet = 12 * 60;
    const burstAt = 10 * 60;
    const c = rag.metrics;
    const l = { ...job(rag), model_version: "v1" };
    const burst = (perMinute: number, burstCount: number) => [
      { minutes: burstAt, perMinute },
      { minutes: 1, perMinute: burstCount },
      { minutes: quiet - burstAt - 1, perMinute },
    ];
    const allBad = sharesAt(SCORE, { "0.5": 1 });
    const series = [
      ...histogramSeries(c.evaluationScore.name, { ...l, [c.labels.evaluation]: "relevance" }, SCORE, [
        { minutes: burstAt, perMinute: 0.5, shares: relevanceOk },
        { minutes: 1, perMinute: 4, shares: allBad },
        { minutes: quiet - burstAt - 1, perMinute: 0.5, shares: relevanceOk },
      ]),
      counter(c.hallucinations.name, l, burst(0.005, 3)),
      counter(c.feedback.name, { ...l, [c.labels.feedback]: "positive" }, steady(quiet, 0.2)),
      counter(c.feedback.name, { ...l, [c.labels.feedback]: c.values.feedbackNegative }, burst(0.02, 4)),
    ];
    const v1 = `{model_version="v1", service="${rag.name}"}`;
    run(rag, ["quality-hourly", "quality"], series, {
      promql_expr_test: [
        near(QUALITY_RULE.scoreGood("1h"), `{evaluation="relevance", model_version="v1", service="${rag.name}"}`, 0.86, burstAt + 40, 0.03),
        near(QUALITY_RULE.hallucinations("1h"), v1, 0.1, burstAt + 40, 0.02),
        near(QUALITY_RULE.negativeFeedback("1h"), v1, 0.3, burstAt + 40, 0.03),
        { expr: `count_over_time(ALERTS{service="${rag.name}"}[${quiet}m])`, eval_time: `${quiet}m`, exp_samples: [] },
      ],
    });
  });

  it("opens a spend ticket when an agent loop multiplies LLM calls and spend passes the hourly budget", () => {
    const m = rag;
    const runaway = 120;
    const end = 240;
    expect(agentLoopSpend(6)).toBeGreaterThan(m.cost.hourlyBudgetUsd!);
    const rule = alertRule(m, SIGNAL_ALERT.spendOverBudget);
    const svc = `{service="${m.name}"}`;
    run(m, ["cost"], agentLoop(runaway, end), {
      promql_expr_test: [
        firing(m, runaway - 5, []),
        near(COST_RULE.spendPerHour, svc, agentLoopSpend(1), runaway - 5),
        near(COST_RULE.spendPer1kRequests, svc, (agentLoopSpend(1) / (RUNAWAY_REQUESTS * 60)) * 1000, runaway - 5),
        near(COST_RULE.tokensPerRequest, `{service="${m.name}", token_type="input"}`, 1530, runaway - 5),
        near(COST_RULE.tokensPerCall, `{model="gpt-4o-mini", service="${m.name}", token_type="output"}`, 300, end),
      ],
      alert_rule_test: [ticketWithText(rule, end, {}, rule.annotations.description.replace(`{{ $value | printf "%.2f" }}`, agentLoopSpend(6).toFixed(2)))],
    });
  });

  it("opens no spend ticket for afternoon peaks over the budget, and one when the day's average passes it", () => {
    const m = rag;
    const budget = m.cost.hourlyBudgetUsd!;
    // Generation calls per minute averaging 80% of the budget, ±45% over the day (peaks at 116%);
    // the third day 1.4x busier (growth, not a runaway): its average passes the budget in the afternoon.
    const perCall = agentLoopSpend(1) / RUNAWAY_REQUESTS;
    const hours = Array.from({ length: 72 }, (_, h) => ({
      minutes: 60,
      perMinute: ((0.8 * budget) / perCall) * (1 + 0.45 * Math.sin((2 * Math.PI * (h - 9)) / 24)) * (h >= 48 ? 1.4 : 1),
    }));
    const rule = alertRule(m, SIGNAL_ALERT.spendOverBudget);
    const peak = (day: number) => day * MINUTES_PER_DAY + 15 * 60;
    run(m, ["cost"], pricedTraffic(hours, hours), {
      promql_expr_test: [
        near(COST_RULE.spendPerHourAvg1h, `{service="${m.name}"}`, 1.15 * budget, peak(1), 0.05 * budget),
        firing(m, peak(1), []),
        firing(m, 2 * MINUTES_PER_DAY + 10 * 60, []),
        firing(m, 3 * MINUTES_PER_DAY - 5, [{ name: rule.alert }]),
      ],
    });
  });

  it("opens a GPU-waste ticket when replicas tripled against yesterday while GPUs idle under 30%", () => {
    const m = fraud;
    const day = MINUTES_PER_DAY;
    const end = day + 120;
    const rule = alertRule(m, SIGNAL_ALERT.gpuWaste);
    run(m, ["cost"], idleScaleUp(day, end), {
      promql_expr_test: [firing(m, day - 5, []), near(COST_RULE.replicas, `{service="${m.name}"}`, 6, end)],
      alert_rule_test: [ticketWithText(rule, end, {}, rule.annotations.description.replace("{{ $value | humanizePercentage }}", "15%"))],
    });
  });
});
