/**
 * Complete outputs only: an app synthesizes into a staging folder next to the output folder, and
 * only a finished synth is swapped into place (old folder renamed away, new one renamed in, old one
 * deleted). A synth stopped half-way (Ctrl-C, a crash, a thrown validation error) leaves the
 * previous output untouched, or none; stacks the app no longer has disappear with the old folder
 * instead of lingering beside the new ones. `mlobs review` and `mlobs lint` refuse anything else.
 * Top-level files synth does not write (`cdktf.out/rules` from `npm run rules`) are kept.
 *
 * Works for `npm run synth`, for `cdktf synth` (the CLI sets CDKTF_OUTDIR and reads manifest.json
 * after the app exits, when the swap is done; see placeholdersForCli) and for tests with their own
 * folders. The staging folder is a sibling, so both renames stay on one file system. What
 * `terraform init` left in a stack's folder (`.terraform/`, `.terraform.lock.hcl`) moves over for
 * stacks that still exist, so a re-synth does not force a fresh provider download.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { App } from "cdktf";

/** Files `terraform init` leaves in a stack's working folder that survive a re-synth. */
const KEPT_FROM_INIT = [".terraform", ".terraform.lock.hcl"];

/** The output folder an app writes to: the given one, else $CDKTF_OUTDIR (set by `cdktf synth`), else cdktf.out. */
export function resolveOutdir(outdir?: string): string {
  return resolve(outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Staging and retired folders an interrupted synth of this output left behind (their process is gone). */
function removeLeftovers(parent: string, name: string): void {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(?:staging|old)-(\\d+)-`);
  for (const entry of readdirSync(parent)) {
    const m = pattern.exec(entry);
    if (m && !processAlive(Number(m[1]))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Under `cdktf synth` (CDKTF_OUTDIR names this folder) the CLI lists the old stack folders before
 * running the app and deletes those the new manifest lacks afterwards, without tolerating one that
 * is already gone. Empty placeholders for them keep the CLI working; it removes them right after.
 */
function placeholdersForCli(from: string, to: string, final: string): void {
  if (!process.env.CDKTF_OUTDIR || resolve(process.env.CDKTF_OUTDIR) !== final) return;
  const stacks = join(from, "stacks");
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) if (!existsSync(join(to, "stacks", stack))) mkdirSync(join(to, "stacks", stack), { recursive: true });
}

/**
 * What `terraform init` left in the stack folders, for stacks that still exist, and whatever else
 * sits at the top of the old folder that synth does not write (`npm run rules` puts rule files in
 * `cdktf.out/rules`): moved into the new output so the swap only replaces what synth owns.
 */
function carryOver(from: string, to: string): void {
  for (const entry of readdirSync(from)) if (!existsSync(join(to, entry))) renameSync(join(from, entry), join(to, entry));
  const stacks = join(from, "stacks");
  if (!existsSync(stacks)) return;
  for (const stack of readdirSync(stacks)) {
    const target = join(to, "stacks", stack);
    if (!existsSync(target)) continue;
    for (const f of KEPT_FROM_INIT) if (existsSync(join(stacks, stack, f)) && !existsSync(join(target, f))) renameSync(join(stacks, stack, f), join(target, f));
  }
}

/**
 * Builds an app with `build(stagingDir)` (construct `new App({ outdir: stagingDir })` there), runs
 * `app.synth()`, then swaps the staging folder in as `outdir`. Returns the app and the final
 * folder; the app's own `outdir` names the staging folder, which no longer exists.
 */
export function synthAtomically<T extends App>(outdir: string | undefined, build: (stagingDir: string) => T): { app: T; outdir: string } {
  const final = resolveOutdir(outdir);
  const parent = dirname(final);
  const name = basename(final);
  mkdirSync(parent, { recursive: true });
  if (existsSync(final) && !statSync(final).isDirectory()) throw new Error(`${final} exists and is not a folder; remove it or synthesize elsewhere`);
  removeLeftovers(parent, name);
  const staging = mkdtempSync(join(parent, `.${name}.staging-${process.pid}-`));
  let app: T;
  try {
    app = build(staging);
    app.synth();
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (!existsSync(final)) {
    renameSync(staging, final);
    return { app, outdir: final };
  }
  carryOver(final, staging);
  placeholdersForCli(final, staging, final);
  const retired = `${staging.replace(/\.staging-/, ".old-")}`;
  renameSync(final, retired);
  renameSync(staging, final);
  rmSync(retired, { recursive: true, force: true });
  return { app, outdir: final };
}
