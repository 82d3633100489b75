/**
 * Safety, retrieval and judge-calibration incidents replayed from synthetic traffic on a real
 * engine (promtool): each opens its ticket with the exact text for the release that caused it,
 * and nothing fires before it (or, for the judge, on a handful of labels).
 */
import { TILE_INTERVAL } from "../alerts/cadence";
import { renderRuleFile } from "../alerts/render/prometheusRules";
import { DISTRIBUTION_RULE, SIGNAL_ALERT } from "../alerts/signalNames";
import { GENAI_SIGNAL_ALERT, JUDGE_RULE, JUDGE_WINDOW, RETRIEVAL_RULE, SAFETY_RULE } from "../alerts/genAiSignalNames";
import { EMPTY_BIN_SHARE } from "../alerts/signals/distributionShift";
import type { ServiceModel } from "../service/model";
import { testRules, type PromtoolTestCase } from "./support/promtool";
import { WEEK, alertRule, at, counter, firing, groupsOf, job, near, rag, run, steady, ticketWithText, withPromtool, type Family } from "./support/signalHarness";
import { verdictCounters } from "./support/genAiTraffic";
import { histogramSeries, sharesAt, type InputSeries } from "./support/syntheticSeries";

const c = rag.metrics;
const L = c.labels;
const V = c.values;
const fill = (text: string, values: Record<string, string>) => Object.entries(values).reduce((t, [k, v]) => t.split(k).join(v), text);

// ---- safety: a prompt release p2 with the guardrail in log-only mode ----

interface SafetyLevels {
  readonly accepted: number;
  readonly unsafe: number;
  readonly unwarranted: number;
}
const safetyRelease = (release: number, end: number, p2: SafetyLevels): InputSeries[] => {
  const phases = [
    { prompt: "p1", minutes: release, absent: 0, accepted: 0.01, unsafe: 0.001, unwarranted: 0.05 },
    { prompt: "p2", minutes: end - release, absent: release, ...p2 },
  ];
  return phases.flatMap((p) => {
    const l = { ...job(rag), [L.model]: "gpt-4o-mini", [L.promptVersion]: p.prompt };
    return [
      ...verdictCounters(c.promptInjections.name, l, L.guardrailAction, "allowed", V.guardrailBlocked, p.minutes, 20, p.accepted, p.absent),
      ...verdictCounters(c.safetyEvaluations.name, l, L.safetyVerdict, V.safetyUnsafe, "safe", p.minutes, 60, p.unsafe, p.absent),
      ...verdictCounters(c.refusalEvaluations.name, l, L.refusalVerdict, V.refusalUnwarranted, "warranted", p.minutes, 10, p.unwarranted, p.absent),
    ];
  });
};

// ---- retrieval: a re-index to idx-2 that loses documents ----

const reindex = (release: number, end: number, idx2: { miss: number; supported: number }): InputSeries[] => {
  const phases = [
    { index: "idx-1", minutes: release, absent: 0, miss: 0.02, supported: 0.97 },
    { index: "idx-2", minutes: end - release, absent: release, ...idx2 },
  ];
  return phases.flatMap((p) => {
    const l = { ...job(rag), [L.modelVersion]: "v1", [L.indexVersion]: p.index };
    return [
      ...verdictCounters(c.retrievalEvaluations.name, l, L.retrievalOutcome, V.retrievalMiss, "hit", p.minutes, 60, p.miss, p.absent),
      ...verdictCounters(c.citations.name, l, L.citationVerdict, V.citationSupported, "unsupported", p.minutes, 120, p.supported, p.absent),
    ];
  });
};

// Chunk-score bins: <=0.1 ... <=1, +Inf. A re-index with a weaker embedding model moves scores down.
const SCORE = c.retrievalChunkScore.buckets;
const CHUNKS_BEFORE = sharesAt(SCORE, { "0.4": 0.05, "0.5": 0.1, "0.6": 0.2, "0.7": 0.3, "0.8": 0.25, "0.9": 0.1 });
const CHUNKS_AFTER = sharesAt(SCORE, { "0.4": 0.1, "0.5": 0.2, "0.6": 0.3, "0.7": 0.25, "0.8": 0.1, "0.9": 0.05 });
const clamp = (x: number) => Math.max(x, EMPTY_BIN_SHARE);
const psi = (now: readonly number[], base: readonly number[]) => now.reduce((s, p, i) => s + (clamp(p) - clamp(base[i])) * Math.log(clamp(p) / clamp(base[i])), 0);

// ---- judge: labels per minute and the share the judge agrees with ----

const judgeLabels = (minutes: number, perMinute: number, agree: number) =>
  verdictCounters(c.judgeLabels.name, { ...job(rag), [L.evaluation]: "relevance" }, L.judgeAgreement, V.judgeAgree, "disagree", minutes, perMinute, agree);

/**
 * The judge group reads only hourly tiles, so the suite runs at the tiles' own interval (the
 * harness's `run` would evaluate them every 4 minutes, overlapping and overcounting samples).
 */
const runHourly = (m: ServiceModel, families: readonly Family[], series: InputSeries[], test: Omit<PromtoolTestCase, "interval" | "input_series">) =>
  testRules(renderRuleFile(groupsOf(m).filter((g) => families.some((f) => g.name === `${m.name}-signals-${f}`))), [{ interval: "1m", input_series: series, ...test }], TILE_INTERVAL);

withPromtool("safety, retrieval and judge tickets open on incidents replayed from synthetic traffic", () => {
  it("opens injection, unsafe-completion and unwarranted-refusal tickets for the new prompt version only", () => {
    const release = 180;
    const end = 300;
    const p2 = { model: "gpt-4o-mini", prompt_version: "p2" };
    const rules = [GENAI_SIGNAL_ALERT.injectionsAccepted, GENAI_SIGNAL_ALERT.unsafeCompletions, GENAI_SIGNAL_ALERT.unwarrantedRefusals].map((a) => alertRule(rag, a));
    const text = (i: number, value: string) => fill(rules[i].annotations.description, { "{{ $value | humanizePercentage }}": value, "{{ $labels.model }}": "gpt-4o-mini", "{{ $labels.prompt_version }}": "p2" });
    run(rag, ["quality-hourly", "safety"], safetyRelease(release, end, { accepted: 0.3, unsafe: 0.02, unwarranted: 0.5 }), {
      promql_expr_test: [
        firing(rag, release - 5, []),
        firing(rag, end, rules.map((r) => ({ name: r.alert, labels: p2 }))),
        // The previous prompt version keeps its healthy day-long ratio for the comparison panel.
        near(SAFETY_RULE.injectionsAccepted("1d"), `{model="gpt-4o-mini", prompt_version="p1", service="${rag.name}"}`, 0.01, end),
      ],
      alert_rule_test: [
        ticketWithText(rules[0], end, p2, text(0, "30%")),
        ticketWithText(rules[1], end, p2, text(1, "2%")),
        ticketWithText(rules[2], end, p2, text(2, "50%")),
      ],
    });
    expect(text(0, "30%")).toBe(
      "30% of detected prompt-injection attempts were not blocked for model gpt-4o-mini with prompt version p2 over the last 1h (limit 5%), more than counting noise on the hour's or the day's judged events. Check the guardrail's mode and threshold and the latest policy or prompt change.",
    );
  });

  it("opens no safety ticket on a quiet night's two unsafe completions among 30 judged, a 7% hour against a 0.5% limit", () => {
    // Half a safety evaluation a minute, all safe but two in one minute at 10 h; the limit allows 0.15 an hour.
    const quiet = 12 * 60;
    const unsafeAt = 10 * 60;
    const prompt = { ...job(rag), [L.model]: "gpt-4o-mini", [L.promptVersion]: "p1" };
    const series = [
      counter(c.safetyEvaluations.name, { ...prompt, [L.safetyVerdict]: "safe" }, steady(quiet, 0.5)),
      counter(c.safetyEvaluations.name, { ...prompt, [L.safetyVerdict]: V.safetyUnsafe }, [
        { minutes: unsafeAt, perMinute: 0 },
        { minutes: 1, perMinute: 2 },
        { minutes: quiet - unsafeAt - 1, perMinute: 0 },
      ]),
    ];
    runHourly(rag, ["quality-hourly", "safety"], series, {
      promql_expr_test: [
        // The hour's ratio is far over the limit for the hour after the two, and no ticket opens.
        near(SAFETY_RULE.unsafeCompletions("1h"), `{model="gpt-4o-mini", prompt_version="p1", service="${rag.name}"}`, 2 / 32, unsafeAt + 60, 0.01),
        near(SAFETY_RULE.safetyEvaluated("1h"), `{model="gpt-4o-mini", prompt_version="p1", service="${rag.name}"}`, 32, unsafeAt + 60, 1),
        { expr: `count_over_time(ALERTS{service="${rag.name}"}[${quiet}m])`, eval_time: at(quiet), exp_samples: [] },
      ],
    });
  });

  it("opens the unsafe-completion ticket on a day's evidence of a small excess no single hour shows, and closes it once the hour is back under the limit", () => {
    // 40 evaluations a minute at 0.8% unsafe against a 0.5% limit: an hour holds 19.2 unsafe where 12
    // are allowed and 20.9 would be more than noise; after 2 hours the day's 38.4 against 24 allowed
    // are (35.8 would do), and the hourly evaluation's 15-minute hold fires it an hour later.
    // At 8 h the prompt is fixed (0.1%): two hours later the hour's ratio is under the limit.
    const fixedAt = 8 * 60;
    const end = 10 * 60;
    const rule = alertRule(rag, GENAI_SIGNAL_ALERT.unsafeCompletions);
    const prompt = { ...job(rag), [L.model]: "gpt-4o-mini", [L.promptVersion]: "p1" };
    const phases = (share: number) => [
      { minutes: fixedAt, perMinute: 40 * share },
      { minutes: end - fixedAt, perMinute: 40 * (share === 0.008 ? 0.001 : 0.999) },
    ];
    const series = [
      counter(c.safetyEvaluations.name, { ...prompt, [L.safetyVerdict]: V.safetyUnsafe }, phases(0.008)),
      counter(c.safetyEvaluations.name, { ...prompt, [L.safetyVerdict]: "safe" }, phases(0.992)),
    ];
    const labels = { model: "gpt-4o-mini", prompt_version: "p1" };
    runHourly(rag, ["quality-hourly", "safety"], series, {
      promql_expr_test: [
        firing(rag, 2 * 60, []),
        near(SAFETY_RULE.unsafeCompletions("1h"), `{model="gpt-4o-mini", prompt_version="p1", service="${rag.name}"}`, 0.008, 6 * 60, 1e-4),
        firing(rag, 6 * 60, [{ name: rule.alert, labels }]),
        firing(rag, end, []),
      ],
    });
  });

  it("opens retrieval-miss and citation tickets naming the new index version after a re-index loses documents", () => {
    const release = 180;
    const end = 300;
    const idx2 = { model_version: "v1", index_version: "idx-2" };
    const misses = alertRule(rag, GENAI_SIGNAL_ALERT.retrievalMisses);
    const citations = alertRule(rag, GENAI_SIGNAL_ALERT.citationSupport);
    run(rag, ["quality-hourly", "retrieval"], reindex(release, end, { miss: 0.25, supported: 0.7 }), {
      promql_expr_test: [
        firing(rag, release - 5, []),
        firing(rag, end, [
          { name: misses.alert, labels: idx2 },
          { name: citations.alert, labels: idx2 },
        ]),
        near(RETRIEVAL_RULE.misses("1d"), `{index_version="idx-1", model_version="v1", service="${rag.name}"}`, 0.02, end),
      ],
      alert_rule_test: [
        ticketWithText(
          misses,
          end,
          idx2,
          "25% of evaluated retrievals of model version v1 on index version idx-2 held no relevant source over the last 1h (limit 8%), more than counting noise on the hour's or the day's evaluated retrievals. Compare index versions on the quality dashboard and check the latest re-index or embedding change.",
        ),
        ticketWithText(
          citations,
          end,
          idx2,
          "Only 70% of citations in answers of model version v1 on index version idx-2 were supported by their passage over the last 1h (target 90%), more than counting noise on the hour's or the day's checked citations. Check retrieval misses and the latest prompt or model change.",
        ),
      ],
    });
  });

  it("opens the chunk-score drift ticket, and not the generic output-drift one, when a re-index shifts chunk scores against last week", () => {
    const shiftAt = WEEK + 60;
    const end = shiftAt + 120;
    const expected = psi(CHUNKS_AFTER, CHUNKS_BEFORE);
    expect(expected).toBeGreaterThan(rag.quality.retrieval!.maxChunkScorePsi);
    const rule = alertRule(rag, GENAI_SIGNAL_ALERT.retrievalScoreDrift);
    const series = histogramSeries(c.retrievalChunkScore.name, { ...job(rag), [L.indexVersion]: "idx-1" }, SCORE, [
      { minutes: shiftAt, perMinute: 20, shares: CHUNKS_BEFORE },
      { minutes: end - shiftAt, perMinute: 20, shares: CHUNKS_AFTER },
    ]);
    run(rag, ["output-drift"], series, {
      promql_expr_test: [
        firing(rag, shiftAt, []),
        near(DISTRIBUTION_RULE.psi("output", rag.drift.window), `{output="retrieval_score", service="${rag.name}"}`, expected, end),
        firing(rag, end, [{ name: rule.alert, labels: { output: "retrieval_score" } }]),
      ],
      alert_rule_test: [
        ticketWithText(rule, end, { output: "retrieval_score" }, rule.annotations.description.replace(`{{ $value | printf "%.3f" }}`, expected.toFixed(3))),
        { eval_time: at(end), alertname: alertRule(rag, SIGNAL_ALERT.outputDrift).alert, exp_alerts: [] },
      ],
    });
  });

  it("opens the judge ticket once enough labels show the relevance judge disagreeing with people", () => {
    // 30 labels an hour, the judge agreeing on 60%: the 100-label guard is passed after about 3.3 hours.
    const end = 6 * 60;
    const rule = alertRule(rag, GENAI_SIGNAL_ALERT.judgeDisagrees("relevance"));
    const labels = { evaluation: "relevance" };
    runHourly(rag, ["quality-hourly", "judge"], judgeLabels(end, 0.5, 0.6), {
      promql_expr_test: [
        firing(rag, 3 * 60, []),
        near(JUDGE_RULE.agreement(JUDGE_WINDOW), `{evaluation="relevance", service="${rag.name}"}`, 0.6, end),
        near(JUDGE_RULE.labelled(JUDGE_WINDOW), `{evaluation="relevance", service="${rag.name}"}`, 6 * 30, end, 1e-6),
      ],
      alert_rule_test: [
        ticketWithText(
          rule,
          end,
          labels,
          "The LLM judge of relevance agreed with the human label on only 60% of the samples labelled over the last 7d (minimum 85%, judged once 100 samples are labelled). " +
            "Every relevance panel, SLO and ticket reads this judge: review the disagreements and recalibrate its prompt or model before trusting them.",
        ),
      ],
    });
  });

  it("opens no judge ticket on a handful of labels, however much they disagree, nor on a judge that agrees", () => {
    const end = 2 * 24 * 60;
    // Under two labels an hour for two days (86 in all, under the guard of 100) at 50% agreement; and 30 an hour at 95%.
    const sparse = judgeLabels(end, 0.03, 0.5);
    runHourly(rag, ["quality-hourly", "judge"], sparse, {
      promql_expr_test: [
        { expr: `count_over_time(ALERTS{service="${rag.name}"}[${end}m])`, eval_time: at(end), exp_samples: [] },
        near(JUDGE_RULE.agreement(JUDGE_WINDOW), `{evaluation="relevance", service="${rag.name}"}`, 0.5, end),
        near(JUDGE_RULE.labelled(JUDGE_WINDOW), `{evaluation="relevance", service="${rag.name}"}`, 0.03 * end, end),
      ],
    });
    runHourly(rag, ["quality-hourly", "judge"], judgeLabels(end, 0.5, 0.95), {
      promql_expr_test: [{ expr: `count_over_time(ALERTS{service="${rag.name}"}[${end}m])`, eval_time: at(end), exp_samples: [] }],
    });
  });
});
