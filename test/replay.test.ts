/**
 * Incident replay under `promtool test rules`: the seeded generator (replay/) emits what the
 * example services' instrumentation would during healthy days and during incidents, promtool
 * evaluates every generated recording rule and alert over it, and ALERTS{alertstate="firing"} must
 * show exactly the alerts each scenario promises (name, severity, labels), by their deadlines, and
 * nothing else after the replay's warm-up hour. The scenarios live in replay/scenarios/; the
 * detection benchmark (scripts/bench-detection.ts) measures the same runs.
 */
import { loadServicesFiles } from "../service/load";
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { formatMinutes } from "../replay/detection";
import { psi } from "../replay/distributions";
import { healthyState } from "../replay/healthy";
import { compactValues, expandValues, readByRules } from "../replay/promtoolInput";
import { runPromtool } from "../replay/promtoolRun";
import { scenarioRun } from "../replay/promtoolScenario";
import { DEFAULT_SEED, scenarioSeries, type Scenario } from "../replay/scenario";
import { exampleServices, healthyScenarios, incidentScenarios } from "../replay/scenarios";
import { driftedShares } from "../replay/scenarios/inputDrift";
import { generateSeries } from "../replay/generate";
import type { Series } from "../replay/seriesBook";
import { sliceCells } from "../replay/slices";
import { promtoolMissing, testRules } from "./support/promtool";
import { healthyMonths } from "../replay/families/healthyMonths";

const ex = exampleServices(loadServicesFiles(EXAMPLE_SERVICE_FILES));

describe("the replay generator", () => {
  const minutes = 180;
  const series = (seed: number) => generateSeries(ex.rag, { seed, minutes, stateAt: (t) => healthyState(ex.rag, t, seed) });

  it("gives the same series for the same seed and different noise for another seed", () => {
    const a = series(1);
    const b = series(1);
    const c = series(2);
    expect(a.map((s) => [s.name, s.labels, [...s.values]])).toEqual(b.map((s) => [s.name, s.labels, [...s.values]]));
    expect(a.map((s) => [...s.values])).not.toEqual(c.map((s) => [...s.values]));
  });

  it("emits histograms as the contract says: every bucket plus +Inf, cumulative, +Inf equal to _count, counters that never decrease", () => {
    const all = series(DEFAULT_SEED);
    const h = ex.rag.metrics.httpRequestDuration;
    // One histogram: status 200 in the first slice cell (region and track, as the example declares them).
    const cell = Object.entries(sliceCells(ex.rag)[0]);
    const ok = (s: Series) => s.labels.http_response_status_code === "200" && cell.every(([k, v]) => s.labels[k] === v);
    const buckets = all.filter((s) => s.name === `${h.name}_bucket` && ok(s));
    expect(buckets.map((s) => s.labels.le)).toEqual([...h.buckets.map(String), "+Inf"]);
    const count = all.find((s) => s.name === `${h.name}_count` && ok(s))!;
    const broken: string[] = [];
    for (let t = 0; t <= minutes; t++) {
      const cumulative = buckets.map((s) => s.values[t]);
      if (cumulative.some((v, i) => i > 0 && v < cumulative[i - 1])) broken.push(`buckets decrease with le at minute ${t}`);
      if (cumulative[cumulative.length - 1] !== count.values[t]) broken.push(`+Inf differs from _count at minute ${t}`);
    }
    for (const s of all.filter((x) => x.kind === "counter"))
      for (let t = 1; t <= minutes; t++) if (s.values[t] < s.values[t - 1]) broken.push(`${s.name}${JSON.stringify(s.labels)} decreases at minute ${t}`);
    expect(broken).toEqual([]);
  });

  it("emits every label the rules and panels select on, for both example services", () => {
    const labelsOf = (m: typeof ex.rag) => {
      const all = generateSeries(m, { seed: DEFAULT_SEED, minutes: 2, stateAt: (t) => healthyState(m, t, DEFAULT_SEED) });
      return new Set(all.flatMap((s) => Object.keys(s.labels).map((k) => `${s.name}/${k}`)));
    };
    const rag = labelsOf(ex.rag);
    const L = ex.rag.metrics.labels;
    for (const want of [
      `http_server_request_duration_seconds_count/${L.httpStatusCode}`,
      `http_server_request_duration_seconds_count/${L.errorType}`,
      `traces_span_metrics_calls_total/${L.stage}`,
      `traces_span_metrics_calls_total/${L.spanStatus}`,
      `gen_ai_client_token_usage_bucket/${L.tokenType}`,
      `gen_ai_client_operation_duration_seconds_count/${L.model}`,
      `gen_ai_evaluation_score_count/${L.evaluation}`,
      `gen_ai_evaluation_score_count/${L.modelVersion}`,
      `user_feedback_total/${L.feedback}`,
      `cache_requests_total/${L.cacheResult}`,
      `model_feature_value_bucket/${L.feature}`,
      "DCGM_FI_DEV_GPU_UTIL/instance",
      "up/instance",
      "rag_queries_good_total/job",
      "rag_queries_total/job",
    ])
      expect(rag).toContain(want);
    const fraud = labelsOf(ex.fraud);
    for (const want of ["model_predictions_total/model_version", "model_prediction_score_bucket/model_version", "model_feature_missing_total/feature"])
      expect(fraud).toContain(want);
  });

  /** Where the decoded samples step the other way from the generated ones (a counter's dip reads as a reset). */
  const turned = (generated: ArrayLike<number>, decoded: readonly number[]) => {
    const at: number[] = [];
    let prev = -1;
    for (let i = 0; i < generated.length; i++) {
      if (Number.isNaN(generated[i])) continue;
      if (prev >= 0) {
        const [g, d] = [generated[i] - generated[prev], decoded[i] - decoded[prev]];
        if ((g >= 0 && d < 0) || (g <= 0 && d > 0)) at.push(i);
      }
      prev = i;
    }
    return at;
  };

  it("writes promtool's expanding notation that expands back to the same samples, each within a billionth", () => {
    for (const s of series(DEFAULT_SEED)) {
      const back = expandValues(compactValues(s.values));
      expect(back).toHaveLength(s.values.length);
      const off = back.filter((v, i) => (Number.isNaN(s.values[i]) ? !Number.isNaN(v) : !(Math.abs(v - s.values[i]) <= 1e-9 * Math.max(1, Math.abs(s.values[i])))));
      expect(off).toEqual([]);
      expect(turned(s.values, back)).toEqual([]);
    }
    expect(compactValues([0, 1, 2, 3, Number.NaN, Number.NaN, 5, 5, 5, 7])).toBe("0+1x3 _x2 5x2 7");
  });

  // A stretch of the fraud service's error-latency _sum counter: rounded to 12 digits after a run
  // whose step accumulates, it used to be written a hair below the sample before it.
  const sumCounter = [6.25497946092888, 6.25497946092888, 6.3456313371742255, 6.3456313371742255, 6.436283213419571, 6.526935089664917, 6.526935089664917, 6.526935089664917, 6.526935089664917];

  it("never writes a counter below its previous sample, so promtool's rate() sees no reset", () => {
    expect(turned(sumCounter, expandValues(compactValues(sumCounter)))).toEqual([]);
    const skip = promtoolMissing();
    if (skip) return console.log(`SKIPPED promtool check of the encoding: ${skip}`);
    const resets = (values: string) => ({
      interval: "1m",
      input_series: [{ series: "c_sum", values }],
      promql_expr_test: [{ expr: "resets(c_sum[10m])", eval_time: "8m", exp_samples: [{ labels: "{}", value: 0 }] }],
    });
    expect(() => testRules("groups: []\n", [resets(compactValues(sumCounter))])).not.toThrow();
    // The old encoding of the same samples, which promtool reads as one reset (the check can fail).
    expect(() => testRules("groups: []\n", [resets("6.25497946093 6.25497946093 6.34563133717 6.34563133717+0.0906518762453x2 6.52693508966x2")])).toThrow(/resets/);
  });

  it("keeps the direction of every step of every counter of a replayed month (the fraud service with daily deploys)", () => {
    const month = healthyMonths(ex.fraud, DEFAULT_SEED).find((s) => s.id === "healthy-deploys-fraud-scoring")!;
    const broken: string[] = [];
    const counters = scenarioSeries(month, DEFAULT_SEED, (name) => /_(?:sum|count|bucket|total)$/.test(name)).filter((s) => s.kind === "counter");
    expect(counters.length).toBeGreaterThan(20);
    for (const s of counters) {
      const at = turned(s.values, expandValues(compactValues(s.values)));
      if (at.length > 0) broken.push(`${s.name}${JSON.stringify(s.labels)}: ${at.length} steps turned, first at minute ${at[0]}`);
    }
    expect(broken).toEqual([]);
  });

  it("feeds promtool only the series a rule file reads, keeping a histogram's buckets only where an le matcher selects them", () => {
    const read = readByRules('x:y = sum(rate(h_bucket{job="a",le=~"3([.]0)?"}[5m])) / sum(rate(h_count{job="a"}[5m]))');
    const s = (name: string, labels: Record<string, string>) => ({ name, labels, kind: "counter" as const, values: new Float64Array() });
    expect(read.series(s("h_bucket", { le: "3" }))).toBe(true);
    expect(read.series(s("h_bucket", { le: "3.0" }))).toBe(true);
    expect(read.series(s("h_bucket", { le: "5.12" }))).toBe(false);
    expect(read.series(s("h_count", {}))).toBe(true);
    expect(read.series(s("h_sum", {}))).toBe(false);
  });

  it("shifts amount_usd in the input-drift scenario to a PSI well above the 0.2 threshold", () => {
    const f = ex.fraud.drift.features.find((x) => x.name === "amount_usd")!;
    expect(psi(driftedShares(ex.fraud), f.baselineFractions!)).toBeGreaterThan(3 * ex.fraud.drift.psiThreshold);
  });

  it("replays a release as a new model_version label value and the old one's series stop", () => {
    const release = incidentScenarios(ex).find((s) => s.id === "silent-release")!;
    const all = scenarioSeries({ ...release, incidentMinutes: 5 }, DEFAULT_SEED);
    const versions = (t: number) =>
      new Set(all.filter((s) => s.name === "model_predictions_total" && !Number.isNaN(s.values[t])).map((s) => s.labels.model_version));
    expect([...versions(release.leadInMinutes - 1)]).toEqual(["v1"]);
    expect([...versions(release.leadInMinutes + 1)]).toEqual(["v2"]);
  });
});

const missing = promtoolMissing();
if (missing) console.warn(`SKIPPED incident replay under promtool test rules: ${missing}`);
const withPromtool = missing ? describe.skip : describe;

/** The test name: what happens, what must fire (and by when), what may, and that nothing else does. */
function sentence(s: Scenario): string {
  const h = formatMinutes;
  const fires = s.fires.map((e) => `${e.alert} (${e.severity}) by ${h(e.firingBy)}`).join(", ");
  const may = s.mayFire.length ? `; ${s.mayFire.map((e) => e.alert).join(", ")} may fire` : "";
  return `${s.service.name}: ${s.title}: ${fires ? `fires ${fires}` : "fires nothing"}${may}; nothing else fires`;
}

withPromtool("incidents replayed through promtool test rules fire exactly the promised alerts", () => {
  for (const s of [...incidentScenarios(ex), ...healthyScenarios(ex)])
    it(sentence(s), async () => {
      const run = scenarioRun(s, { seed: DEFAULT_SEED });
      const result = await runPromtool(run.ruleText, run.suite);
      if (!result.passed) throw new Error(`scenario ${s.id}: promtool test rules failed:\n${result.output.slice(0, 8000)}`);
      // The leak replays four days at 5-minute evaluations: minutes on a loaded 2-core machine.
    }, 20 * 60 * 1000);
});
