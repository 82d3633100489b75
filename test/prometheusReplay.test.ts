/**
 * Every dashboard panel has data on a real Prometheus. The seeded generator (replay/) writes eight
 * and a half healthy days of both example services as OpenMetrics; promtool backfills them into a
 * temp data folder; Prometheus starts on 127.0.0.1 with the generated rule files; the recording
 * rules are backfilled over the minutes the panels read, level by level
 * (test/support/replayBackfill.ts); then every query of every dashboard of both services
 * (`resolvedQueries`: variables resolved, a split panel once per value of the `slice` variable)
 * runs through /api/v1/query at the end of the replay and must return at least one finite value.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { LABEL } from "../alerts/conventions";
import { COST_RULE, DISTRIBUTION_RULE } from "../alerts/signalNames";
import { SLO_RULE } from "../alerts/conventions";
import { resolvedQueries, serviceDashboards } from "../dashboards";
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { sampleMinutes } from "../replay/backfillMinutes";
import {
  COARSE_EVERY_MINUTES,
  DENSE_RANGES,
  PANEL_QUERY_MINUTE,
  PANEL_REPLAY_MINUTES,
  PANEL_REPLAY_START_SECONDS,
  RULE_BACKFILL_RANGES,
  panelReplaySeries,
  replaySeconds,
} from "../replay/panelReplay";
import { REPLAY_ENVIRONMENT } from "../replay/promtoolScenario";
import { DEFAULT_SEED } from "../replay/scenario";
import { SLICE_VALUES } from "../replay/slices";
import { loadServicesFile, loadServicesFiles } from "../service/load";
import { PrometheusServer, prometheusMissing } from "../toolkit/prometheusServer";
import { loadReplay } from "./support/replayBackfill";

/** Both example services, and the agent test fixture for the agent kind and its Serving and Agent rows. */
const models = [...loadServicesFiles(EXAMPLE_SERVICE_FILES), ...loadServicesFile(join(__dirname, "fixtures/agent-ops.yaml"))];
const ctx = { environment: REPLAY_ENVIRONMENT };
const queries = models.flatMap((m) =>
  serviceDashboards(m, ctx).flatMap((d) => resolvedQueries(d).map((q) => ({ where: `${d.title} / ${q.panel}`, expr: q.expr }))),
);

/**
 * Panels that may show no data on healthy traffic, each with the reason. Empty today: every panel
 * has data. The one panel that would be empty on healthy traffic alone is the release annotation
 * (model versions first seen in the last 15 minutes); the replay makes a routine release of v2,
 * with v1's quality, ten minutes before the query time, and the test below checks that the
 * annotation shows exactly that release rather than listing it here.
 */
const MAY_BE_EMPTY: Readonly<Record<string, string>> = {};

/**
 * Backfills the replayed healthy week of both example services and their recording rules into
 * `dir` and starts Prometheus on it; `onStart` gets the server as soon as it runs (to stop it
 * even if a later step fails).
 */
function loadHealthyWeek(dir: string, onStart: (s: PrometheusServer) => void) {
  return loadReplay(
    {
      dir,
      series: models.flatMap((m) => panelReplaySeries(m, DEFAULT_SEED)),
      startSeconds: PANEL_REPLAY_START_SECONDS,
      sampleMinutes: sampleMinutes(PANEL_REPLAY_MINUTES, COARSE_EVERY_MINUTES, DENSE_RANGES),
      ruleGroups: models.flatMap((m) => serviceRuleGroups(m, ctx)),
      ruleRanges: RULE_BACKFILL_RANGES,
    },
    onStart,
  );
}

/** The dashboard queries (but those of MAY_BE_EMPTY) without a finite value at `at`, each with why. */
async function queriesWithoutData(server: PrometheusServer, at: number): Promise<string[]> {
  const offenders: string[] = [];
  for (const q of queries) {
    if (MAY_BE_EMPTY[q.where]) continue;
    try {
      const r = await server.query(q.expr, at);
      const values = r.result.map((x) => Number(x.value?.[1]));
      if (!values.some((v) => Number.isFinite(v))) offenders.push(`${q.where}: ${r.result.length ? "only NaN/Inf" : "no data"}: ${q.expr}`);
    } catch (e) {
      offenders.push(`${q.where}: ${(e as Error).message}`);
    }
  }
  return offenders;
}

const missing = prometheusMissing();
if (missing) console.warn(`SKIPPED real-Prometheus panel replay: ${missing}`);
const withPrometheus = missing ? describe.skip : describe;

withPrometheus("a real Prometheus loaded with a replayed healthy week", () => {
  let dir = "";
  let server: PrometheusServer | undefined;
  const at = replaySeconds(PANEL_QUERY_MINUTE);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "replay-prometheus-"));
    const loaded = await loadHealthyWeek(dir, (s) => (server = s));
    server = loaded.server;
  }, 300000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads every generated rule group of both example services and the agent fixture", async () => {
    const r = await fetch(`${server!.url}/api/v1/rules`, { signal: AbortSignal.timeout(10000) });
    const body = (await r.json()) as { data: { groups: { name: string }[] } };
    const expected = models.flatMap((m) => serviceRuleGroups(m, ctx).map((g) => g.name)).sort();
    expect(body.data.groups.map((g) => g.name).sort()).toEqual(expected);
  });

  it("returns data for every panel query, template variable and annotation of every dashboard of both example services and the agent fixture", async () => {
    expect(queries.length).toBeGreaterThan(150);
    expect(await queriesWithoutData(server!, at)).toEqual([]);
  });

  it("lists no justified-empty panel that does not exist", () => {
    const where = new Set(queries.map((q) => q.where));
    expect(Object.keys(MAY_BE_EMPTY).filter((k) => !where.has(k))).toEqual([]);
  });

  it("splits by the chosen slice: every query with slice=region draws lines labelled by region, both replayed regions among them", async () => {
    const split = queries.filter((q) => q.where.endsWith("[slice=region]"));
    expect(split.length).toBeGreaterThan(10);
    const regions = new Set<string>();
    for (const q of split) {
      const labelled = (await server!.query(q.expr, at)).result.map((x) => x.metric.region).filter((r) => r !== undefined);
      expect([q.where, labelled.length > 0]).toEqual([q.where, true]);
      labelled.forEach((r) => regions.add(r));
    }
    expect([...regions].sort()).toEqual([...SLICE_VALUES]);
  });

  it("compares canary with baseline: on healthy traffic, where both tracks serve alike, their P95 and score ratios are near 1", async () => {
    const ratios = queries.filter((q) => q.where.endsWith("/ Canary / baseline"));
    expect(ratios).toHaveLength(3);
    for (const q of ratios.slice(1)) {
      const [value] = (await server!.query(q.expr, at)).result.map((x) => Number(x.value?.[1]));
      expect([q.expr, value > 0.8 && value < 1.25]).toEqual([q.expr, true]);
    }
  });

  it("marks exactly the routine release in the release annotation", async () => {
    const annotation = queries.find((q) => q.where.endsWith("/ annotation Releases"))!;
    const r = await server!.query(annotation.expr, at);
    expect(r.result.map((x) => x.metric[models[0].metrics.labels.modelVersion]).sort()).toEqual(["v2"]);
  });

  it("shows healthy services: every PSI under 0.1, spend under its budget, budget left on every SLO, no missing replica", async () => {
    const values = async (expr: string) => (await server!.query(expr, at)).result.map((x) => ({ labels: x.metric, value: Number(x.value?.[1]) }));
    for (const level of ["feature", "output"] as const) {
      const psi = await values(DISTRIBUTION_RULE.psi(level, models[0].drift.window));
      expect(psi.length).toBeGreaterThan(0);
      for (const p of psi) expect(p.value).toBeLessThan(0.1);
    }
    for (const m of models.filter((x) => x.cost.hourlyBudgetUsd !== undefined)) {
      const [spend] = await values(`${COST_RULE.spendPerHourAvg1h}{${LABEL.service}="${m.name}"}`);
      expect(spend.value).toBeLessThan(m.cost.hourlyBudgetUsd!);
    }
    const left = await values(SLO_RULE.budgetRemaining);
    expect(left).toHaveLength(models.reduce((n, m) => n + m.slos.length, 0));
    for (const l of left) expect(l.value).toBeGreaterThan(0);
    const replicas = await values(`${COST_RULE.replicas} < bool 1`);
    expect(replicas.every((r) => r.value === 0)).toBe(true);
  });
});
