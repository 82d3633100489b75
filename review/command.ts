/**
 * `mlobs review --base DIR --head DIR [--out FILE] [--allow-data-loss] [--plan]`: the review of two
 * synthesized outputs as PR-comment Markdown, on stdout or into FILE.
 * Exit codes: 0 reviewed, 1 data loss (unless --allow-data-loss), 2 bad input.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadReviewInput } from "./changedStacks";
import { InputError, loadSynthOutput } from "./load";
import { planHead, type PlanOptions } from "./plan";
import { renderReview } from "./render";
import { buildReview, dataLossCount } from "./review";

export interface ReviewArgs {
  readonly values: Readonly<Record<string, string>>;
  readonly on: ReadonlySet<string>;
  readonly positional: readonly string[];
}

/** Runs the command; `planOptions` lets tests plan offline. Returns the exit code. */
export function reviewCommand(args: ReviewArgs, out: (text: string) => void, planOptions?: PlanOptions): number {
  const fail = (message: string) => {
    process.stderr.write(`error: ${message}\nusage: mlobs review --base DIR --head DIR [--out FILE] [--allow-data-loss] [--plan]\n`);
    return 2;
  };
  const baseDir = args.values["--base"];
  const headDir = args.values["--head"];
  if (!baseDir || !headDir) return fail("--base DIR and --head DIR are required (the cdktf.out of the PR's base and head)");
  if (args.positional.length > 0) return fail(`unexpected argument ${args.positional[0]}`);
  const allowDataLoss = args.on.has("--allow-data-loss");
  let markdown: string;
  let loss: number;
  try {
    let review;
    if (args.on.has("--plan")) {
      // The plan covers every AWS stack of the head (drift included), so both outputs are read whole.
      const base = loadSynthOutput(baseDir);
      const head = loadSynthOutput(headDir);
      review = buildReview(base, head, planHead(headDir, head, planOptions));
    } else {
      // Only stacks whose bytes differ are parsed (with their context): fast and small at any size.
      const { base, head, scope } = loadReviewInput(baseDir, headDir);
      review = buildReview(base, head, undefined, scope);
    }
    markdown = renderReview(review, { allowDataLoss });
    loss = dataLossCount(review);
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    throw e;
  }
  const file = args.values["--out"];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, markdown);
    out(`wrote ${file}`);
  } else out(markdown.trimEnd());
  if (loss > 0 && !allowDataLoss) {
    process.stderr.write(`review: ${loss} change(s) delete observability data; pass --allow-data-loss if intended\n`);
    return 1;
  }
  return 0;
}
