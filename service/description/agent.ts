/**
 * The `agent` section, for services of kind `agent`: limits of the loop, runaway-tool-spend,
 * tool-error and rollback tickets. Agent signals (tool calls by tool and outcome, retries,
 * approvals, rollbacks, steps per task) are recorded for every agent; the P95 of steps per task
 * is judged on a bucket boundary of its histogram, like latency SLO thresholds.
 */
import type { MetricContract } from "../metricContract";
import { dflt, num, obj, type Loose, type Output, type RefineContext } from "../schemaDsl";
import { percent, ratio } from "./common";
import { requireBoundary } from "./slos";

export const AGENT_SCHEMA = obj("Agent signals and the limits of their tickets (kind agent only).", {
  maxStepsPerTask: num(
    "Steps per task whose P95 over an hour opens the loop ticket; a bucket boundary of the stepsPerTask histogram (default: only tasks stopped by the step cap open it).",
    { exclusiveMinimum: 0 },
  ),
  maxStepCapPercent: dflt(percent("Share of tasks stopped by the agent's step cap that opens the loop ticket, percent."), 1),
  maxToolCallsPerTask: num("Tool calls per task, over an hour, that open the runaway-tool-spend ticket (default: no per-task limit).", { exclusiveMinimum: 0 }),
  toolCallsPerHourBudget: num("Tool calls per hour that open the runaway-tool-spend ticket (default: no hourly budget).", { exclusiveMinimum: 0 }),
  maxToolErrorPercent: dflt(percent("Share of tool calls ending in error, over an hour, that opens a ticket, percent."), 10),
  maxRollbacksPerHour: dflt(num("Side effects rolled back in the last hour above which a ticket opens; 0: any rollback opens it.", { integer: true, minimum: 0 }), 0),
});

type AgentOutput = Output<typeof AGENT_SCHEMA>;

/** Only agents have an agent section; the step limit sits on a bucket boundary. */
export function checkAgent(a: Loose<AgentOutput> | undefined, kind: string | undefined, given: boolean, metrics: MetricContract, ctx: RefineContext): void {
  if (given && kind !== undefined && kind !== "agent") {
    ctx.issue("agent", `is only for services of kind agent (kind is ${kind}); remove it or set kind: agent`);
    return;
  }
  requireBoundary(ctx, "agent.maxStepsPerTask", a?.maxStepsPerTask, metrics.stepsPerTask);
}

/** Agent limits as generators read them: percents as ratios. */
export function buildAgent(a: AgentOutput) {
  const { maxStepCapPercent, maxToolErrorPercent, ...rest } = a;
  return {
    ...rest,
    /** Ratio, e.g. 0.01. */
    maxStepCapRatio: ratio(maxStepCapPercent),
    /** Ratio, e.g. 0.1. */
    maxToolErrorRatio: ratio(maxToolErrorPercent),
  };
}
