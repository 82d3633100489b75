/**
 * `mlobs simulate`: scenario families chosen by what a service declares (with the reason for each
 * one left out), the rule file split into independent parts, the SVG timeline's firing bars
 * against what promtool itself reports at every evaluation, the cache (a second run starts no
 * promtool), text escaping, and the CLI's exit 2 on bad input. Short scenarios only: the long
 * ones run in `npm run bench`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { isAlert } from "../alerts/ruleModel";
import { loadServicesFile } from "../service/load";
import { normalizeService } from "../service/normalize";
import { REPLAY_ENVIRONMENT, scenarioRun } from "../replay/promtoolScenario";
import { probe, probeResults, runPromtool } from "../replay/promtoolRun";
import { fileCache } from "../replay/simulate/cache";
import { independentComponents } from "../replay/simulate/components";
import { scenariosFor, UnknownScenarioError } from "../replay/simulate/family";
import { outcomeOf } from "../replay/simulate/outcome";
import { simulate, simulateRuleSets } from "../replay/simulate/run";
import { timelineSvg, xmlText } from "../replay/simulate/svg";
import { mermaidText } from "../review/markdown";
import { DEFAULT_SEED, scenarioSeries } from "../replay/scenario";
import { readByRules, toInputSeries } from "../replay/promtoolInput";
import { firingProbes, readFiring, readSli, sliProbes, SLI_RECORD, type FiringHistory, type SliSeries } from "../replay/simulate/probes";
import { evaluateByRanges, RangeUnsupportedError, rangeRefusal } from "../replay/simulate/rangeEval";
import type { AlertRule, RuleGroup } from "../alerts/ruleModel";
import type { Series } from "../replay/seriesBook";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";
import { promtoolMissing } from "./support/promtool";

const ROOT = join(__dirname, "..");
const [rag] = loadServicesFile(join(ROOT, "examples/rag-assistant.yaml"));
const endpoint = normalizeService(
  minimalDescription({ name: "tiny-endpoint", team: "tiny-team", owner: "tiny@example.com", kind: "model-endpoint" }, emailAlerting("https://runbooks.example.com/tiny", "tiny@example.com"), {
    slos: [{ name: "availability", objectivePercent: 99.9, availability: {} }],
  }),
);
const missing = promtoolMissing();
if (missing) console.log(`SKIPPED simulate against promtool: ${missing}`);
const withPromtool = missing ? it.skip : it;

describe("scenario families", () => {
  it("fit what a service declares and say why the others are left out", () => {
    const { scenarios, skipped } = scenariosFor(endpoint);
    expect(scenarios.map((s) => s.scenario.id)).toEqual(["memory-leak", "error-burst-sharp", "error-burst-budget-hour", "healthy-month"]);
    expect(skipped).toEqual([
      { family: "silent-release", reason: "declares no quality score and no drift feature" },
      { family: "input-drift", reason: "declares no drift feature" },
      { family: "cost-runaway", reason: "calls no priced generation model (a RAG pipeline, LLM gateway or agent with an output price)" },
      { family: "cache-miss-latency", reason: "has no cached retrieval stage (a pipeline of three or more stages)" },
    ]);
    expect(scenariosFor(rag).skipped).toEqual([]);
  });

  it("refuse an unknown scenario, naming the known ones", () => {
    expect(() => scenariosFor(rag, ["leak"])).toThrow(UnknownScenarioError);
    expect(() => scenariosFor(rag, ["leak"])).toThrow(/unknown scenario "leak"; scenarios are memory-leak, error-burst-sharp, /);
  });
});

describe("independent parts of a rule file", () => {
  it("hold every alert once, with every recording rule it reads", () => {
    const groups = serviceRuleGroups(rag, { environment: REPLAY_ENVIRONMENT });
    const parts = independentComponents(groups);
    const alerts = (gs: typeof groups) => gs.flatMap((g) => g.rules.filter(isAlert).map((a) => a.alert)).sort();
    expect(parts.flatMap((p) => alerts([...p.groups])).sort()).toEqual(alerts(groups));
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      const recorded = new Set(p.groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : []))));
      const everyRecorded = new Set(groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : []))));
      for (const r of p.groups.flatMap((g) => g.rules))
        for (const name of everyRecorded) if (new RegExp(`(^|[^a-zA-Z0-9_:])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^a-zA-Z0-9_:])`).test(r.expr)) expect(recorded.has(name)).toBe(true);
    }
  });
});

describe("simulating the sharp error burst on the RAG assistant", () => {
  const cacheDir = mkdtempSync(join(tmpdir(), "obs-simulate-cache-"));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));
  const groups = serviceRuleGroups(rag, { environment: REPLAY_ENVIRONMENT });
  const { scenarios } = scenariosFor(rag, ["error-burst-sharp"]);

  // promtool runs every group every minute (its one evaluation interval): so do these groups.
  const everyMinute = groups.map((g) => ({ ...g, interval: "1m" }));

  withPromtool("draws firing bars that match what promtool reports at every evaluation (every group run every minute), and a second run is a cache hit", async () => {
    const [first] = await simulate(rag, everyMinute, scenarios, { cache: fileCache(cacheDir) });
    const outcome = outcomeOf(rag, first);
    expect(outcome.firstPage).toEqual({ alert: "MlObsAvailabilityErrorBudgetBurnFast", minute: 3 });
    const svg = timelineSvg(rag, outcome);
    const bars = [...svg.matchAll(/<rect class="firing" data-alert="([^"]+)" data-severity="([^"]+)" data-start="(\d+)" data-end="(\d+)"/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}-${m[4]}`);

    // promtool asked plainly: which alerts fire at each evaluation (one probe per minute).
    const s = scenarios[0].scenario;
    const minutes = Array.from({ length: s.leadInMinutes + s.incidentMinutes + 1 }, (_, m) => m);
    const run = scenarioRun(s, { seed: DEFAULT_SEED, assert: false, probes: minutes.map((m) => probe(`ALERTS{alertstate="firing"} + 0*${m}`, `${m}m`)) });
    const result = await runPromtool(run.ruleText, run.suite);
    const firingAt = new Map<string, number[]>();
    const got = probeResults(result.output);
    for (const m of minutes)
      for (const g of got.get(`ALERTS{alertstate="firing"} + 0*${m}`) ?? []) {
        const key = `${g.labels.alertname} ${g.labels.severity}`;
        firingAt.set(key, [...new Set([...(firingAt.get(key) ?? []), m])]);
      }
    const expected = [...firingAt.entries()].flatMap(([key, ms]) => {
      const runs: string[] = [];
      let start = ms[0];
      ms.forEach((m, i) => {
        if (ms[i + 1] !== m + 1) runs.push(`${key} ${start}-${m + 1}`), (start = ms[i + 1]);
      });
      return runs;
    });
    expect(bars.sort()).toEqual(expected.sort());
    expect(bars.length).toBeGreaterThan(0);

    const started = Date.now();
    const [again] = await simulate(rag, everyMinute, scenarios, { cache: fileCache(cacheDir) });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(again.cachedParts).toBe(again.parts);
    expect(again.evaluationSeconds).toBe(0);
    expect(timelineSvg(rag, outcomeOf(rag, again))).toBe(svg);
  }, 300_000);

  withPromtool("gives a part the same traffic whichever other parts are evaluated with it (a review's base and head share cached parts)", async () => {
    const [all] = await simulate(rag, groups, scenarios);
    const slo = independentComponents(groups).find((p) => p.groups.some((g) => g.rules.some((r) => !isAlert(r) && r.record === SLI_RECORD)))!;
    const [alone] = await simulate(rag, slo.groups, scenarios);
    expect(alone.sli.length).toBeGreaterThan(2);
    expect(alone.sli).toEqual(all.sli);
    const sloAlerts = new Set(slo.groups.flatMap((g) => g.rules.filter(isAlert).map((a) => a.alert)));
    expect(alone.firing).toEqual(all.firing.filter((h) => sloAlerts.has(h.alert)));
  }, 300_000);

  withPromtool("gives a review's base and head, simulated in one run (traffic generated once, shared parts evaluated once), what each gets alone", async () => {
    // The head tightens the availability SLO: its SLO part records the same names as the base's.
    writeFileSync(join(cacheDir, "head.yaml"), readFileSync(join(ROOT, "examples/rag-assistant.yaml"), "utf8").replace("objectivePercent: 99.9", "objectivePercent: 99.99"));
    const [tighter] = loadServicesFile(join(cacheDir, "head.yaml"));
    const head = serviceRuleGroups(tighter, { environment: REPLAY_ENVIRONMENT });
    const [together, alone] = await Promise.all([simulateRuleSets(rag, [groups, head], scenarios), Promise.all([simulate(rag, groups, scenarios), simulate(rag, head, scenarios)])]);
    const seen = (r: (typeof alone)[number][number]) => ({ firing: r.firing, sli: r.sli });
    expect(together.map((runs) => seen(runs[0]))).toEqual(alone.map((runs) => seen(runs[0])));
    // The change shows: the tighter objective burns its budget faster on the same burst.
    expect(seen(together[1][0])).not.toEqual(seen(together[0][0]));
    // Shared parts are counted in both; the SLO part differs, so each has all of its parts fresh.
    expect(together[1][0].parts).toBe(independentComponents(head).length);
  }, 300_000);

  withPromtool("does not let a head alert read a recording only the base still makes, when both run at once", async () => {
    // The head renames the SLO recordings but one alert still reads an old name: alone it reads
    // nothing there; run beside the base it must not read the base's recording.
    const renamed = (x: string) => x.replace(/slo:/g, "slo2:");
    const head: RuleGroup[] = groups.map((g) => ({
      ...g,
      rules: g.rules.map((r) =>
        isAlert(r) ? { ...r, expr: renamed(r.expr).replace(/slo2:sli_error:ratio_rate1h/g, "slo:sli_error:ratio_rate1h") } : { ...r, record: renamed(r.record), expr: renamed(r.expr) },
      ),
    }));
    const [together, [alone], [base]] = await Promise.all([simulateRuleSets(rag, [groups, head], scenarios), simulate(rag, head, scenarios), simulate(rag, groups, scenarios)]);
    expect(together[1][0].firing).toEqual(alone.firing);
    expect(together[0][0].firing).toEqual(base.firing);
    // The stale read changes what fires: the check above is not vacuous.
    expect(alone.firing).not.toEqual(base.firing);
  }, 300_000);
});

describe("range queries in a real Prometheus against promtool test rules", () => {
  /** promtool's answer for one part: which alerts fire at each evaluation, and the SLI timeline. */
  async function byPromtool(groups: readonly RuleGroup[], text: string, s: (typeof scenarios)[number]["scenario"], input: readonly Series[], withSli: boolean) {
    const r = await runPromtool(text, { groupEvalOrder: groups.map((g) => g.name), evaluationInterval: s.evaluationInterval, interval: "1m", inputSeries: toInputSeries(input), tests: [...firingProbes(s), ...(withSli ? sliProbes(s) : [])] });
    return { firing: readFiring(s, r.output), sli: withSli ? readSli(s, r.output) : [] };
  }
  const { scenarios } = scenariosFor(rag, ["memory-leak"]);

  withPromtool("fire every alert of every part at the same evaluations over the 3-day leak, and record the same SLI, with every group run at every step", async () => {
    // simulate's own path: every part in one shared Prometheus; promtool asked part by part.
    // promtool runs every group at the suite's one interval: here every group's interval is the
    // replay's step, so the range engine runs them at every step too.
    const s = scenarios[0].scenario;
    const groups = serviceRuleGroups(rag, { environment: REPLAY_ENVIRONMENT }).map((g) => ({ ...g, interval: s.evaluationInterval }));
    const parts = independentComponents(groups);
    const series = scenarioSeries(s, DEFAULT_SEED);
    const firing: FiringHistory[] = [];
    const sliExpected: SliSeries[] = [];
    for (const part of parts) {
      const input = series.filter(readByRules(part.text).series);
      const withSli = part.groups.some((g) => g.rules.some((r) => !isAlert(r) && r.record === SLI_RECORD));
      const expected = await byPromtool(part.groups, part.text, s, input, withSli);
      firing.push(...expected.firing);
      sliExpected.push(...expected.sli);
    }
    const [run] = await simulate(rag, groups, scenarios);
    const asText = (hs: readonly FiringHistory[]) => hs.map((h) => `${h.alert}/${h.severity}: ${h.firing.flatMap((f, i) => (f ? [i] : [])).join(",")}`).sort();
    expect(asText(run.firing)).toEqual(asText(firing));
    // promtool reads the series through its text encoding (within 1e-9 of each value): equal to that precision.
    expect(run.sli.map((x) => [x.slo, x.points.map(([m]) => m)])).toEqual(sliExpected.map((x) => [x.slo, x.points.map(([m]) => m)]));
    run.sli.forEach((x, i) => x.points.forEach(([, v], j) => expect(Math.abs(v - sliExpected[i].points[j][1])).toBeLessThanOrEqual(1e-6 * Math.max(1e-3, Math.abs(v)))));
    // The leak fires memory, latency-regression, forecast, burn-rate and page alerts: the comparison is not vacuous.
    expect(run.firing.length).toBeGreaterThan(8);
    expect(sliExpected.length).toBeGreaterThan(0);
  }, 600_000);

  withPromtool("stop seeing a recording at the step it is no longer recorded (a staleness marker), as the rule manager does", async () => {
    // x is recorded while the gauge is above 5; `absent(x)` must fire at the first step without it,
    // not when a stale sample would age out of the 5-minute lookback.
    const gauge = new Float64Array(61).map((_, m) => (m < 20 || m >= 40 ? 10 : 1));
    const input: Series[] = [{ name: "replay_gauge", labels: { job: "j" }, kind: "gauge", values: gauge }];
    const groups: RuleGroup[] = [
      { name: "rec", interval: "1m", rules: [{ record: "replay:high", expr: 'replay_gauge{job="j"} > 5' }] },
      { name: "alerts", interval: "1m", rules: [{ alert: "ReplayHighGone", expr: "absent(replay:high)", labels: { severity: "ticket" }, annotations: {} }, { alert: "ReplayHighHeld", expr: "replay:high", for: "10m", labels: { severity: "page" }, annotations: {} }] },
    ];
    const text = (await import("../alerts/render/prometheusRules")).renderRuleFile(groups);
    const s = { ...scenarios[0].scenario, leadInMinutes: 0, incidentMinutes: 60, evaluationInterval: "1m" as const };
    const expected = await byPromtool(groups, text, s, input, false);
    const r = await evaluateByRanges(groups, input, 61, 60);
    const on = (hs: Iterable<{ alert: string; firing: readonly boolean[] }>, alert: string) => [...hs].find((h) => h.alert === alert)?.firing.flatMap((f, i) => (f ? [i] : [])) ?? [];
    expect(on(r.firing.values(), "ReplayHighGone")).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
    expect(on(r.firing.values(), "ReplayHighGone")).toEqual(on(expected.firing, "ReplayHighGone"));
    expect(on(r.firing.values(), "ReplayHighHeld")).toEqual(on(expected.firing, "ReplayHighHeld"));
  }, 120_000);

  withPromtool("run a group at its own interval: hourly tiles recorded once an hour, a day's sum of them adding 24, an hourly alert holding its state between evaluations", async () => {
    // 120 requests a minute for two days; the tiles record each hour's increase. Read every 5
    // minutes over a day, they add up to the day's 172,800 requests; run at every step (as
    // promtool runs every group), 288 overlapping tiles add up to twelve times that.
    const minutes = 2 * 24 * 60 + 1;
    const counter = new Float64Array(minutes).map((_, m) => 120 * m);
    const input: Series[] = [{ name: "replay_requests_total", labels: { job: "j" }, kind: "counter", values: counter }];
    const groups: RuleGroup[] = [
      { name: "tiles", interval: "1h", rules: [{ record: "replay:requests:increase1h", expr: 'increase(replay_requests_total{job="j"}[1h])' }, { alert: "ReplayHourlyTile", expr: "replay:requests:increase1h > 0", labels: { severity: "ticket" }, annotations: {} }] },
      { name: "day", interval: "5m", rules: [{ record: "replay:requests:increase1d", expr: "sum_over_time(replay:requests:increase1h[1d])" }] },
    ];
    const steps = (minutes - 1) / 5 + 1;
    const own = await evaluateByRanges(groups, input, steps, 300);
    const every = await evaluateByRanges(groups.map((g) => ({ ...g, interval: "5m" })), input, steps, 300);
    const dayAt = (r: typeof own, hour: number) => r.recorded.get("replay:requests:increase1d")?.find(() => true)?.values.find(([t]) => t === hour * 3600)?.[1];
    // A tile once an hour, a second after it (the rule manager's own offset for the group).
    const tiles = own.recorded.get("replay:requests:increase1h")![0].values;
    expect(tiles.map(([t]) => t)).toEqual(Array.from({ length: 48 }, (_, h) => (h + 1) * 3600));
    tiles.forEach(([, v]) => expect(v).toBeCloseTo(7200, 6));
    for (const hour of [25, 30, 30.5, 47.5, 48]) expect(dayAt(own, hour)).toBeCloseTo(24 * 7200, 6);
    expect(dayAt(every, 30)! / dayAt(own, 30)!).toBeGreaterThan(11.5);
    // The hourly alert fires from its first evaluation (minute 60) until the replay's end, every step between.
    const held = [...own.firing.values()].find((h) => h.alert === "ReplayHourlyTile")!.firing;
    expect(held.indexOf(true)).toBe(12);
    expect(held.slice(12).every((f) => f)).toBe(true);
    // promtool at the tiles' own interval records the same tiles.
    const text = (await import("../alerts/render/prometheusRules")).renderRuleFile(groups);
    const r = await runPromtool(text, {
      groupEvalOrder: groups.map((g) => g.name),
      evaluationInterval: "1h",
      interval: "1m",
      inputSeries: toInputSeries(input),
      // The day at half past: promtool's tiles are exactly on the hours, and a window starting on one would hold 25.
      tests: [probe("replay:requests:increase1h", "30h"), probe("sum_over_time(replay:requests:increase1h[1d])", "30h30m")],
    });
    const got = probeResults(r.output);
    expect(got.get("replay:requests:increase1h")?.map((x) => x.value)).toEqual([7200]);
    expect(got.get("sum_over_time(replay:requests:increase1h[1d])")?.[0].value).toBeCloseTo(dayAt(own, 30.5)!, 3);
  }, 120_000);

  it("take every part of both examples' rules, in every environment, without falling back to promtool", () => {
    const [fraud] = loadServicesFile(join(ROOT, "examples/fraud-scoring.yaml"));
    for (const model of [rag, fraud, endpoint])
      for (const environment of new Set([REPLAY_ENVIRONMENT, ...model.environments]))
        for (const part of independentComponents(serviceRuleGroups(model, { environment }))) expect([model.name, environment, rangeRefusal(part.groups)]).toEqual([model.name, environment, undefined]);
  });

  it("name what they cannot reproduce, so that part runs in promtool", () => {
    const alert = (expr: string, extra: Partial<AlertRule> = {}): RuleGroup[] => [{ name: "a", interval: "1m", rules: [{ alert: "A", expr, labels: { severity: "ticket" }, annotations: {}, ...extra }] }];
    expect(rangeRefusal(alert('up{job="j"} == 0'))).toBeUndefined();
    expect(rangeRefusal(alert('label_replace(up{job="j"}, "x", "{$1}", "job", "(.*)") == 0'))).toBeUndefined();
    expect(rangeRefusal(alert('{__name__=~"up|down"} == 0'))).toMatch(/__name__/);
    expect(rangeRefusal(alert('count({job="j"}) == 0'))).toMatch(/without a metric name/);
    expect(rangeRefusal(alert('ALERTS{alertstate="firing"} > 0'))).toMatch(/ALERTS/);
    expect(rangeRefusal(alert("up == 0", { labels: { severity: "ticket", who: "{{ $labels.job }}" } }))).toMatch(/templated or empty/);
    expect(rangeRefusal(alert("up == 0", { labels: { severity: "ticket", who: "" } }))).toMatch(/templated or empty/);
    expect(rangeRefusal(alert("up == 0", { for: "1h30m" }))).toMatch(/not a single-unit duration/);
    const twice: RuleGroup[] = [{ name: "r", interval: "1m", rules: [{ record: "x:y", expr: "vector(1)" }, { record: "x:y", expr: "vector(2)" }] }];
    expect(rangeRefusal(twice)).toMatch(/two rules record x:y/);
  });

  withPromtool("fall back to promtool for a part that reads a recording evaluated after it, with promtool's answer", async () => {
    const groups: RuleGroup[] = [
      { name: "alerts", interval: "1m", rules: [{ alert: "ReadsLater", expr: "replay:later > 1", labels: { severity: "ticket" }, annotations: {} }] },
      { name: "rec", interval: "1m", rules: [{ record: "replay:later", expr: "vector(2)" }] },
    ];
    const [run] = await simulate(rag, groups, scenariosFor(rag, ["error-burst-sharp"]).scenarios);
    // The rule manager's order: the alert sees the recording from the second evaluation on.
    expect(run.firing.map((h) => [h.alert, h.firing.indexOf(true), h.firing.lastIndexOf(false)])).toEqual([["ReadsLater", 1, 0]]);
  }, 120_000);

  it("refuse a rule that reads a recording evaluated after it, before starting Prometheus", async () => {
    const groups: RuleGroup[] = [
      { name: "alerts", interval: "1m", rules: [{ alert: "ReadsLater", expr: "replay:later > 1", labels: { severity: "ticket" }, annotations: {} }] },
      { name: "rec", interval: "1m", rules: [{ record: "replay:later", expr: "vector(2)" }] },
    ];
    await expect(evaluateByRanges(groups, [], 10, 60)).rejects.toThrow(RangeUnsupportedError);
    await expect(evaluateByRanges(groups, [], 10, 60)).rejects.toThrow("ReadsLater reads replay:later, recorded after it in the evaluation order");
  });
});

describe("text in the timeline and the review chart", () => {
  it("is escaped", () => {
    expect(xmlText(`<script>alert("x")</script> & 'y'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    expect(mermaidText("a: b; c # d %% click\nx")).toBe("a_ b_ c _ d __ click x");
  });
});

describe("mlobs simulate on the command line", () => {
  const mlobs = (...args: string[]) => spawnSync(process.execPath, ["bin/mlobs.js", "simulate", ...args], { cwd: ROOT, encoding: "utf8" });

  it("exits 2 with one line naming the bad flag, no stack trace", () => {
    const unknown = mlobs("examples/rag-assistant.yaml", "--scenario", "leak");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('error: --scenario: unknown scenario "leak"; scenarios are memory-leak,');
    const env = mlobs("examples/rag-assistant.yaml", "--env", "qa");
    expect(env.status).toBe(2);
    expect(env.stderr).toContain('error: --env: service "rag-assistant" does not run in "qa"; it lists staging, prod');
    const none = mlobs();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("error: give at least one description file");
    for (const r of [unknown, env, none]) expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
