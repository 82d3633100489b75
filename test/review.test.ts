/**
 * `mlobs review`: before/after pairs of service descriptions, each synthesized with
 * buildObservabilityApp into its own folder, reviewed into the PR-comment Markdown kept in
 * test/golden/review/ (`UPDATE_GOLDEN=1` rewrites them). Data-loss changes exit 1 through the CLI
 * and 0 with --allow-data-loss. The --plan option: test/reviewPlan.test.ts.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadReviewInput } from "../review/changedStacks";
import { loadSynthOutput } from "../review/load";
import { renderReview } from "../review/render";
import { buildReview, dataLossCount } from "../review/review";
import { expectGolden } from "./support/golden";
import { FRAUD, RAG, fraud, rag, reviewWorkspace, type Json } from "./support/reviewWorkspace";

const ROOT = join(__dirname, "..");
const { work, synth, mutated } = reviewWorkspace();


const logGroup = (json: Json, tier: string): Json =>
  Object.values(json.resource.aws_cloudwatch_log_group as Json).find((g: Json) => g.tags.tier === tier) as Json;

/** Reviews two outputs read whole, and checks the CLI's way (only differing stacks parsed) says the same. */
function review(base: string, head: string, allowDataLoss = false) {
  const r = buildReview(loadSynthOutput(base), loadSynthOutput(head));
  const markdown = renderReview(r, { allowDataLoss });
  const fast = loadReviewInput(base, head);
  expect(renderReview(buildReview(fast.base, fast.head, undefined, fast.scope), { allowDataLoss })).toBe(markdown);
  return { markdown, dataLoss: dataLossCount(r) };
}

function mlobs(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/mlobs.js", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const base = synth("base", [rag(), fraud()]);

interface Case {
  readonly name: string;
  readonly golden: string;
  readonly head: () => string;
  readonly dataLoss: number;
}

const CASES: Case[] = [
  {
    name: "a latency SLO's threshold lowered from 3 s to 2.56 s shows the SLI change and the tail-sampling threshold",
    golden: "latency-threshold.md",
    head: () => {
      const r = rag();
      r.slos!.find((s) => s.name === "query-latency")!.latency!.thresholdSeconds = 2.56;
      return synth("latency-threshold", [r, fraud()]);
    },
    dataLoss: 0,
  },
  {
    name: "an SLO tightened from 99.5% to 99.9% shows the objective, the error budget in minutes and the new burn thresholds",
    golden: "slo-tightened.md",
    head: () => {
      const r = rag();
      r.slos!.find((s) => s.name === "query-latency")!.objectivePercent = 99.9;
      return synth("slo-tightened", [r, fraud()]);
    },
    dataLoss: 0,
  },
  {
    name: "a service moved to another team shows who gets paged and ticketed before and after",
    golden: "route-moved.md",
    head: () => {
      const f = fraud();
      f.team = RAG.team;
      f.alerting = { ...rag().alerting, runbookBaseUrl: FRAUD.alerting.runbookBaseUrl, pagingBudget: FRAUD.alerting.pagingBudget };
      return synth("route-moved", [rag(), f]);
    },
    dataLoss: 0,
  },
  {
    name: "the errors tier's retention cut from 90 to 7 days is data loss",
    golden: "retention-cut.md",
    head: () => {
      const r = rag();
      r.logs = { ...r.logs, errors: { retentionDays: 7 } };
      return synth("retention-cut", [r, fraud()]);
    },
    dataLoss: 1,
  },
  {
    name: "an SLO dropped removes its three alerts, its recording rules and its dashboard row",
    golden: "alert-removed.md",
    head: () => {
      const r = rag();
      r.slos = r.slos!.filter((s) => s.name !== "embed-latency");
      return synth("alert-removed", [r, fraud()]);
    },
    dataLoss: 0,
  },
  {
    name: "a pipeline stage added shows the new dashboard panels and the queries that now include it",
    golden: "stage-added.md",
    head: () => {
      const r = rag();
      r.stages = [...r.stages!, { name: "guardrails", latencyTargetSeconds: 0.32 }];
      return synth("stage-added", [r, fraud()]);
    },
    dataLoss: 0,
  },
  {
    name: "the audit tier's skip_destroy and prevent_destroy removed is data loss",
    golden: "audit-protection-removed.md",
    head: () =>
      mutated("audit-protection-removed", base, "obs-prod-rag-assistant", (json) => {
        const audit = logGroup(json, "audit");
        audit.skip_destroy = false;
        delete audit.lifecycle;
      }),
    dataLoss: 1,
  },
  {
    name: "a renamed log group is replaced, which deletes its events",
    golden: "log-group-renamed.md",
    head: () =>
      mutated("log-group-renamed", base, "obs-prod-fraud-scoring", (json) => {
        logGroup(json, "errors").name = "/observability/prod/fraud-scoring/errors-v2";
      }),
    dataLoss: 1,
  },
  {
    name: "an SLO tightened together with a retention cut reports both, the data loss first",
    golden: "slo-tightened-and-retention-cut.md",
    head: () => {
      const r = rag();
      r.slos!.find((s) => s.name === "query-latency")!.objectivePercent = 99.9;
      r.logs = { ...r.logs, errors: { retentionDays: 7 } };
      return synth("slo-tightened-and-retention-cut", [r, fraud()]);
    },
    dataLoss: 1,
  },
];

describe("mlobs review golden files", () => {
  const heads = new Map<string, string>();
  const headOf = (c: Case) => {
    if (!heads.has(c.name)) heads.set(c.name, c.head());
    return heads.get(c.name)!;
  };

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const r = review(base, headOf(c));
    expect(r.dataLoss).toBe(c.dataLoss);
    expectGolden(`review/${c.golden}`, r.markdown);
  });

  it("says plainly when nothing changes", () => {
    const same = synth("no-change", [rag(), fraud()]);
    const r = review(base, same);
    expect(r.dataLoss).toBe(0);
    expectGolden("review/no-change.md", r.markdown);
    expect(r.markdown).toContain("No changes: head synthesizes exactly what base does (6 stacks).");
  });

  it("is the same text whichever folders the two outputs sit in", () => {
    const c = CASES.find((x) => x.golden === "slo-tightened.md")!;
    const copy = join(work, "elsewhere", "out");
    mkdirSync(join(work, "elsewhere"), { recursive: true });
    cpSync(headOf(c), copy, { recursive: true });
    expect(review(base, copy).markdown).toBe(review(base, headOf(c)).markdown);
  });

  it("data-loss changes exit 1 through the CLI, 0 with --allow-data-loss; others exit 0", () => {
    const loss = headOf(CASES.find((c) => c.golden === "retention-cut.md")!);
    const renamed = headOf(CASES.find((c) => c.golden === "log-group-renamed.md")!);
    const safe = headOf(CASES.find((c) => c.golden === "slo-tightened.md")!);

    const blocked = mlobs("review", "--base", base, "--head", loss);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toContain("⛔ data loss");
    expect(blocked.stderr).toContain("1 change(s) delete observability data; pass --allow-data-loss if intended");

    expect(mlobs("review", "--base", base, "--head", renamed).code).toBe(1);
    const allowed = mlobs("review", "--base", base, "--head", renamed, "--allow-data-loss");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("allowed for this review");

    const out = join(work, "comment", "review.md");
    const ok = mlobs("review", "--base", base, "--head", safe, "--out", out);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe(`wrote ${out}`);
    expect(readFileSync(out, "utf8")).toBe(review(base, safe).markdown);
  });

  it("bad input exits 2 with what to do, and no stack trace", () => {
    const missing = mlobs("review", "--base", join(work, "nope"), "--head", base);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist; give the output folder of `cdktf synth` (cdktf.out)");
    expect(missing.stderr).not.toMatch(/^\s+at /m);
    const noHead = mlobs("review", "--base", base);
    expect(noHead.code).toBe(2);
    expect(noHead.stderr).toContain("--base DIR and --head DIR are required");
  });

  it("keeps a huge change readable: tables are capped and the comment stays under GitHub's limit", () => {
    // Every alert of both services changes (a new runbook host), and a new service with its dashboards appears.
    const r = rag();
    const f = fraud();
    r.alerting = { ...r.alerting, runbookBaseUrl: "https://wiki.example.com/search-ai" };
    f.alerting = { ...f.alerting, runbookBaseUrl: "https://wiki.example.com/risk-ml" };
    const extra = { ...rag(), name: "rag-assistant-eu", environments: ["prod"] };
    const { markdown } = review(base, synth("huge", [r, f, extra]));
    expect(markdown.length).toBeLessThan(60000);
    expect(markdown).toMatch(/… and \d+ more \(run `mlobs review` locally for the full list\)\./);
    expect(markdown).not.toContain('"panels"');
  });
});
