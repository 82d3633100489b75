/**
 * The operational, quality and drift dashboards of the example services: shape (headline first,
 * ids, grid, data source), links from every alert to an existing panel, metric names only from
 * the contract and the generated recording rules, golden files and byte-identical regeneration.
 * Panels per kind of service: test/dashboardsByKind.test.ts; every query parsed by promtool:
 * test/dashboardQueries.test.ts.
 */
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { signalRuleGroups } from "../alerts/signals";
import { isAlert, type AlertRule, type RuleGroup } from "../alerts/ruleModel";
import { dashboardQueries, serviceDashboards } from "../dashboards";
import { dashboardFiles } from "../dashboards/files";
import { CACHE_COLLAPSE } from "../dashboards/operational/cache";
import { GPU_BUSY_PERCENT, GPU_MEMORY_RATIO, MEMORY_GROWTH } from "../dashboards/operational/saturation";
import { resolveVariables } from "../dashboards/queries";
import { DASHBOARD_KINDS, DATASOURCE_UID, dashboardUid } from "../service/links";
import { loadServicesFile } from "../service/load";
import { METRIC_KEYS, seriesNames } from "../service/metricContract";
import type { ServiceModel } from "../service/model";
import { allPanels, ctx, fraud, headline, parse, rag } from "./support/dashboardJson";
import { expectGolden } from "./support/golden";
import { metricNames } from "./support/promqlMetricNames";

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

// --- The examples --------------------------------------------------------------------------

/** The agent kind and a service with every serving limit, from a test fixture (not an example of the app). */
const agent = loadServicesFile(join(__dirname, "fixtures/agent-ops.yaml"))[0];

describe.each([
  ["rag-assistant", rag],
  ["fraud-scoring", fraud],
  ["ops-agent (test fixture)", agent],
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
    expect(expr("MlObsMemoryGrowth")).toContain(`> ${MEMORY_GROWTH.act} * (`);
    expect(expr("MlObsMemoryGrowth")).toContain(`offset ${MEMORY_GROWTH.comparedWith}`);
    // GPU tickets exist only with `gpu: true` (both examples; not the agent fixture).
    if (model.gpu) {
      expect(expr("MlObsGpuSaturated")).toMatch(new RegExp(`> ${GPU_BUSY_PERCENT.act}$`));
      expect(expr("MlObsGpuMemoryPressure")).toMatch(new RegExp(`> ${GPU_MEMORY_RATIO.act}$`));
    } else expect(alerts.some((a) => a.alert.startsWith("MlObsGpu"))).toBe(false);
    expect(expr("MlObsCacheHitCollapse")).toContain(`< ${CACHE_COLLAPSE.ratio} * `);
    expect(expr("MlObsCacheHitCollapse")).toContain(`offset ${CACHE_COLLAPSE.comparedWith}`);
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
