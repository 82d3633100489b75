/**
 * The runbook page of every alert of a service, written at synth next to the stack that holds
 * the alerts (`cdktf.out/stacks/<stack>/runbooks/<service>/<slug>.md`), so `mlobs review` shows a
 * page's change beside its alert's and the pages can be published from the synthesized output.
 * Terraform ignores the folder. cdktf's custom synthesis hook (what TerraformAsset uses) writes it
 * when the stack is written; the folder is emptied first, so a page of a removed alert does not
 * linger. The stack's JSON states the pages' digest (service/names.ts runbookDigest), so a changed
 * page is a changed stack.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformStack } from "cdktf";
// Not re-exported by the package root; the same module (and hook) cdktf's own TerraformAsset uses.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { Construct } from "constructs";
import { pageFile, type RunbookPage } from "../../runbooks";
import { RUNBOOK_DIGEST_PATH, RUNBOOKS_FOLDER, runbookDigest } from "../../service/names";

export class RunbookPages extends Construct {
  constructor(scope: Construct, id: string, readonly service: string, readonly pages: readonly RunbookPage[]) {
    super(scope, id);
    TerraformStack.of(this).addOverride([...RUNBOOK_DIGEST_PATH, service].join("."), runbookDigest(pages));
    addCustomSynthesis(this, {
      onSynthesize: (session) => {
        const stack = TerraformStack.of(this);
        const dir = join(session.outdir, session.manifest.forStack(stack).workingDirectory, RUNBOOKS_FOLDER, this.service);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const p of this.pages) writeFileSync(join(dir, pageFile(p.slug)), p.markdown);
      },
    });
  }
}
