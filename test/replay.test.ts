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
import { compactValues, readByRules } from "../replay/promtoolInput";
import { runPromtool } from "../replay/promtoolRun";
import { scenarioRun } from "../replay/promtoolScenario";
import { DEFAULT_SEED, scenarioSeries, type Scenario } from "../replay/scenario";
import { exampleServices, healthyScenarios, incidentScenarios } from "../replay/scenarios";
import { driftedShares } from "../replay/scenarios/inputDrift";
import { generateSeries } from "../replay/generate";
import type { Series } from "../replay/seriesBook";
import { sliceCells } from "../replay/slices";
import { promtoolMissing } from "./support/promtool";

const ex = exampleServices(loadServicesFiles(EXAMPLE_SERVICE_FILES));

/** Expands promtool's notation back to samples (NaN = missing), to check what we write. */
function expand(values: string): number[] {
  return values.split(" ").flatMap((seg) => {
    const blank = /^_(?:x(\d+))?$/.exec(seg);
    if (blank) return Array<number>(blank[1] ? Number(blank[1]) : 1).fill(Number.NaN);
    const m = /^(-?[0-9.e+]+?)(?:([+-])([0-9.e+]+))?x(\d+)$/.exec(seg);
    if (!m) return [Number(seg)];
    const step = m[2] ? (m[2] === "-" ? -1 : 1) * Number(m[3]) : 0;
    return Array.from({ length: Number(m[4]) + 1 }, (_, i) => Number(m[1]) + i * step);
  });
}

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

  it("writes promtool's expanding notation that expands back to the same samples", () => {
    for (const s of series(DEFAULT_SEED).slice(0, 40)) {
      const back = expand(compactValues(s.values));
      expect(back).toHaveLength(s.values.length);
      back.forEach((v, i) => (Number.isNaN(s.values[i]) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(s.values[i], 3)));
    }
    expect(compactValues([0, 1, 2, 3, Number.NaN, Number.NaN, 5, 5, 5, 7])).toBe("0+1x3 _x2 5x2 7");
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
