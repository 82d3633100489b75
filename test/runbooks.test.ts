/**
 * Runbook pages (runbooks/, `mlobs runbooks`): for both examples, every alert the rule groups hold
 * has exactly one page at the path its runbook_url names, no page lacks an alert, and the pages
 * match test/golden/runbooks/<service>/<slug>.md (`npm run golden` rewrites them). Every panel a
 * page links exists (the generator reads panels from the dashboards and throws otherwise), for
 * every kind of service; an alert without a playbook fails instead of getting a generic page;
 * description text reaches the Markdown only inside code.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serviceRuleGroups } from "../alerts";
import { isAlert, type RuleGroup } from "../alerts/ruleModel";
import { runbookFiles } from "../cli/runbookFiles";
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { serviceRunbooks } from "../runbooks";
import { LOG_FIELD_LIST } from "../service/logContract";
import { loadServicesFiles } from "../service/load";
import type { ServiceModel } from "../service/model";
import { expectGolden, GOLDEN_DIR } from "./support/golden";
import { queryFields } from "./support/logsInsights";
import { runMlobs } from "./support/mlobsInProcess";

const work = mkdtempSync(join(tmpdir(), "mlobs-runbooks-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EXAMPLES = loadServicesFiles(EXAMPLE_SERVICE_FILES);
const alertsOf = (groups: readonly RuleGroup[]) => groups.flatMap((g) => g.rules.filter(isAlert));
const prodPages = (s: ServiceModel) => serviceRunbooks(s, { environment: "prod" });

/** The path a URL names under the folder published at `base`, or undefined when it is not under it. */
const under = (url: string, base: string) => (url.startsWith(base) ? url.slice(base.length) : undefined);

describe.each(EXAMPLES.map((s) => [s.name, s] as const))("the runbook pages of %s", (name, model) => {
  const alerts = alertsOf(serviceRuleGroups(model, { environment: "prod" }));
  const { files, publishAt } = runbookFiles([model], prodPages);

  it("are published at the service's runbookBaseUrl, one page per alert at <slug>.md, and nothing else", () => {
    expect(publishAt).toBe(`${model.alerting.runbookBaseUrl}/`);
    const urlPaths = alerts.map((a) => under(a.annotations.runbook_url, publishAt)).sort();
    expect(urlPaths.every((p) => p !== undefined && /^[a-z0-9-]+$/.test(p))).toBe(true);
    expect(files.map((f) => f.path).sort()).toEqual(urlPaths.map((p) => `${p}.md`));
    expect(files.length).toBe(alerts.length);
  });

  it("each name the alert, its SLO or family, and the checks, classification, rollback, prevention and owner", () => {
    for (const f of files) {
      expect(f.text).toContain(`# \`${f.alert}\``);
      for (const heading of ["## What fired", "## First three checks", "## Classify", "## Roll back, narrowest first", "## Prevent a repeat", "## Who owns it"])
        expect([f.alert, f.text.includes(`\n${heading}\n`)]).toEqual([f.alert, true]);
      expect(f.text.match(/^\*\*\d\.\*\* /gm)).toEqual(["**1.** ", "**2.** ", "**3.** "]);
      expect(f.text).toContain(`Team \`${model.team}\``);
    }
  });

  it("name in their PromQL only series the service's rules record (the counts a guarded ticket weighed among them)", () => {
    const records = new Set(serviceRuleGroups(model, { environment: "prod" }).flatMap((g) => g.rules.flatMap((r) => (isAlert(r) ? [] : [r.record]))));
    const named = new Set<string>();
    for (const f of files)
      for (const block of f.text.matchAll(/```promql\n([\s\S]*?)```/g)) for (const m of block[1].replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+/g)) named.add(m[0]);
    expect([...named].filter((n) => !records.has(n))).toEqual([]);
    if (model.quality.safety) expect(named).toContain("service_model_prompt_version:safety_evaluations:increase1d");
    expect(named.size).toBeGreaterThan(20);
  });

  it("match their golden files (regenerate with npm run golden)", () => {
    const dir = join(GOLDEN_DIR, "runbooks", name);
    if (process.env.UPDATE_GOLDEN === "1" && existsSync(dir)) rmSync(dir, { recursive: true });
    for (const f of files) expectGolden(join("runbooks", name, f.path), f.text);
    expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.path).sort());
  });

  it("run Logs Insights queries that read only fields of the log contract", () => {
    const contract = new Set(LOG_FIELD_LIST.map((f) => f.name));
    for (const f of files)
      for (const [, query] of f.text.matchAll(/Logs Insights: run [^\n]*:\n\n```\n([\s\S]*?)\n```/g)) {
        // `evaluation_scores.<score>`: one score of the contract's map field.
        const fields = queryFields(query.replace(/`([^`]+)`/g, (_, field: string) => field.split(".")[0]));
        expect([f.alert, fields.filter((w) => !contract.has(w))]).toEqual([f.alert, []]);
      }
  });
});

describe("mlobs runbooks", () => {
  it("writes both examples under their common base, every URL resolving to a written file, and says where to publish", () => {
    const out = join(work, "both");
    const r = runMlobs(["runbooks", ...EXAMPLE_SERVICE_FILES, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`publish ${out} at https://runbooks.example.com/`);
    const urls = EXAMPLES.flatMap((s) => alertsOf(serviceRuleGroups(s, { environment: "prod" })).map((a) => a.annotations.runbook_url));
    const written = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    expect(written.sort()).toEqual(urls.map((u) => join(out, `${under(u, "https://runbooks.example.com/")}.md`)).sort());
  });

  it("removes the pages it wrote for alerts that no longer exist, and leaves other files alone", () => {
    const out = join(work, "stale");
    mkdirSync(out);
    writeFileSync(join(out, "index.md"), "# Our runbooks\n");
    writeFileSync(join(out, "ml-obs-gone.md"), `${readFileSync(join(GOLDEN_DIR, "runbooks", "rag-assistant", "ml-obs-memory-growth.md"), "utf8")}`);
    const r = runMlobs(["runbooks", EXAMPLE_SERVICE_FILES[0], "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("removed 1 page(s) of alerts that no longer exist (ml-obs-gone.md)");
    expect(existsSync(join(out, "index.md"))).toBe(true);
    expect(existsSync(join(out, "ml-obs-gone.md"))).toBe(false);
  });

  it("takes --env like mlobs rules: the pages link that environment's dashboards and log groups", () => {
    const out = join(work, "staging");
    expect(runMlobs(["runbooks", EXAMPLE_SERVICE_FILES[0], "--out", out, "--env", "staging", "--grafana-url", "https://grafana.example.com"]).code).toBe(0);
    const page = readFileSync(join(out, "ml-obs-availability-error-budget-burn-fast.md"), "utf8");
    expect(page).toContain("/observability/staging/rag-assistant/errors");
    expect(page).toMatch(/\]\(<https:\/\/grafana\.example\.com\/d\/rag-assistant-oper-[0-9a-f]{12}\/rag-assistant-operational\?viewPanel=\d+>\)/);
    const bad = runMlobs(["runbooks", EXAMPLE_SERVICE_FILES[0], "--out", out, "--env", "dev"]);
    expect([bad.code, bad.stderr.split("\n")[0]]).toEqual([2, 'error: service "rag-assistant" does not run in "dev"; it lists staging, prod']);
  });
});
