/**
 * Playbooks of the agent tickets (alerts/signalNames.ts AGENT_ALERT): loops, runaway tool calls,
 * tool errors and rolled-back side effects.
 */
import { num } from "../alerts/promql";
import { AGENT_ALERT, AGENT_PANEL } from "../alerts/servingAgentNames";
import { PANEL } from "../service/links";
import type { ServiceModel } from "../service/model";
import { saved, tokensByRelease } from "./logQueries";
import type { PanelRef, Playbook } from "./playbook";

export type AgentAlertKind = keyof typeof AGENT_ALERT;

const op = (key: string): PanelRef => ({ dashboard: "operational", key });

function loop(model: ServiceModel): Playbook {
  const steps = model.agent.maxStepsPerTask;
  return {
    impact:
      `Tasks do not finish: ${steps === undefined ? "" : `more than 5 % of tasks take over ${num(steps)} steps, or `}` +
      `more than ${num(model.agent.maxStepCapRatio * 100)} % of tasks are stopped by the step cap. Users get no result while tokens and tool calls burn.`,
    checks: [
      { look: "Steps per task and the share of tasks stopped by the step cap, and since when.", panels: [op(AGENT_PANEL.steps)] },
      { look: "Which tool the loop repeats: calls by tool and outcome (a tool failing or denied again and again).", panels: [op(AGENT_PANEL.toolCalls), op(AGENT_PANEL.toolErrors)] },
      { look: "Which model or prompt version brought it: tokens per release.", panels: [op(AGENT_PANEL.steps)], logs: tokensByRelease() },
    ],
    likely: ["tool action", "model behaviour", "policy"],
    signs: { "tool action": "one tool's calls or errors grew with the steps: the agent retries a tool that cannot succeed" },
    rollback: ["Pin the previous prompt or model version.", "Disable the tool the loop repeats, or lower the step cap so looping tasks fail fast."],
    prevent: ["Add the looping tasks to the agent's eval set and gate releases on steps per task and completion."],
  };
}

function toolSpend(model: ServiceModel): Playbook {
  const a = model.agent;
  const limits = [
    ...(a.maxToolCallsPerTask !== undefined ? [`${num(a.maxToolCallsPerTask)} tool calls per task`] : []),
    ...(a.toolCallsPerHourBudget !== undefined ? [`${num(a.toolCallsPerHourBudget)} tool calls per hour`] : []),
  ];
  return {
    impact: `Cost and rate limits, then users: the agent makes more than ${limits.join(" or ")}. Paid tools bill it and rate-limited tools start refusing.`,
    checks: [
      { look: "Tool calls per task and per hour, and since when.", panels: [op(AGENT_PANEL.toolCallsPerTask)] },
      { look: "Which tool's calls grew.", panels: [op(AGENT_PANEL.toolCalls)] },
      { look: "Whether more tasks arrive (traffic) or each task calls more (a prompt or model change).", panels: [op(PANEL.requests)], logs: saved("release-before-after") },
    ],
    likely: ["tool action", "model behaviour", "product integration"],
    rollback: ["Pin the previous prompt or model version.", "Cap tool calls per task, or rate-limit the tool whose calls grew."],
    prevent: ["Add a tool-call budget check to the release pipeline: tool calls per task on a replayed sample within 20 % of the previous release."],
  };
}

function toolErrors(model: ServiceModel): Playbook {
  return {
    impact: `Tasks fail or slow down: more than ${num(model.agent.maxToolErrorRatio * 100)} % of tool calls end in error, and the agent retries or gives up.`,
    checks: [
      { look: "Which tool fails, and since when.", panels: [op(AGENT_PANEL.toolErrors)] },
      { look: "Whether the agent retries the failures (more retries per task).", panels: [op(AGENT_PANEL.retries)] },
      { look: "Which error types, by release: a tool's API change or the arguments a new prompt makes the model send.", panels: [op(AGENT_PANEL.toolErrors)], logs: saved("errors-by-release") },
    ],
    likely: ["tool action", "product integration", "model behaviour"],
    rollback: ["Roll back the tool's client or the prompt that changed its arguments.", "Disable the failing tool so the agent takes another path."],
    prevent: ["Add a contract test per tool: the arguments the model sends on a replayed sample are accepted by the tool."],
  };
}

function rollbacks(model: ServiceModel): Playbook {
  return {
    impact: `The agent acted and had to be undone: more than ${num(model.agent.maxRollbacksPerHour)} side effects were rolled back in the last hour. Someone may have seen the effect before it was undone.`,
    checks: [
      { look: "How many side effects were rolled back, and by which tool.", panels: [op(AGENT_PANEL.rollbacks)] },
      { look: "Whether approvals were denied before them (people refused what the agent tried).", panels: [op(AGENT_PANEL.approvals)] },
      { look: "Which tasks did it: the error records of the rolled-back steps.", panels: [op(AGENT_PANEL.rollbacks)], logs: saved("errors-by-request") },
    ],
    likely: ["tool action", "policy", "model behaviour"],
    rollback: ["Check every rollback completed; disable the tool until the cause is known if its effects reach customers."],
    prevent: ["Require an approval for the tool's side effects, and add the tasks to the agent's eval set."],
  };
}

export function agentPlaybook(model: ServiceModel, alert: AgentAlertKind): Playbook {
  switch (alert) {
    case "loop":
      return loop(model);
    case "toolSpend":
      return toolSpend(model);
    case "toolErrors":
      return toolErrors(model);
    case "rollbacks":
      return rollbacks(model);
  }
}
