/**
 * Detection impact in `mlobs review`: base and head synthesized from edited example descriptions
 * (or a head output with one Grafana rule deleted), the changed service's rules read back from the
 * output and replayed by promtool over the memory leak, the sharp error burst and one healthy day
 * (a representative subset; `npm run bench` times every scenario), into the PR-comment Markdown in
 * test/golden/review/detection-*.md. Base results are cached across the cases, as CI would.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadReviewInput } from "../review/changedStacks";
import { detectionImpact } from "../review/detection/impact";
import { renderReview } from "../review/render";
import { buildReview } from "../review/review";
import { fileCache } from "../replay/simulate/cache";
import { SIMULATION_FAMILIES } from "../replay/simulate/family";
import { healthyFamily } from "../replay/simulate/families/healthyMonth";
import { normalizeService } from "../service/normalize";
import { expectGolden } from "./support/golden";
import { promtoolMissing } from "./support/promtool";
import { fraud, rag, reviewWorkspace, type Description, type Json } from "./support/reviewWorkspace";

const { synth, mutated } = reviewWorkspace();
const cacheDir = mkdtempSync(join(tmpdir(), "obs-detection-cache-"));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const families = [...SIMULATION_FAMILIES.filter((f) => f.id === "memory-leak" || f.id === "error-burst-sharp"), healthyFamily(1)];
const missing = promtoolMissing();
if (missing) console.log(`SKIPPED review detection impact: ${missing}`);
const run = missing ? it.skip : it;


async function review(base: string, head: string, described: Description) {
  const input = loadReviewInput(base, head);
  const detection = await detectionImpact(input.base, input.head, [normalizeService(described)], { cache: fileCache(cacheDir), families });
  return { markdown: renderReview(buildReview(input.base, input.head, undefined, input.scope), { detection }), detection };
}

const base = synth("base", [rag(), fraud()]);

describe("mlobs review: detection impact", () => {
  run("an SLO tightened pages earlier on the leak, with no warning", async () => {
    const r = rag();
    r.slos!.find((s) => s.name === "embed-latency")!.objectivePercent = 99.5;
    const { markdown, detection } = await review(base, synth("detect-slo-tightened", [r, fraud()]), r);
    expect(detection.map((d) => d.service)).toEqual(["rag-assistant"]);
    expect(detection[0].warnings).toEqual([]);
    const leak = detection[0].scenarios.find((s) => s.base.id === "memory-leak")!;
    expect(leak.head.firstPage!.minute).toBeLessThan(leak.base.firstPage!.minute);
    expect(markdown).toContain("```mermaid\ngantt");
    expectGolden("review/detection-slo-tightened.md", markdown);
  }, 600_000);

  run("a latency threshold raised pages later on the leak: a warning banner", async () => {
    const r = rag();
    r.slos!.find((s) => s.name === "embed-latency")!.latency!.thresholdSeconds = 2.56;
    const { markdown, detection } = await review(base, synth("detect-threshold-raised", [r, fraud()]), r);
    expect(detection[0].warnings.some((w) => /^memory-leak: pages .* later/.test(w))).toBe(true);
    expect(markdown).toContain("> [!WARNING]\n> **This change detects incidents later or pages more**");
    expectGolden("review/detection-threshold-raised.md", markdown);
  }, 600_000);

  run("a page alert removed stops the burst from paging: a warning banner", async () => {
    const head = mutated("detect-page-removed", base, "obs-prod-rag-assistant-grafana", (json) => {
      for (const g of Object.values(json.resource.grafana_rule_group as Json) as Json[])
        g.rule = (g.rule as Json[]).filter((x) => x.name !== "MlObsAvailabilityErrorBudgetBurnFast");
    });
    const { markdown, detection } = await review(base, head, rag());
    expect(detection[0].warnings.some((w) => w.startsWith("error-burst-sharp: no longer pages"))).toBe(true);
    expectGolden("review/detection-page-removed.md", markdown);
  }, 600_000);

  run("a dashboard-only change has no detection section", async () => {
    const head = mutated("detect-dashboard-only", base, "obs-prod-rag-assistant-grafana", (json) => {
      const d = Object.values(json.resource.grafana_dashboard as Json)[0] as Json;
      const config = JSON.parse(d.config_json);
      config.title = `${config.title} (renamed)`;
      d.config_json = JSON.stringify(config);
    });
    const { markdown, detection } = await review(base, head, rag());
    expect(detection).toEqual([]);
    expect(markdown).not.toContain("Detection impact");
    expectGolden("review/detection-dashboard-only.md", markdown);
  }, 120_000);
});
