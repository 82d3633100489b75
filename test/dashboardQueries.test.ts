/**
 * The PromQL of the dashboards: the test's own tokenizer (test/support/promqlMetricNames.ts),
 * and every panel, variable and annotation query of both example services parsed by promtool.
 */
import { join } from "node:path";
import { stringify } from "yaml";
import { dashboardQueries, resolvedQueries, serviceDashboards } from "../dashboards";
import { sliceValues } from "../dashboards/slices";
import { ctx, fraud, rag } from "./support/dashboardJson";
import { metricNames } from "./support/promqlMetricNames";
import { checkRules, promtoolMissing } from "./support/promtool";
import { loadServicesFile } from "../service/load";

/** The agent kind and the serving row are exercised by a test fixture (not an example of the app). */
const agent = loadServicesFile(join(__dirname, "fixtures/agent-ops.yaml"))[0];

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

const missing = promtoolMissing();
if (missing) console.warn(`SKIPPED promtool check of dashboard queries: ${missing}`);
(missing ? describe.skip : describe)("promtool", () => {
  it("parses every panel, variable and annotation query of both services and the agent fixture (as recording rules), split panels under every value of $slice", () => {
    const queries = [rag, fraud, agent].flatMap((model) =>
      serviceDashboards(model, ctx).flatMap((d) => resolvedQueries(d).map((q) => ({ where: `${model.name}/${d.kind}/${q.panel}`, expr: q.expr }))),
    );
    // Every value of the slice variable reaches promtool, "none" (the selector label) included.
    const sliced = queries.filter((q) => q.where.includes("[slice="));
    expect(new Set(sliced.map((q) => /\[slice=(\w+)\]/.exec(q.where)?.[1]))).toEqual(new Set(sliceValues(rag)));
    expect(sliced.some((q) => q.where.includes("/quality/"))).toBe(true);
    expect(queries.length).toBeGreaterThan(100);
    const file = stringify(
      { groups: [{ name: "dashboard-queries", rules: queries.map((q, i) => ({ record: `mlobs_dashboard_query_${i}`, expr: q.expr })) }] },
      { lineWidth: 0 },
    );
    expect(checkRules(file)).toContain(`SUCCESS: ${queries.length} rules found`);
  });
});

describe("the slice variable", () => {
  const byKind = (model: typeof rag) => Object.fromEntries(serviceDashboards(model, ctx).map((d) => [d.kind, d]));

  it("offers none (the selector label, one value per service) and each declared slice, and takes no custom value", () => {
    const variable = JSON.parse(byKind(rag).operational.json).templating.list.find((v: { name: string }) => v.name === "slice");
    expect(variable).toMatchObject({ type: "custom", query: "none : job,region : region", current: { text: "none", value: "job" }, allowCustomValue: false });
    expect(sliceValues(rag)).toEqual(["job", "region"]);
  });

  it("splits only the operational and quality dashboards, and only services that declare slices", () => {
    const uses = (d: { json: string }) => d.json.includes("$slice");
    const rags = byKind(rag);
    expect([uses(rags.operational), uses(rags.quality), uses(rags.drift)]).toEqual([true, true, false]);
    expect(serviceDashboards(fraud, ctx).some(uses)).toBe(false);
  });

  it("groups by the selected label inside every split sum, never elsewhere", () => {
    const exprs = serviceDashboards(rag, ctx).flatMap((d) => dashboardQueries(d).map((q) => q.expr)).filter((e) => e.includes("$slice"));
    expect(exprs.length).toBeGreaterThan(10);
    for (const e of exprs) expect(e.replace(/sum by \([^)]*\$slice\)/g, "")).not.toContain("$slice");
  });
});
