/**
 * Healthy traffic on a real engine (promtool): every signal the service emits, at healthy levels,
 * with the small wobble real traffic has. Nothing may fire or even go pending, and every signal must
 * be recorded (so "quiet" is not "blind"). The recorded series are counted by name: the evaluation
 * cost in docs/signals.md.
 */
import { LABEL } from "../alerts/conventions";
import { DISTRIBUTION_RULE } from "../alerts/signalNames";
import type { ServiceModel } from "../service/model";
import { MINUTES_PER_DAY, QUERY_LENGTH_BEFORE, SCORE, WEEK, at, counter, fraud, job, rag, run, steady, withPromtool, type Family } from "./support/signalHarness";
import { seriesSelector } from "../toolkit/exposition";
import { ragJudgedTraffic } from "./support/genAiTraffic";
import { gaugeValues, histogramSeries, sharesAt, type InputSeries } from "./support/syntheticSeries";

const TOKEN = rag.metrics.genAiTokenUsage.buckets;
/** Moves `by` of the share from the largest bin to its right-hand neighbour: a wobble, not drift. */
const wobble = (shares: readonly number[], by = 0.01) => {
  const i = shares.indexOf(Math.max(...shares));
  return shares.map((s, j) => (j === i ? s - by : j === i + 1 ? s + by : s));
};
const recordedByName = (m: ServiceModel, evalMinute: number, counts: Record<string, number>) => ({
  expr: `count by (__name__) ({__name__=~".+:.+:.+", ${LABEL.service}="${m.name}"})`,
  eval_time: at(evalMinute),
  exp_samples: Object.entries(counts).map(([name, value]) => ({ labels: `{__name__="${name}"}`, value })),
});
const quietThroughout = (m: ServiceModel, end: number) => ({
  expr: `count_over_time(ALERTS{${LABEL.service}="${m.name}"}[${end}m])`,
  eval_time: at(end),
  exp_samples: [],
});
const psiStable = (m: ServiceModel, level: "feature" | "output", end: number, expected: number) => ({
  expr: `count(${DISTRIBUTION_RULE.psi(level, m.drift.window)}{${LABEL.service}="${m.name}"} < 0.1)`,
  eval_time: at(end),
  exp_samples: [{ labels: "{}", value: expected }],
});

// ---- a week of drift traffic ----

/** Distributions as [name, labels, buckets, shares, options], all observed `perMinute` times a minute. */
type Dist = [string, Record<string, string>, readonly number[], number[], { leStyle?: "python" }?];
const driftTraffic = (dists: Dist[], perMinute: number, wobbleAt: number, end: number) =>
  dists.flatMap(([name, labels, buckets, shares, opts]) =>
    histogramSeries(
      name,
      labels,
      buckets,
      [
        { minutes: wobbleAt, perMinute, shares },
        { minutes: end - wobbleAt, perMinute, shares: wobble(shares) },
      ],
      opts,
    ),
  );
const wobbleAt = WEEK + 60;
const driftEnd = WEEK + 180;

/** rag-assistant's query length, token usage (per model and type) and embedding drift. */
const ragDriftDists = (): Dist[] => {
  const c = rag.metrics;
  const tok = (model: string, type: string) => ({ ...job(rag), [c.labels.model]: model, [c.labels.tokenType]: type });
  return [
    [c.featureValue.name, { ...job(rag), feature: "query_length_chars" }, rag.drift.features[0].buckets, QUERY_LENGTH_BEFORE, { leStyle: "python" }],
    [c.genAiTokenUsage.name, tok("gpt-4o-mini", "input"), TOKEN, sharesAt(TOKEN, { "1024": 0.3, "4096": 0.7 })],
    [c.genAiTokenUsage.name, tok("gpt-4o-mini", "output"), TOKEN, sharesAt(TOKEN, { "64": 0.1, "256": 0.4, "1024": 0.5 })],
    [c.genAiTokenUsage.name, tok("text-embedding-3-small", "input"), TOKEN, sharesAt(TOKEN, { "16": 0.2, "64": 0.8 })],
    [c.embeddingDrift.name, job(rag), c.embeddingDrift.buckets, sharesAt(SCORE, { "0.1": 0.3, "0.2": 0.4, "0.3": 0.2, "0.5": 0.1 })],
    [c.retrievalChunkScore.name, { ...job(rag), [c.labels.indexVersion]: "idx-1" }, c.retrievalChunkScore.buckets, sharesAt(SCORE, { "0.5": 0.1, "0.6": 0.2, "0.7": 0.3, "0.8": 0.25, "0.9": 0.15 })],
  ];
};
/** fraud-scoring's three features (amount_usd at its pinned baseline) and its prediction score. */
const fraudDriftDists = (): Dist[] => {
  const c = fraud.metrics;
  const [amount, risk, age] = fraud.drift.features;
  const feature = (name: string) => ({ ...job(fraud), feature: name });
  return [
    [c.featureValue.name, feature(amount.name), amount.buckets, [...amount.baselineFractions!]],
    [c.featureValue.name, feature(risk.name), risk.buckets, sharesAt(risk.buckets, { "0.1": 0.5, "0.3": 0.3, "0.6": 0.15, "1": 0.05 })],
    [c.featureValue.name, feature(age.name), age.buckets, sharesAt(age.buckets, { "7": 0.05, "30": 0.1, "365": 0.35, "1825": 0.4, "+Inf": 0.1 })],
    [c.predictionScore.name, job(fraud), c.predictionScore.buckets, sharesAt(SCORE, { "0.1": 0.9, "0.5": 0.07, "1": 0.03 })],
  ];
};
// ---- a day of data-quality, quality and cost traffic ----

const end = MINUTES_PER_DAY + 120;
const gauge = (name: string, labels: Record<string, string>, level: number): InputSeries => ({
  series: seriesSelector(name, labels),
  values: gaugeValues([{ minutes: end, level }]),
});

/** rag-assistant at 120 requests a minute: a little missing data, good scores, three token streams, a warm cache, two replicas. */
const ragDayTraffic = (): InputSeries[] => {
  const c = rag.metrics;
  const requests = 120;
  const evaluated = 12;
  const v1 = { ...job(rag), [c.labels.modelVersion]: "v1" };
  const score = (name: string, shares: number[]) =>
    histogramSeries(c.evaluationScore.name, { ...v1, [c.labels.evaluation]: name }, SCORE, [{ minutes: end, perMinute: evaluated, shares }]);
  const tokens = (model: string, type: string, perCall: number) => {
    const l = { ...job(rag), [c.labels.model]: model, [c.labels.tokenType]: type };
    return [
      counter(`${c.genAiTokenUsage.name}_count`, l, steady(end, requests)),
      counter(`${c.genAiTokenUsage.name}_sum`, l, steady(end, requests * perCall)),
    ];
  };
  const feature = { ...job(rag), feature: "query_length_chars" };
  return [
    counter(`${c.httpRequestDuration.name}_count`, { ...job(rag), [c.labels.httpStatusCode]: "200" }, steady(end, requests)),
    counter(c.featureMissing.name, feature, steady(end, requests * 0.001)),
    counter(c.featureDefaulted.name, feature, steady(end, requests * 0.01)),
    counter(c.schemaViolations.name, job(rag), steady(end, requests * 0.0005)),
    ...score("relevance", sharesAt(SCORE, { "0.5": 0.02, "0.9": 0.5, "1": 0.48 })),
    ...score("faithfulness", sharesAt(SCORE, { "0.6": 0.05, "0.9": 0.55, "1": 0.4 })),
    counter(c.hallucinations.name, v1, steady(end, evaluated * 0.01)),
    counter(c.refusals.name, v1, steady(end, evaluated * 0.005)),
    counter(c.feedback.name, { ...v1, [c.labels.feedback]: "positive" }, steady(end, 2)),
    counter(c.feedback.name, { ...v1, [c.labels.feedback]: c.values.feedbackNegative }, steady(end, 0.2)),
    ...tokens("gpt-4o-mini", c.values.tokenInput, 1500),
    ...tokens("gpt-4o-mini", c.values.tokenOutput, 300),
    ...tokens("text-embedding-3-small", c.values.tokenInput, 30),
    counter(c.cacheRequests.name, { ...job(rag), [c.labels.cacheResult]: c.values.cacheHit }, steady(end, 36)),
    counter(c.cacheRequests.name, { ...job(rag), [c.labels.cacheResult]: "miss" }, steady(end, 84)),
    gauge(c.up.name, { ...job(rag), instance: "r0" }, 1),
    gauge(c.up.name, { ...job(rag), instance: "r1" }, 1),
    ...ragJudgedTraffic(end),
  ];
};
/** fraud-scoring at 3000 predictions a minute: rare missing features, accurate scores, two busy GPU replicas. */
const fraudDayTraffic = (): InputSeries[] => {
  const c = fraud.metrics;
  const predictions = 3000;
  const v1 = { ...job(fraud), [c.labels.modelVersion]: "v1" };
  const missingShare: Record<string, number> = { amount_usd: 0, merchant_risk_score: 0.001, account_age_days: 0.0002 };
  return [
    counter(c.predictions.name, v1, steady(end, predictions)),
    ...fraud.drift.features.flatMap((f) => [
      counter(c.featureMissing.name, { ...job(fraud), feature: f.name }, steady(end, predictions * missingShare[f.name])),
      counter(c.featureDefaulted.name, { ...job(fraud), feature: f.name }, steady(end, predictions * 0.002)),
    ]),
    counter(c.schemaViolations.name, job(fraud), steady(end, 1)),
    ...histogramSeries(c.evaluationScore.name, { ...v1, [c.labels.evaluation]: "accuracy" }, SCORE, [
      { minutes: end, perMinute: 300, shares: sharesAt(SCORE, { "0.5": 0.05, "0.9": 0.45, "1": 0.5 }) },
    ]),
    ...["r0", "r1"].flatMap((r) => [
      gauge(c.up.name, { ...job(fraud), instance: r }, 1),
      gauge(c.gpuUtilization.name, { ...job(fraud), instance: r, gpu: "0" }, 65),
    ]),
  ];
};
/** Recorded series counted by name after each scenario: the evaluation cost in docs/signals.md. */
const RECORDED = {
  ragDrift: {
    "service_feature_bucket:observations:increase1h": 8,
    "service_feature_bucket:baseline_observations:increase1h": 8,
    "service_feature:observations:increase1h": 1,
    "service_feature_bin:share:ratio1h": 8,
    "service_feature_bin:baseline_share:ratio1h": 8,
    "service_feature:psi:ratio1h": 1,
    "service_feature:js_divergence:ratio1h": 1,
    // response_tokens, prompt_tokens, embedding_distance and retrieval_score.
    "service_output_bucket:observations:increase1h": 52,
    "service_output_bucket:baseline_observations:increase1h": 52,
    "service_output:observations:increase1h": 4,
    "service_output_bin:share:ratio1h": 52,
    "service_output_bin:baseline_share:ratio1h": 52,
    "service_output:psi:ratio1h": 4,
    "service_output:js_divergence:ratio1h": 4,
  },
  fraudDrift: {
    // amount_usd's baseline is pinned: no baseline bucket observations for its 7 bins.
    "service_feature_bucket:observations:increase1h": 25,
    "service_feature_bucket:baseline_observations:increase1h": 18,
    "service_feature:observations:increase1h": 3,
    "service_feature_bin:share:ratio1h": 25,
    "service_feature_bin:baseline_share:ratio1h": 25,
    "service_feature:psi:ratio1h": 3,
    "service_feature:js_divergence:ratio1h": 3,
    "service_output_bucket:observations:increase1h": 11,
    "service_output_bucket:baseline_observations:increase1h": 11,
    "service_output:observations:increase1h": 1,
    "service_output_bin:share:ratio1h": 11,
    "service_output_bin:baseline_share:ratio1h": 11,
    "service_output:psi:ratio1h": 1,
    "service_output:js_divergence:ratio1h": 1,
  },
  ragDay: {
    "service_feature:missing:ratio_rate5m": 1,
    "service_feature:missing:ratio_rate1h": 1,
    "service_feature:defaulted:ratio_rate5m": 1,
    "service_feature:defaulted:ratio_rate1h": 1,
    "service:schema_violations:ratio_rate5m": 1,
    "service:schema_violations:ratio_rate1h": 1,
    "service_evaluation_model_version:evaluated:rate1h": 2,
    "service_evaluation_model_version:score_bad:rate1h": 2,
    "service_model_version:hallucinations:rate1h": 1,
    "service_model_version:refusals:rate1h": 1,
    "service_model_version:feedback:rate1h": 1,
    "service_model_version:negative_feedback:rate1h": 1,
    "service_evaluation_model_version:score_good:ratio_rate1h": 2,
    "service_evaluation_model_version:evaluated:increase1h": 2,
    "service_evaluation_model_version:evaluated:increase1d": 2,
    "service_model_version:evaluated:increase1h": 1,
    "service_model_version:evaluated:increase1d": 1,
    "service_model_version:feedback:increase1h": 1,
    "service_model_version:feedback:increase1d": 1,
    "service_model_version_index_version:retrieval_evaluations:increase1h": 1,
    "service_model_version_index_version:retrieval_evaluations:increase1d": 1,
    "service_model_version_index_version:citations:increase1h": 1,
    "service_model_version_index_version:citations:increase1d": 1,
    "service_evaluation_model_version:score_good:ratio_rate1d": 2,
    "service_model_version:hallucinations:ratio_rate1h": 1,
    "service_model_version:hallucinations:ratio_rate1d": 1,
    "service_model_version:refusals:ratio_rate1h": 1,
    "service_model_version:refusals:ratio_rate1d": 1,
    "service_model_version:negative_feedback:ratio_rate1h": 1,
    "service_model_version:negative_feedback:ratio_rate1d": 1,
    "service_model_token_type:gen_ai_tokens:rate5m": 3,
    "service_model_token_type:gen_ai_tokens_per_call:ratio_rate5m": 3,
    "service_token_type:gen_ai_tokens_per_request:ratio_rate5m": 2,
    "service_model:gen_ai_spend_usd_per_hour:rate5m": 2,
    "service:gen_ai_spend_usd_per_hour:rate5m": 1,
    "service:gen_ai_spend_usd_per_hour:avg1h": 1,
    "service:gen_ai_spend_usd_per_hour:avg1d": 1,
    "service:gen_ai_spend_usd_per_1k_requests:rate5m": 1,
    "service:cache_hits:ratio_rate5m": 1,
    "service:replicas:count": 1,
    "service_model_prompt_version:prompt_injections:rate1h": 1,
    "service_model_prompt_version:prompt_injections_accepted:rate1h": 1,
    "service_model_prompt_version:safety_evaluations:rate1h": 1,
    "service_model_prompt_version:unsafe_completions:rate1h": 1,
    "service_model_prompt_version:refusal_evaluations:rate1h": 1,
    "service_model_prompt_version:unwarranted_refusals:rate1h": 1,
    "service_model_prompt_version:prompt_injections_accepted:ratio_rate1h": 1,
    "service_model_prompt_version:prompt_injections_accepted:ratio_rate1d": 1,
    "service_model_prompt_version:unsafe_completions:ratio_rate1h": 1,
    "service_model_prompt_version:unsafe_completions:ratio_rate1d": 1,
    "service_model_prompt_version:unwarranted_refusals:ratio_rate1h": 1,
    "service_model_prompt_version:unwarranted_refusals:ratio_rate1d": 1,
    "service_model_prompt_version:prompt_injections:increase1h": 1,
    "service_model_prompt_version:prompt_injections:increase1d": 1,
    "service_model_prompt_version:safety_evaluations:increase1h": 1,
    "service_model_prompt_version:safety_evaluations:increase1d": 1,
    "service_model_prompt_version:refusal_evaluations:increase1h": 1,
    "service_model_prompt_version:refusal_evaluations:increase1d": 1,
    "service_model_version_index_version:retrieval_evaluations:rate1h": 1,
    "service_model_version_index_version:retrieval_misses:rate1h": 1,
    "service_model_version_index_version:citations:rate1h": 1,
    "service_model_version_index_version:citations_supported:rate1h": 1,
    "service_model_version_index_version:retrieval_misses:ratio_rate1h": 1,
    "service_model_version_index_version:retrieval_misses:ratio_rate1d": 1,
    "service_model_version_index_version:citations_supported:ratio_rate1h": 1,
    "service_model_version_index_version:citations_supported:ratio_rate1d": 1,
    "service_evaluation:judge_labels:rate1h": 1,
    "service_evaluation:judge_agreed:rate1h": 1,
    "service_evaluation:judge_agreement:ratio_rate7d": 1,
    "service_evaluation:judge_labels:count7d": 1,
  },
  fraudDay: {
    "service_feature:missing:ratio_rate5m": 3,
    "service_feature:missing:ratio_rate1h": 3,
    "service_feature:defaulted:ratio_rate5m": 3,
    "service_feature:defaulted:ratio_rate1h": 3,
    "service:schema_violations:ratio_rate5m": 1,
    "service:schema_violations:ratio_rate1h": 1,
    "service_evaluation_model_version:evaluated:rate1h": 1,
    "service_evaluation_model_version:score_bad:rate1h": 1,
    "service_evaluation_model_version:score_good:ratio_rate1h": 1,
    "service_evaluation_model_version:evaluated:increase1h": 1,
    "service_evaluation_model_version:evaluated:increase1d": 1,
    "service_evaluation_model_version:score_good:ratio_rate1d": 1,
    "service:gpu_utilization:ratio_avg5m": 1,
    "service:replicas:count": 1,
  },
};

/** A week of wobbling drift traffic: nothing fires, the given number of feature and output PSIs stay under 0.1, every series is recorded. */
const expectStableDrift = (m: ServiceModel, dists: Dist[], perMinute: number, psiStableCount: { feature: number; output: number }, series: Record<string, number>) =>
  run(m, ["feature-drift", "output-drift"], driftTraffic(dists, perMinute, wobbleAt, driftEnd), {
    promql_expr_test: [
      quietThroughout(m, driftEnd),
      psiStable(m, "feature", driftEnd, psiStableCount.feature),
      psiStable(m, "output", driftEnd, psiStableCount.output),
      recordedByName(m, driftEnd, series),
    ],
  });

/** A day of healthy traffic: nothing fires, every data-quality, quality and cost series is recorded. */
const expectQuietDay = (m: ServiceModel, traffic: InputSeries[], series: Record<string, number>, genAi: readonly Family[] = []) =>
  run(m, ["data-quality", "quality-hourly", "quality", "cost", ...genAi], traffic, {
    promql_expr_test: [quietThroughout(m, end), recordedByName(m, end, series)],
  });

withPromtool("healthy traffic opens no ticket and records every signal", () => {
  it("keeps rag-assistant's drift signals stable and quiet for a week of healthy traffic", () => {
    expectStableDrift(rag, ragDriftDists(), 120, { feature: 1, output: 4 }, RECORDED.ragDrift);
  });

  it("keeps fraud-scoring's drift signals stable and quiet for a week of healthy traffic", () => {
    expectStableDrift(fraud, fraudDriftDists(), 100, { feature: 3, output: 1 }, RECORDED.fraudDrift);
  });

  it("keeps rag-assistant's data-quality, quality, cost, safety, retrieval and judge signals quiet for a day of healthy traffic", () => {
    expectQuietDay(rag, ragDayTraffic(), RECORDED.ragDay, ["safety", "retrieval", "judge"]);
  });

  it("keeps fraud-scoring's data-quality, quality and cost signals quiet for a day of healthy traffic", () => {
    expectQuietDay(fraud, fraudDayTraffic(), RECORDED.fraudDay);
  });
});
