/**
 * The operational, quality and drift dashboards of the example services: shape (headline first,
 * ids, grid, data source), links from every alert to an existing panel, metric names only from
 * the contract and the generated recording rules, every query parsed by promtool, golden files
 * and byte-identical regeneration.
 */
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { signalRuleGroups } from "../alerts/signals";
import { isAlert, type AlertRule, type RuleGroup } from "../alerts/ruleModel";
import { COST_RULE } from "../alerts/signalNames";
import { dashboardQueries, serviceDashboards, type GeneratedDashboard } from "../dashboards";
import { dashboardFiles } from "../dashboards/files";
import { CACHE_COLLAPSE } from "../dashboards/operational/cache";
import { GPU_BUSY_PERCENT, GPU_MEMORY_RATIO, MEMORY_GROWTH } from "../dashboards/operational/saturation";
import { resolveVariables } from "../dashboards/queries";
import { DASHBOARD_KINDS, DATASOURCE_UID, dashboardUid } from "../service/links";
import { loadServicesFile } from "../service/load";
import { METRIC_KEYS, seriesNames } from "../service/metricContract";
import type { ServiceModel } from "../service/model";
import { normalizeService } from "../service/normalize";
import { expectGolden } from "./support/golden";
import { checkRules, promtoolMissing } from "./support/promtool";
import { stringify } from "yaml";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

const rag = loadServicesFile(join(__dirname, "../examples/rag-assistant.yaml"))[0];
const fraud = loadServicesFile(join(__dirname, "../examples/fraud-scoring.yaml"))[0];
const ctx = { environment: "prod" };
const DATASOURCE_REF = { type: "prometheus", uid: "${datasource}" };

/** Every rule generated for a service: SLO and cause groups, plus the signal groups (deduplicated by name). */
function ruleGroups(model: ServiceModel): RuleGroup[] {
  const groups = serviceRuleGroups(model, ctx);
  const names = new Set(groups.map((g) => g.name));
  return [...groups, ...signalRuleGroups(model, ctx).filter((g) => !names.has(g.name))];
}
const alertsOf = (model: ServiceModel): AlertRule[] => ruleGroups(model).flatMap((g) => g.rules.filter(isAlert));
const recordsOf = (model: ServiceModel): Set<string> =>
  new Set(ruleGroups(model).flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : []))));

interface PanelJson {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: unknown;
  targets?: { expr: string; datasource?: unknown }[];
  fieldConfig?: { defaults?: { thresholds?: { steps: { value: number | null; color: string }[] } } };
  panels?: PanelJson[];
}
interface DashboardJson {
  uid: string;
  panels: PanelJson[];
  templating: { list: { name: string; type: string; label?: string; current?: { value: string }; datasource?: unknown; query?: string }[] };
  annotations: { list: { name: string; datasource: unknown; expr?: string }[] };
}
const parse = (d: GeneratedDashboard) => JSON.parse(d.json) as DashboardJson;
const allPanels = (j: DashboardJson): PanelJson[] => j.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
/** Panels before the first row: the headline. */
const headline = (j: DashboardJson) => j.panels.slice(0, j.panels.findIndex((p) => p.type === "row"));

// --- A small PromQL tokenizer: the metric names an expression reads. ---------------------------

/** Keywords and modifiers that look like identifiers but name no series. */
const KEYWORDS = new Set(["and", "or", "unless", "offset", "bool", "inf", "nan", "start", "end"]);
/** Modifiers followed by a parenthesised list of label names. */
const LABEL_LISTS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
const AGGREGATIONS = new Set(["sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile", "stddev", "stdvar", "count_values", "group"]);

/** Index just past the bracketed group opening at `i` (`{...}`, `[...]`, `(...)`), skipping strings. */
function skipGroup(expr: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < expr.length; j++) {
    const c = expr[j];
    if (c === '"' || c === "'" || c === "`") j = skipString(expr, j) - 1;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return j + 1;
  }
  throw new Error(`unbalanced ${open}${close} in: ${expr}`);
}
function skipString(expr: string, i: number): number {
  const quote = expr[i];
  for (let j = i + 1; j < expr.length; j++) {
    if (expr[j] === "\\" && quote !== "`") j++;
    else if (expr[j] === quote) return j + 1;
  }
  throw new Error(`unterminated string in: ${expr}`);
}
const nextNonSpace = (expr: string, i: number) => {
  while (i < expr.length && /\s/.test(expr[i])) i++;
  return i;
};

/**
 * Identifiers of an expression that name series: not function calls (followed by `(`), not label
 * names (inside `{}` or the lists of by/without/on/ignoring/group_left/group_right), not keywords,
 * not strings, numbers or durations. An aggregation counts as an operator only when followed by
 * `(` or a by/without clause; anything else left over is a metric name.
 */
function metricNames(expr: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === "`") i = skipString(expr, i);
    else if (c === "{") i = skipGroup(expr, i, "{", "}");
    else if (c === "[") i = skipGroup(expr, i, "[", "]");
    else if (/[0-9.]/.test(c)) i += /^[0-9.]+(e[+-]?[0-9]+)?[a-z]*/i.exec(expr.slice(i))![0].length;
    else if (/[a-zA-Z_:]/.test(c)) {
      const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))![0];
      i += ident.length;
      const next = nextNonSpace(expr, i);
      if (LABEL_LISTS.has(ident)) {
        if (expr[next] === "(") i = skipGroup(expr, next, "(", ")");
      } else if (expr[next] === "(") {
        // a function or an aggregation without a clause
      } else if (AGGREGATIONS.has(ident) && /^(by|without)\b/.test(expr.slice(next))) {
        // `sum by (...) (...)`: the clause is skipped on the next turn
      } else if (!KEYWORDS.has(ident.toLowerCase())) names.push(ident);
    } else i++;
  }
  return names;
}

describe("the PromQL tokenizer of this test", () => {
  it("finds metric names and recording rules, not functions, labels, keywords or strings", () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, span_name) (rate(a_bucket{job="x",le=~"3([.]0)?"}[$__rate_interval]))) / on(service, slo) group_left slo:b:ratio{slo="y"} offset 1d',
      ),
    ).toEqual(["a_bucket", "slo:b:ratio"]);
    expect(metricNames('count by (v) (c_count{job="x"}) unless count by (v) (c_count{job="x"} offset 15m)')).toEqual(["c_count", "c_count"]);
    expect(metricNames("topk(1, x{a=\"}\"}) or vector(0) and bool sum")).toEqual(["x", "sum"]);
  });
});

// --- The examples --------------------------------------------------------------------------

describe.each([
  ["rag-assistant", rag],
  ["fraud-scoring", fraud],
])("dashboards of %s", (_name, model) => {
  const dashboards = serviceDashboards(model, ctx);
  const parsed = dashboards.map(parse);
  const alerts = alertsOf(model);
  const runbooks = new Set(alerts.map((a) => a.annotations.runbook_url));

  it("are the operational, quality and drift dashboards, with stable uids of at most 40 characters", () => {
    expect(dashboards.map((d) => d.kind)).toEqual([...DASHBOARD_KINDS]);
    for (const d of dashboards) {
      expect(d.uid).toBe(dashboardUid(model.name, "prod", d.kind));
      expect(d.uid.length).toBeLessThanOrEqual(40);
      expect(parse(d).uid).toBe(d.uid);
    }
    expect(serviceDashboards(model, { environment: "staging" }).map((d) => d.uid)).not.toEqual(dashboards.map((d) => d.uid));
  });

  it("are plain ASCII JSON (one-byte strings in V8: half the memory, faster synth)", () => {
    for (const d of dashboards) expect(d.json.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  });

  it("go to Terraform compact and to files indented, both the same dashboard", () => {
    const files = dashboardFiles([model], "prod");
    for (const d of dashboards) {
      expect(d.json).not.toContain("\n");
      const file = files.find((f) => f.path === `${model.name}/${d.kind}.json`)!;
      expect(file.content.startsWith('{\n  "')).toBe(true);
      expect(JSON.parse(file.content)).toEqual(JSON.parse(d.json));
      // The indented copy is ~40 % bigger: whitespace the provider would drop again.
      expect(file.content.length).toBeGreaterThan(d.json.length * 1.2);
    }
  });

  it("each open with 3 to 5 headline stats that have thresholds and an action with a real runbook", () => {
    for (const j of parsed) {
      const head = headline(j);
      expect(head.length).toBeGreaterThanOrEqual(3);
      expect(head.length).toBeLessThanOrEqual(5);
      for (const p of head) {
        expect(["stat", "gauge"]).toContain(p.type);
        expect(p.gridPos.y).toBe(0);
        const steps = p.fieldConfig?.defaults?.thresholds?.steps ?? [];
        expect(steps.length).toBeGreaterThanOrEqual(2);
        expect(steps[0].value).toBeNull();
        expect(steps.map((s) => s.color)).toContain("red");
        expect(p.description).toMatch(/ If red: [^.]{10,}/);
        expect(p.description).not.toContain("\n");
      }
      // Headlines cite the runbook of the alert that fires when they go red; it must exist.
      for (const p of allPanels(j))
        for (const url of p.description?.match(/https?:\/\/\S+?(?=\.?( |$))/g) ?? []) expect(runbooks).toContain(url);
    }
    const cited = parsed.flatMap((j) => headline(j).map((p) => /runbook (\S+)\.$/.exec(p.description ?? "")?.[1])).filter(Boolean);
    expect(cited.length).toBeGreaterThanOrEqual(5);
  });

  it("give every panel a unique id and a place inside the 24-column grid, without overlaps", () => {
    for (const j of parsed) {
      const panels = allPanels(j);
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      const cells = new Set<string>();
      for (const p of panels) {
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`)).toBe(false);
            cells.add(`${x},${y}`);
          }
      }
    }
  });

  it("query only through the datasource variable, labelled Environment and defaulting to the environment's Prometheus", () => {
    for (const j of parsed) {
      const ds = j.templating.list.find((v) => v.name === "datasource");
      expect(ds).toMatchObject({ type: "datasource", label: "Environment", query: "prometheus", current: { value: DATASOURCE_UID.prometheus("prod") } });
      for (const p of allPanels(j).filter((p) => p.type !== "row")) {
        expect(p.datasource).toEqual(DATASOURCE_REF);
        expect(p.targets?.length).toBeGreaterThan(0);
        for (const t of p.targets ?? []) expect(t.datasource).toEqual(DATASOURCE_REF);
      }
      for (const v of j.templating.list.filter((v) => v.type === "query")) expect(v.datasource).toEqual(DATASOURCE_REF);
      for (const a of j.annotations.list) expect(a.datasource).toEqual(DATASOURCE_REF);
    }
  });

  it("have a panel for every alert's dashboard link", () => {
    const byUid = new Map(parsed.map((j) => [j.uid, j]));
    const linked = alerts.map((a) => a.annotations.dashboard_url);
    expect(linked.length).toBeGreaterThan(10);
    for (const url of linked) {
      const m = /^\/d\/([^/?]+)\/[^?]+\?viewPanel=(\d+)$/.exec(url);
      expect(m).not.toBeNull();
      const j = byUid.get(m![1]);
      expect(j).toBeDefined();
      expect(allPanels(j!).map((p) => p.id)).toContain(Number(m![2]));
    }
  });

  it("read only series of the metric contract, recording rules generated for the service, or declared custom SLO counters", () => {
    const allowed = new Set([
      ...METRIC_KEYS.flatMap((k) => seriesNames(model.metrics[k])),
      ...recordsOf(model),
      ...model.slos.flatMap((s) => (s.sli.kind === "custom" ? [s.sli.goodMetric, s.sli.totalMetric] : [])),
    ]);
    const unknown = dashboards.flatMap((d) =>
      dashboardQueries(d).flatMap((q) => metricNames(resolveVariables(q.expr)).filter((n) => !allowed.has(n)).map((n) => `${d.kind}/${q.panel}: ${n}`)),
    );
    expect(unknown).toEqual([]);
  });

  it("mark releases with an annotation over the model-version label, and list it with the variables' series", () => {
    for (const d of dashboards) {
      const queries = dashboardQueries(d);
      const release = queries.find((q) => q.panel === "annotation Releases");
      expect(release?.expr).toContain(`count by (${model.metrics.labels.modelVersion})`);
      expect(release?.expr).toContain(" unless ");
    }
  });

  it("draw the cause tickets' limits where the tickets fire", () => {
    const expr = (alert: string) => alerts.find((a) => a.alert === alert)!.expr;
    expect(expr("MlObsMemoryGrowth")).toMatch(new RegExp(`> ${MEMORY_GROWTH.act}$`));
    expect(expr("MlObsMemoryGrowth")).toContain(`offset ${MEMORY_GROWTH.comparedWith}`);
    expect(expr("MlObsGpuSaturated")).toMatch(new RegExp(`> ${GPU_BUSY_PERCENT.act}$`));
    expect(expr("MlObsGpuMemoryPressure")).toMatch(new RegExp(`> ${GPU_MEMORY_RATIO.act}$`));
    expect(expr("MlObsCacheHitCollapse")).toContain(`< ${CACHE_COLLAPSE.ratio} * `);
    expect(expr("MlObsCacheHitCollapse")).toContain(`offset ${CACHE_COLLAPSE.comparedWith}`);
  });
});

describe("panels follow the kind of service", () => {
  const seriesOf = (model: ServiceModel) => serviceDashboards(model, ctx).flatMap(dashboardQueries).map((q) => q.expr).join("\n");
  const m = rag.metrics;

  it("a RAG pipeline has token, time-to-first-token and per-stage panels, and no prediction-score panel", () => {
    const all = seriesOf(rag);
    expect(all).toContain(`${m.timeToFirstToken.name}_bucket`);
    expect(all).toContain(COST_RULE.tokens);
    expect(all).toContain(COST_RULE.tokensPerRequest);
    for (const s of rag.stages) expect(all).toContain(`${m.labels.stage}="${s.name}"`);
    expect(all).not.toContain(m.predictionScore.name);
    expect(all).not.toContain("prediction_score");
    expect(parse(serviceDashboards(rag, ctx)[0]).templating.list.map((v) => v.name)).toEqual(["datasource", "model"]);
  });

  it("a model endpoint has prediction-score panels and no token, time-to-first-token, stage or model panels", () => {
    const all = seriesOf(fraud);
    expect(all).toContain(`${m.predictionScore.name}_bucket`);
    expect(all).toContain('output="prediction_score"');
    for (const absent of [m.genAiTokenUsage.name, m.timeToFirstToken.name, m.stageDuration.name, m.stageCalls.name, COST_RULE.tokens, "$model"])
      expect(all).not.toContain(absent);
    for (const f of fraud.drift.features) expect(all).toContain(`feature="${f.name}"`);
    expect(parse(serviceDashboards(fraud, ctx)[0]).templating.list.map((v) => v.name)).toEqual(["datasource"]);
  });

  it("a bare service (no stages, SLOs, scores, models or features) still gets three valid dashboards with only what it has", () => {
    const bare = normalizeService(
      minimalDescription(
        { name: "bare-gateway", team: "platform", owner: "platform@example.com", kind: "llm-gateway" },
        emailAlerting("https://runbooks.example.com/platform", "a@example.com"),
      ),
    );
    const ds = serviceDashboards(bare, ctx);
    const all = ds.flatMap(dashboardQueries).map((q) => q.expr).join("\n");
    expect(all).not.toContain(bare.metrics.stageDuration.name);
    expect(all).not.toContain("slo:");
    expect(all).not.toContain("service_feature");
    expect(all).toContain('output="response_tokens"');
    expect(all).not.toContain("$model");
    for (const d of ds) {
      const j = parse(d);
      expect(new Set(allPanels(j).map((p) => p.id)).size).toBe(allPanels(j).length);
      expect(headline(j).length).toBeGreaterThanOrEqual(1);
    }
  });
});

const missing = promtoolMissing();
if (missing) console.warn(`SKIPPED promtool check of dashboard queries: ${missing}`);
(missing ? describe.skip : describe)("promtool", () => {
  it("parses every panel, variable and annotation query of both services (as recording rules)", () => {
    const queries = [rag, fraud].flatMap((model) =>
      serviceDashboards(model, ctx).flatMap((d) => dashboardQueries(d).map((q) => ({ where: `${model.name}/${d.kind}/${q.panel}`, expr: resolveVariables(q.expr) }))),
    );
    expect(queries.length).toBeGreaterThan(100);
    const file = stringify(
      { groups: [{ name: "dashboard-queries", rules: queries.map((q, i) => ({ record: `mlobs_dashboard_query_${i}`, expr: q.expr })) }] },
      { lineWidth: 0 },
    );
    expect(checkRules(file)).toContain(`SUCCESS: ${queries.length} rules found`);
  });
});

describe("golden files and determinism", () => {
  it.each([
    ["rag-assistant", rag],
    ["fraud-scoring", fraud],
  ])("%s matches test/golden/dashboards (UPDATE_GOLDEN=1 rewrites)", (_, model) => {
    for (const f of dashboardFiles([model], "prod")) expectGolden(join("dashboards", f.path), f.content);
  });

  it("gives identical bytes when generated twice", () => {
    const a = dashboardFiles([rag, fraud], "prod");
    const b = dashboardFiles([rag, fraud], "prod");
    expect(a.map((f) => f.path)).toEqual(["rag-assistant", "fraud-scoring"].flatMap((s) => DASHBOARD_KINDS.map((k) => `${s}/${k}.json`)));
    expect(b).toEqual(a);
    const reloaded = loadServicesFile(join(__dirname, "../examples/rag-assistant.yaml"))[0];
    expect(serviceDashboards(reloaded, ctx)).toEqual(serviceDashboards(rag, ctx));
  });
});
