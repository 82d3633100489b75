/**
 * Runbook pages in synthesized output and in `mlobs review`: the synth writes each service's pages
 * next to its Grafana stack (`runbooks/<service>/<slug>.md`, the same bytes `mlobs runbooks`
 * writes) and states their digest in the stack's JSON; review shows a page's change in the row of
 * its alert, with the page's diff, also when nothing else of the alert changed; pages that are not
 * the ones the synth wrote are refused.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadReviewInput } from "../review/changedStacks";
import { loadSynthOutput } from "../review/load";
import { renderReview } from "../review/render";
import { buildReview } from "../review/review";
import { serviceRunbooks } from "../runbooks";
import { normalizeService } from "../service/normalize";
import { runbookDigest } from "../service/names";
import { fraud, rag, reviewWorkspace, type Json } from "./support/reviewWorkspace";

const { work, synth } = reviewWorkspace();
const base = synth("base", [rag(), fraud()]);
const STACK = "obs-prod-rag-assistant-grafana";
const pagesDir = (out: string) => join(out, "stacks", STACK, "runbooks", "rag-assistant");
const PAGE = "ml-obs-memory-growth.md";

/** A copy of `base` whose memory-growth page says something else, its digest restated (as a changed generator would write it). */
function withEditedPage(name: string, restateDigest: boolean): string {
  const out = join(work, name, "cdktf.out");
  cpSync(base, out, { recursive: true });
  const file = join(pagesDir(out), PAGE);
  writeFileSync(file, readFileSync(file, "utf8").replace("Restart the growing replicas one at a time", "Restart the growing replicas two at a time"));
  if (restateDigest) {
    const stackFile = join(out, "stacks", STACK, "cdk.tf.json");
    const json = JSON.parse(readFileSync(stackFile, "utf8")) as Json;
    const pages = readdirSync(pagesDir(out)).map((f) => ({ slug: f.replace(/\.md$/, ""), markdown: readFileSync(join(pagesDir(out), f), "utf8") }));
    json["//"].runbooks["rag-assistant"] = runbookDigest(pages);
    writeFileSync(stackFile, JSON.stringify(json, null, 2));
  }
  return out;
}

describe("runbook pages in synthesized output", () => {
  it("are the pages mlobs runbooks writes, one per alert, next to the service's Grafana stack", () => {
    const model = normalizeService(rag());
    const expected = serviceRunbooks(model, { environment: "prod" });
    expect(readdirSync(pagesDir(base)).sort()).toEqual(expected.map((p) => `${p.slug}.md`).sort());
    for (const p of expected) expect(readFileSync(join(pagesDir(base), `${p.slug}.md`), "utf8")).toBe(p.markdown);
    const stack = JSON.parse(readFileSync(join(base, "stacks", STACK, "cdk.tf.json"), "utf8")) as Json;
    expect(stack["//"].runbooks).toEqual({ "rag-assistant": runbookDigest(expected) });
  });

  it("a page changed with nothing else shows in its alert's row, with the page's diff, on both of review's paths", () => {
    const head = withEditedPage("page-edited", true);
    const markdown = renderReview(buildReview(loadSynthOutput(base), loadSynthOutput(head)));
    const fast = loadReviewInput(base, head);
    expect(renderReview(buildReview(fast.base, fast.head, undefined, fast.scope))).toBe(markdown);
    expect(markdown).toContain("| `MlObsMemoryGrowth` | changed | ticket | search-ai-ticket (muted outside-business-hours) | runbook changed (Roll back, narrowest first) |");
    expect(markdown).toContain("<details><summary>runbook of MlObsMemoryGrowth</summary>");
    expect(markdown).toContain("- 1. Restart the growing replicas one at a time");
    expect(markdown).toContain("+ 1. Restart the growing replicas two at a time");
  });

  it("a page edited after the synth (its digest no longer matches) is refused as stale output", () => {
    const head = withEditedPage("page-tampered", false);
    expect(() => loadSynthOutput(head)).toThrow(/rag-assistant: the runbook pages are not the ones the synth wrote/);
  });
});
