/** The terraform plan section of the review comment (`mlobs review --plan`). */
import { code, details, table } from "./markdown";
import { GRAFANA_NOT_PLANNED, type PlanAction, type PlanReport } from "./plan";
import { byString } from "./synthOutput";

const ACTIONS: readonly PlanAction[] = ["create", "update", "replace", "delete"];

/** The terraform plan of each AWS stack of the head: actions by resource type, failures, skipped stacks. */
export function planSection(plan: PlanReport): string[] {
  const out = ["### terraform plan (head)", ""];
  if (plan.unavailable) out.push(`Not attached: ${plan.unavailable}.`, "");
  for (const p of plan.planned) {
    out.push(`**${p.stack}**`, "");
    if (p.error) {
      out.push("The plan failed:", "", details("terraform output", p.error), "");
      continue;
    }
    const types = Object.keys(p.actions).sort(byString);
    if (types.length === 0) {
      out.push("No changes.", "");
      continue;
    }
    const rows = types.map((t) => [code(t), ...ACTIONS.map((a) => String(p.actions[t][a] ?? "") || "—")]);
    const total = (a: PlanAction) => types.reduce((n, t) => n + (p.actions[t][a] ?? 0), 0);
    out.push(table(["Resource type", ...ACTIONS], rows, 60), "", `${ACTIONS.map((a) => `${total(a)} to ${a}`).join(", ")}.`, "");
  }
  for (const s of plan.skipped) out.push(`**${s.stack}**: ${s.reason === GRAFANA_NOT_PLANNED ? `${GRAFANA_NOT_PLANNED}.` : s.reason}`, "");
  return out;
}

