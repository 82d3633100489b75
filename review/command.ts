/**
 * `mlobs review --base DIR --head DIR [--out FILE] [--allow-data-loss] [--plan] [--cache DIR] [service.yaml...]`:
 * the review of two synthesized outputs as PR-comment Markdown, on stdout or into FILE. With the
 * head's service descriptions, services whose rules changed are replayed (base and head rules,
 * the same traffic) into a detection-impact section (review/detection/).
 * Exit codes: 0 reviewed, 1 data loss (unless --allow-data-loss), 2 bad input.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadReviewInput } from "./changedStacks";
import { InputError, loadSynthOutput } from "./load";
import { planHead, type PlanOptions } from "./plan";
import { renderReview } from "./render";
import { buildReview, dataLossCount, type Review } from "./review";
import { loadServicesFiles } from "../service/load";
import { ValidationError } from "../service/normalize";
import type { ServiceModel } from "../service/model";
import { defaultCacheDir, fileCache } from "../replay/simulate/cache";
import { detectionImpact, type ServiceDetection } from "./detection/impact";
import type { SynthOutput } from "./synthOutput";

export interface ReviewArgs {
  readonly values: Readonly<Record<string, string>>;
  readonly on: ReadonlySet<string>;
  readonly positional: readonly string[];
}

export const REVIEW_USAGE = "mlobs review --base DIR --head DIR [--out FILE] [--allow-data-loss] [--plan] [--cache DIR] [service.yaml...]";

const fail = (message: string) => {
  process.stderr.write(`error: ${message}\nusage: ${REVIEW_USAGE}\n`);
  return 2;
};

/**
 * Runs the command; `planOptions` lets tests plan offline. Returns the exit code, as a promise when
 * descriptions are given (the detection impact runs promtool).
 */
export function reviewCommand(args: ReviewArgs, out: (text: string) => void, planOptions?: PlanOptions): number | Promise<number> {
  const baseDir = args.values["--base"];
  const headDir = args.values["--head"];
  if (!baseDir || !headDir) return fail("--base DIR and --head DIR are required (the cdktf.out of the PR's base and head)");
  let models: ServiceModel[] = [];
  try {
    models = args.positional.length > 0 ? loadServicesFiles(args.positional) : [];
  } catch (e) {
    if (e instanceof ValidationError) return fail(e.message);
    throw e;
  }
  let read: { review: Review; base: SynthOutput; head: SynthOutput };
  try {
    read = readReview(baseDir, headDir, args.on.has("--plan"), planOptions);
  } catch (e) {
    if (e instanceof InputError) return fail(e.message);
    throw e;
  }
  if (models.length === 0) return finish(args, read.review, out);
  const cache = fileCache(args.values["--cache"] ?? defaultCacheDir());
  return detectionImpact(read.base, read.head, models, { cache }).then((detection) => finish(args, read.review, out, detection));
}

function readReview(baseDir: string, headDir: string, plan: boolean, planOptions?: PlanOptions): { review: Review; base: SynthOutput; head: SynthOutput } {
  if (plan) {
    // The plan covers every AWS stack of the head (drift included), so both outputs are read whole.
    const base = loadSynthOutput(baseDir);
    const head = loadSynthOutput(headDir);
    return { review: buildReview(base, head, planHead(headDir, head, planOptions)), base, head };
  }
  // Only stacks whose bytes differ are parsed (with their context): fast and small at any size.
  const { base, head, scope } = loadReviewInput(baseDir, headDir);
  return { review: buildReview(base, head, undefined, scope), base, head };
}

function finish(args: ReviewArgs, review: Review, out: (text: string) => void, detection?: readonly ServiceDetection[]): number {
  const allowDataLoss = args.on.has("--allow-data-loss");
  const markdown = renderReview(review, { allowDataLoss, detection });
  const loss = dataLossCount(review);
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
