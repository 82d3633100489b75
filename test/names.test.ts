/**
 * Every format one module writes into the synthesized output and another reads back goes through
 * one writer and one reader; each pair must give back what it was given, for names with dashes,
 * names at the 40-character limit and numbers in every spelling the contract allows.
 */
import { alertPolicyIssues } from "../alerts/alertPolicy";
import { errorRatioWindow, SLO_RULE } from "../alerts/conventions";
import { constant, constantValue } from "../alerts/promql";
import { leRegex } from "../alerts/signals/distributionShift";
import { dashboardTarget, dashboardUid, dashboardUrl, panelId, sloPanelKey } from "../service/links";
import { leMatcher, leMatcherBound, lePattern } from "../service/leMatcher";
import { stackId } from "../constructs/stackNames";
import {
  folderTitle,
  GRAFANA_STACK_PART,
  grafanaStackPart,
  pagingBudgetOfTag,
  pagingBudgetTagValue,
  PLATFORM_STACK_PART,
  serviceOfFolderTitle,
  serviceOfGrafanaStackPart,
} from "../service/names";

const LONGEST = "a-" + "b".repeat(36) + "-c"; // 40 characters, the most a name may have
const NAMES = ["x", "rag-assistant", "a-b-c-d", LONGEST];

describe("shared name formats round-trip", () => {
  it("Grafana folder title: service from `<service> (<team>)`", () => {
    expect(LONGEST).toHaveLength(40);
    for (const service of NAMES)
      for (const team of ["search-ai", "team (with parens)", LONGEST]) expect(serviceOfFolderTitle(folderTitle(service, team))).toBe(service);
    expect(serviceOfFolderTitle("Hand made")).toBe("Hand made");
  });

  it("stack parts: the service of a service's Grafana stack, and of no other stack", () => {
    for (const service of NAMES) {
      expect(serviceOfGrafanaStackPart(grafanaStackPart(service))).toBe(service);
      expect(serviceOfGrafanaStackPart(service)).toBeUndefined();
      expect(stackId("prod-eu", grafanaStackPart(service)).startsWith(stackId("prod-eu", ""))).toBe(true);
    }
    for (const part of [PLATFORM_STACK_PART, GRAFANA_STACK_PART]) expect(serviceOfGrafanaStackPart(part)).toBeUndefined();
  });

  it("paging-budget tag", () => {
    for (const budget of [1, 6, 20]) expect(pagingBudgetOfTag(pagingBudgetTagValue(budget))).toBe(budget);
    for (const bad of [undefined, "", "six", "-1", "2.5"]) expect(pagingBudgetOfTag(bad)).toBeUndefined();
  });

  it("histogram `le` matcher: bound from leMatcher, inside a selector too", () => {
    for (const bound of [0.005, 0.64, 1, 2.56, 3, 16, 1024]) {
      expect(leMatcherBound(leMatcher(bound))).toBe(bound);
      expect(leMatcherBound(`sum(rate(x_bucket{job="a-b",${leMatcher(bound)}}[5m]))`)).toBe(bound);
    }
    expect(leMatcherBound('rate(x_total{job="a"}[5m])')).toBeUndefined();
  });

  it("lePattern matches every spelling of its bound and no other bound; leRegex is made of them", () => {
    const matches = (pattern: string, le: string) => new RegExp(`^(?:${pattern})$`).test(le);
    for (const bound of [0.64, 3, 16]) {
      expect(matches(lePattern(bound), String(bound))).toBe(true);
      if (Number.isInteger(bound)) expect(matches(lePattern(bound), `${bound}.0`)).toBe(true);
      expect(matches(lePattern(bound), `${bound}1`)).toBe(false);
    }
    expect(matches(lePattern(0.64), "0x64")).toBe(false);
    expect(leRegex([0.64, 3])).toBe(`${lePattern(0.64)}|${lePattern(3)}|[+]Inf`);
  });

  it("SLO constants and error-ratio windows", () => {
    for (const x of [0.995, 0.9999, 1 - 0.995, 30, 1]) expect(constantValue(constant(x))).toBeCloseTo(x, 12);
    for (const w of ["5m", "30m", "1h", "6h", "3d"]) expect(errorRatioWindow(SLO_RULE.errorRatio(w))).toBe(w);
    expect(errorRatioWindow(SLO_RULE.errorRate("5m"))).toBeUndefined();
  });

  it("dashboard links: uid and panel id from dashboardUrl, with or without a base URL", () => {
    for (const service of NAMES)
      for (const base of [undefined, "https://grafana.example.com/", "https://g.example.com/sub"]) {
        const uid = dashboardUid(service, "prod-eu", "quality");
        expect(dashboardTarget(dashboardUrl(base, service, "prod-eu", "quality"))).toEqual({ uid });
        const key = sloPanelKey({ name: service });
        expect(dashboardTarget(dashboardUrl(base, service, "prod-eu", "quality", key))).toEqual({ uid, panelId: String(panelId(key)) });
      }
    expect(dashboardTarget("https://runbooks.example.com/x")).toBeUndefined();
  });

  it("alert-policy issues name the check and the alert, not only the words", () => {
    const rule = { alert: "MlObsA-B", expr: "vector(1)", labels: { severity: "page" }, annotations: {} };
    const issues = alertPolicyIssues({ name: LONGEST, alerting: { pagingBudget: 0 } }, [{ name: `${LONGEST}-slo`, interval: "1m", rules: [rule] }]);
    const kinds = issues.map((i) => i.kind);
    expect(kinds).toEqual(["missing-label", "missing-label", ...Array(4).fill("missing-annotation"), "page-without-slo", "over-paging-budget"]);
    expect(issues[0]).toMatchObject({ alert: { group: `${LONGEST}-slo`, name: "MlObsA-B" }, field: "service" });
    for (const i of issues) expect(i.message.startsWith(i.problem)).toBe(true);
    expect(issues[issues.length - 1].alert).toBeUndefined();
  });
});
