/**
 * `mlobs lint` and `mlobs review` at fleet scale, against the floor (reading and `JSON.parse` of
 * every stack once, nothing else). The fleet (N services, one environment) is synthesized twice:
 * as is, and with K services' availability objective changed. Then, interleaved, each its own
 * child process under ts-node --swc (as `bin/mlobs.js` runs without a build): the floor, lint of
 * the fleet, review of the fleet against the changed fleet, review of the fleet against itself.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChild, type ChildRun } from "./runChild";
import { max, median, mib, ratio, sec } from "./stats";

export interface LintReviewTargets {
  /** lint wall time at most this many times the floor's. */
  readonly lintMax: number;
  /** review of a few changed stacks: wall time at most this many times the floor's. */
  readonly reviewMax: number;
  readonly reviewRssMaxMiB: number;
}

export interface LintReviewResult {
  readonly n: number;
  readonly changed: number;
  readonly stacks: number;
  readonly bytes: number;
  readonly runs: { readonly floor: ChildRun[]; readonly lint: ChildRun[]; readonly review: ChildRun[]; readonly reviewSame: ChildRun[] };
}

export interface LintReviewOptions {
  readonly n: number;
  readonly changed: number;
  readonly reps: number;
  readonly log: (line: string) => void;
}

function folderBytes(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const stack of readdirSync(join(dir, "stacks"))) {
    files++;
    bytes += statSync(join(dir, "stacks", stack, "cdk.tf.json")).size;
  }
  return { files, bytes };
}

export async function runLintReviewBench(o: LintReviewOptions): Promise<LintReviewResult> {
  const dir = mkdtempSync(join(tmpdir(), "mlobs-bench-lint-review-"));
  try {
    const base = join(dir, "base", "cdktf.out");
    const head = join(dir, "head", "cdktf.out");
    o.log(`lint and review: synthesizing the ${o.n}-service fleet, and again with ${o.changed} services' availability objective changed`);
    await runChild("bench/fleetSynth.ts", ["--n", String(o.n), "--out", base]);
    await runChild("bench/fleetSynth.ts", ["--n", String(o.n), "--out", head, "--change", String(o.changed)]);
    const size = folderBytes(base);
    o.log(`  ${size.files} stacks, ${(size.bytes / 1e6).toFixed(1)} MB; ${o.reps} runs each, interleaved`);
    const runs = { floor: [] as ChildRun[], lint: [] as ChildRun[], review: [] as ChildRun[], reviewSame: [] as ChildRun[] };
    for (let i = 0; i < o.reps; i++) {
      runs.floor.push(await runChild("bench/floorRead.ts", ["--dir", base]));
      // lint exits 1 when it finds something (the generated fleet trips pii-masking on purpose-free tiers).
      runs.lint.push(await runChild("bench/commandChild.ts", ["--expect", "0,1", "--", "lint", base]));
      runs.review.push(await runChild("bench/commandChild.ts", ["--expect", "0", "--", "review", "--base", base, "--head", head]));
      runs.reviewSame.push(await runChild("bench/commandChild.ts", ["--expect", "0", "--", "review", "--base", base, "--head", base]));
      const last = (xs: ChildRun[]) => sec(xs[xs.length - 1].wallMs);
      o.log(`  run ${i + 1}: floor ${last(runs.floor)}, lint ${last(runs.lint)}, review (${o.changed} changed) ${last(runs.review)}, review (none changed) ${last(runs.reviewSame)}`);
    }
    return { n: o.n, changed: o.changed, stacks: size.files, bytes: size.bytes, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wall = (xs: readonly ChildRun[]) => median(xs.map((r) => r.wallMs));
const work = (xs: readonly ChildRun[]) => median(xs.map((r) => (r.phases.import ?? 0) + (r.phases.run ?? 0)));
const rss = (xs: readonly ChildRun[]) => max(xs.map((r) => r.maxRssKiB));

export interface LintReviewVerdict {
  readonly name: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The floor's own work: reading and parsing (its child's `run` phase), without node and ts-node start-up. */
const floorWork = (r: LintReviewResult) => median(r.runs.floor.map((x) => x.phases.run ?? 0));

/**
 * Judged on the command's work (loading the CLI and running it) against the floor's reading and
 * parsing, both without node and ts-node start-up: start-up is the same for both and would make
 * the ratio look better than it is. Wall-time ratios are in the table too.
 */
export function lintReviewVerdicts(t: LintReviewTargets, r: LintReviewResult): LintReviewVerdict[] {
  const floor = floorWork(r);
  const lint = work(r.runs.lint) / floor;
  const review = work(r.runs.review) / floor;
  const reviewRss = rss(r.runs.review) / 1024;
  const vs = (xs: readonly ChildRun[]) => `${sec(work(xs))} against ${sec(floor)}; wall ${ratio(wall(xs) / wall(r.runs.floor))}`;
  return [
    { name: `lint of ${r.n} services ≤ ${t.lintMax}x the floor (median, import + run against the floor's read + parse)`, measured: `${ratio(lint)} (${vs(r.runs.lint)})`, met: lint <= t.lintMax },
    {
      name: `review of ${r.changed} changed services ≤ ${t.reviewMax}x the floor (same measure)`,
      measured: `${ratio(review)} (${vs(r.runs.review)})`,
      met: review <= t.reviewMax,
    },
    { name: `review of ${r.changed} changed services under ${t.reviewRssMaxMiB} MiB peak RSS`, measured: `${reviewRss.toFixed(0)} MiB (max of ${r.runs.review.length} runs)`, met: reviewRss <= t.reviewRssMaxMiB },
  ];
}

const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export const LINT_REVIEW_BEGIN = "<!-- lint-review: begin -->";
export const LINT_REVIEW_END = "<!-- lint-review: end -->";

/** The report section, between markers so `--only lint-review` can replace it alone. */
export function renderLintReview(t: LintReviewTargets, r: LintReviewResult, context: string): string {
  const floor = wall(r.runs.floor);
  const row = (what: string, xs: readonly ChildRun[], isFloor = false) => [
    what,
    `${sec(Math.min(...xs.map((x) => x.wallMs)))} / ${sec(wall(xs))}`,
    isFloor ? "1.00x" : ratio(wall(xs) / floor),
    `${sec(median(xs.map((x) => x.bootMs)))} / ${sec(median(xs.map((x) => x.phases.import ?? 0)))} / ${sec(median(xs.map((x) => x.phases.run ?? 0)))}`,
    isFloor ? "1.00x" : ratio(work(xs) / floorWork(r)),
    mib(rss(xs)),
  ];
  return [
    LINT_REVIEW_BEGIN,
    "## 4. `mlobs lint` and `mlobs review` at scale",
    "",
    context,
    "",
    `The fleet: ${r.n} generated services in one environment, ${r.stacks} stacks, ${(r.bytes / 1e6).toFixed(1)} MB of JSON; the head has ${r.changed} services' availability objective changed (each a change to its AWS and Grafana stacks: ${r.changed * 2} stacks). ` +
      "Each command is a child process under `ts-node --swc` (as `bin/mlobs.js` runs without a build), timed from spawn to exit; peak RSS is the child's own maxRSS. " +
      "**Floor**: read manifest.json, then read and `JSON.parse` every stack file once, nothing else, in the same runtime (so node and ts-node start-up cost the same). Runs are interleaved; min and median are reported.",
    "",
    "Reproduce alone: `npm run bench -- --only lint-review` (about 3 minutes; `--lint-review-services`, `--lint-review-changed`, `--lint-review-reps`); it replaces only this section. A full `npm run bench` measures it too (`--skip-lint-review` to leave it out).",
    "",
    table(
      ["target", "measured", "met"],
      lintReviewVerdicts(t, r).map((v) => [v.name, v.measured, v.met ? "yes" : "**no**"]),
    ),
    "",
    table(
      ["command", "wall (min / median)", "vs floor, wall", "boot / import / run (median)", "vs floor, import + run against its read + parse (judged)", "peak RSS (max)"],
      [
        row("floor: read + `JSON.parse` every stack", r.runs.floor, true),
        row("`mlobs lint <fleet>`", r.runs.lint),
        row(`\`mlobs review\`, ${r.changed} services changed`, r.runs.review),
        row("`mlobs review`, nothing changed", r.runs.reviewSame),
      ],
    ),
    "",
    "`import` is loading the CLI with everything it imports (compiled by swc on the fly: a built package, `npm run build`, skips most of it); `run` is the command itself. " +
      "Review compares each stack's bytes between base and head and parses only those that differ, with their context (the service's other stack, the environment's platform and shared Grafana stack, upstream stacks of cross-stack references; the whole environment when its routing changed). " +
      "Lint parses every stack once; rules share one parse of each environment's alerts and routing, and AMP rule files that cannot hold an alerting rule are not parsed as YAML.",
    LINT_REVIEW_END,
  ].join("\n");
}
