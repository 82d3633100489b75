/**
 * `terraform plan` of the head's AWS stacks, summarized per resource type. Runs in each stack's
 * folder as `cdktf deploy` would, with the user's own Terraform configuration and credentials:
 * this module ships no credentials and no provider settings. Tests pass extra `env` (a CLI config
 * pointing at a provider mirror), an `override` file (mock credentials, a stub STS endpoint) and
 * `beforeInit` (stub remote states), as test/support/terraform.ts does.
 *
 * Grafana stacks are not planned: the Grafana provider needs the deploy token the platform stack
 * mints on apply, and no grafana/grafana provider binary is available offline.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Json, SynthOutput } from "./synthOutput";

export interface PlanOptions {
  /**
   * Extra environment variables for terraform, over the current environment.
   * @default - the current environment only
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Written as `mlobs_review_override.tf.json` into each stack before `init`, removed afterwards.
   * @default - none: the stacks are planned as synthesized
   */
  readonly override?: Json;
  /** Runs before each stack's `terraform init`. @default - nothing */
  readonly beforeInit?: (stacksDir: string, stack: string) => void;
  /** @default "terraform" */
  readonly terraform?: string;
}

export type PlanAction = "create" | "update" | "replace" | "delete";

export interface StackPlan {
  readonly stack: string;
  /** Per resource type, how many resources each action touches (no-ops and reads left out). */
  readonly actions: Readonly<Record<string, Partial<Record<PlanAction, number>>>>;
  /** Resources the plan deletes or replaces. */
  readonly destroys: readonly { readonly address: string; readonly type: string; readonly action: "delete" | "replace" }[];
  /** Why the plan failed (Terraform's last lines), when it did. */
  readonly error?: string;
}

export interface PlanReport {
  readonly planned: readonly StackPlan[];
  readonly skipped: readonly { readonly stack: string; readonly reason: string }[];
  /** Set when terraform cannot run at all. */
  readonly unavailable?: string;
}

export const OVERRIDE_FILE = "mlobs_review_override.tf.json";
const PLAN_FILE = "mlobs-review.tfplan";
export const GRAFANA_NOT_PLANNED =
  "not planned: the Grafana provider needs the deploy token the platform stack mints on apply, and no grafana/grafana provider binary is available offline; its changes are read from the synthesized output above";

function onPath(bin: string, env: NodeJS.ProcessEnv): boolean {
  if (bin.includes("/")) return existsSync(bin);
  return (env.PATH ?? "").split(delimiter).some((d) => d && existsSync(join(d, bin)));
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

function actionOf(actions: readonly string[]): PlanAction | undefined {
  const a = actions.join("+");
  if (a === "create" || a === "update" || a === "delete") return a;
  if (a === "delete+create" || a === "create+delete") return "replace";
  return undefined;
}

/** Summarizes `terraform show -json` of a plan. */
export function summarizePlan(stack: string, planJson: Json): StackPlan {
  const actions: Record<string, Partial<Record<PlanAction, number>>> = {};
  const destroys: { address: string; type: string; action: "delete" | "replace" }[] = [];
  const changes = (planJson.resource_changes ?? []) as { address: string; type: string; mode?: string; change: { actions: string[] } }[];
  for (const rc of changes) {
    if (rc.mode === "data") continue;
    const action = actionOf(rc.change.actions);
    if (!action) continue;
    const t = (actions[rc.type] ??= {});
    t[action] = (t[action] ?? 0) + 1;
    if (action === "delete" || action === "replace") destroys.push({ address: rc.address, type: rc.type, action });
  }
  destroys.sort((a, b) => (a.address < b.address ? -1 : 1));
  return { stack, actions, destroys };
}

function planStack(stacksDir: string, stack: string, bin: string, env: NodeJS.ProcessEnv, options: PlanOptions): StackPlan {
  const cwd = join(stacksDir, stack);
  const override = join(cwd, OVERRIDE_FILE);
  const tf = (...args: string[]) => {
    const r = spawnSync(bin, args, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw new Error(`${bin} ${args[0]}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`terraform ${args[0]} failed: ${stripAnsi(`${r.stderr}\n${r.stdout}`).trim().split("\n").slice(-12).join("\n")}`);
    return r.stdout;
  };
  try {
    if (options.override) writeFileSync(override, JSON.stringify(options.override, null, 2));
    options.beforeInit?.(stacksDir, stack);
    tf("init", "-input=false", "-no-color");
    // Read-only: no lock, so a review never blocks a deploy.
    tf("plan", "-input=false", "-no-color", "-lock=false", `-out=${PLAN_FILE}`);
    return summarizePlan(stack, JSON.parse(tf("show", "-json", PLAN_FILE)) as Json);
  } catch (e) {
    return { stack, actions: {}, destroys: [], error: (e as Error).message };
  } finally {
    rmSync(join(cwd, PLAN_FILE), { force: true });
    if (options.override) rmSync(override, { force: true });
  }
}

/** Plans every AWS stack of the head output (one at a time: inits share the plugin cache). */
export function planHead(headDir: string, head: SynthOutput, options: PlanOptions = {}): PlanReport {
  const bin = options.terraform ?? "terraform";
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...options.env };
  const skipped = head.stacks.filter((s) => s.kind === "grafana").map((s) => ({ stack: s.name, reason: GRAFANA_NOT_PLANNED }));
  if (!onPath(bin, env)) return { planned: [], skipped, unavailable: `${bin} is not on the PATH; install Terraform 1.11.x to attach a plan` };
  const stacksDir = join(headDir, "stacks");
  const planned = head.stacks.filter((s) => s.kind !== "grafana").map((s) => planStack(stacksDir, s.name, bin, env, options));
  return { planned, skipped };
}
