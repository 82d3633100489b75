/**
 * Runbook pages beyond the examples: every kind of service, with and without stages, scores,
 * drift features, prices and GPUs, gets one page per alert (each panel a page links exists on its
 * dashboard, or generation throws); an alert no playbook covers fails loudly; hostile description
 * text reaches the Markdown only inside code; URL clashes and unpublishable bases are refused with
 * the field path.
 */
import { serviceRuleGroups } from "../alerts";
import { isAlert, type AlertRule, type RuleGroup } from "../alerts/ruleModel";
import { runbookFiles } from "../cli/runbookFiles";
import { UsageError } from "../cli/usageError";
import { serviceRunbooks } from "../runbooks";
import { LLM_KINDS } from "../service/description/genaiQuality";
import type { ServiceModel } from "../service/model";
import { normalizeService, ValidationError } from "../service/normalize";
import { emailAlerting, minimalDescription } from "./support/minimalDescription";

const KINDS = ["rag-pipeline", "llm-gateway", "model-endpoint", "agent", "custom"] as const;

function service(kind: string, full: boolean, more: Record<string, unknown> = {}, base = "https://runbooks.example.com/ops"): ServiceModel {
  const extra = full
    ? {
        gpu: true,
        stages: [{ name: "retrieve", latencyTargetSeconds: 0.32 }],
        slos: [
          { name: "availability", objectivePercent: 99.9, availability: {} },
          { name: "stage-errors", objectivePercent: 99, availability: { stage: "retrieve" } },
          { name: "latency", objectivePercent: 99, latency: { thresholdSeconds: 2.56 } },
          { name: "stage-latency", objectivePercent: 99, latency: { thresholdSeconds: 0.32, stage: "retrieve" } },
          { name: "judged", objectivePercent: 95, quality: { score: "relevance", threshold: 0.7 } },
          { name: "good", objectivePercent: 99, custom: { goodMetric: "good_total", totalMetric: "all_total" } },
        ],
        // Models and spend are an LLM kind's.
        ...(LLM_KINDS.includes(kind)
          ? { models: [{ name: "m1", provider: "openai", inputPricePer1kTokens: 0.001, outputPricePer1kTokens: 0.002 }], cost: { hourlyBudgetUsd: 5 } }
          : {}),
        quality: { scores: [{ name: "relevance", threshold: 0.7, targetPercent: 95 }] },
        drift: { features: [{ name: "length", buckets: [16, 64, 256] }] },
        serving: { maxQueueSeconds: 0.64, maxCancelledPercent: 5, ...(LLM_KINDS.includes(kind) ? { maxInterTokenSeconds: 0.1 } : {}) },
        ...(kind === "agent" ? { agent: { maxStepsPerTask: 16, maxToolCallsPerTask: 10, toolCallsPerHourBudget: 1000 } } : {}),
      }
    : { slos: [{ name: "availability", objectivePercent: 99.9, availability: {} }] };
  return normalizeService(minimalDescription({ name: `svc-${kind}`, team: "ops", owner: "ops@example.com", kind }, emailAlerting(base, "ops@example.com"), { ...extra, ...more }));
}

const alertNames = (groups: readonly RuleGroup[]) => groups.flatMap((g) => g.rules.filter(isAlert)).map((a) => a.alert);

describe("runbook pages for every kind of service", () => {
  it.each(KINDS.flatMap((k) => [[k, "every optional section"], [k, "only an availability SLO"]] as const))("%s with %s: one page per alert", (kind, what) => {
    const model = service(kind, what === "every optional section");
    const groups = serviceRuleGroups(model, { environment: "prod" });
    const pages = serviceRunbooks(model, { environment: "prod" }, groups);
    expect(pages.map((p) => p.alert).sort()).toEqual(alertNames(groups).sort());
    expect(pages.every((p) => p.url.endsWith(`/${p.slug}`))).toBe(true);
  });

  it("are the same bytes every time", () => {
    const model = service("rag-pipeline", true);
    expect(serviceRunbooks(model, { environment: "prod" })).toEqual(serviceRunbooks(model, { environment: "prod" }));
  });
});

describe("an alert no playbook covers", () => {
  it("fails generation, naming the alert, instead of getting a generic page", () => {
    const model = service("llm-gateway", false);
    const groups = serviceRuleGroups(model, { environment: "prod" });
    const stray: AlertRule = { ...(groups.flatMap((g) => g.rules).find(isAlert) as AlertRule), alert: "MlObsSomethingNew" };
    expect(() => serviceRunbooks(model, { environment: "prod" }, [...groups, { name: "new", interval: "4m", rules: [stray] }])).toThrow(
      "internal: alert MlObsSomethingNew of svc-llm-gateway has no runbook playbook; add its family to runbooks/catalogue.ts",
    );
  });
});

describe("description text in a page", () => {
  it("appears only inside code spans and blocks, so it cannot become markup, a link or HTML", () => {
    const hostile = "<img src=x onerror=alert(1)> | **bold** [link](https://evil.example.com) `tick` ``two``";
    const model = service("rag-pipeline", false, { slos: [{ name: "availability", objectivePercent: 99.9, availability: {}, description: hostile }], owner: "a|b <b>@example.com" });
    const page = serviceRunbooks(model, { environment: "prod" }).find((p) => p.alert === "MlObsAvailabilityErrorBudgetBurnFast")!.markdown;
    expect(page).toContain("``` <img src=x onerror=alert(1)> \\| **bold** [link](https://evil.example.com) `tick` ``two`` ```");
    const outsideCode = page.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "").replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, "");
    for (const bad of ["<img", "**bold**", "](https://evil", "<b>"]) expect(outsideCode).not.toContain(bad);
  });
});

describe("runbook URLs that cannot be published as files", () => {
  const pages = (s: ServiceModel) => serviceRunbooks(s, { environment: "prod" });

  it("two services whose alerts link the same URL are refused, naming alerting.runbookBaseUrl", () => {
    const a = service("llm-gateway", false, { name: "svc-a" });
    const b = service("llm-gateway", false, { name: "svc-b" });
    expect(() => runbookFiles([a, b], pages)).toThrow(ValidationError);
    expect(() => runbookFiles([a, b], pages)).toThrow(/svc-b: alerting.runbookBaseUrl: https:\/\/runbooks\.example\.com\/ops\/ml-obs-availability-error-budget-burn-fast is also the runbook of svc-a's MlObsAvailabilityErrorBudgetBurnFast/);
  });

  it("services on two hosts are a usage error (one folder is published at one place)", () => {
    const a = service("llm-gateway", false, { name: "svc-a" });
    const b = service("llm-gateway", false, { name: "svc-b" }, "https://wiki.example.com/ops");
    expect(() => runbookFiles([a, b], pages)).toThrow(UsageError);
  });

  it("a base URL with a query is refused, naming the field", () => {
    const a = service("llm-gateway", false, {}, "https://runbooks.example.com/ops?team=1");
    expect(() => runbookFiles([a], pages)).toThrow(/svc-llm-gateway: alerting.runbookBaseUrl: https:\/\/runbooks\.example\.com\/ops\?team=1 has a query or fragment/);
  });

  it("services under one host get the folders their base paths name, percent-decoded as a web server serves them", () => {
    const a = service("llm-gateway", false, { name: "svc-a" }, "https://runbooks.example.com/ops/caf%C3%A9");
    const b = service("llm-gateway", false, { name: "svc-b" }, "https://runbooks.example.com/ops/tea");
    const { files, publishAt } = runbookFiles([a, b], pages);
    expect(publishAt).toBe("https://runbooks.example.com/ops/");
    expect([...new Set(files.map((f) => f.path.split("/")[0]))]).toEqual(["café", "tea"]);
    expect(files.find((f) => f.service === "svc-a")!.path).toBe("café/ml-obs-availability-error-budget-burn-fast.md");
  });

  it("SLO names that give one alert name are refused: their pages would share a URL", () => {
    const model = service("llm-gateway", false, {
      slos: [
        { name: "p99", objectivePercent: 99, availability: {} },
        { name: "p-99", objectivePercent: 99, availability: {} },
      ],
    });
    expect(() => pages(model)).toThrow(/svc-llm-gateway: slos: alerts MlObsP99ErrorBudgetBurnFast and MlObsP99ErrorBudgetBurnFast share the runbook page/);
  });
});
