/**
 * Agent (kind agent): tool calls by tool and outcome, the tool error ratio, retries per task,
 * approvals, rolled-back side effects, steps per task and tool calls per task, with the declared
 * limits dashed. The agent tickets link here.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { AGENT_LABEL, AGENT_PANEL, AGENT_RULE, AGENT_WINDOW } from "../../alerts/servingAgentNames";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, rightAxis, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { eq, raw, recorded, sumRate } from "../promql";

const limitLine = (limit: number | undefined) => (limit === undefined ? undefined : steps(COLOR.ok, [limit, COLOR.act]));

function toolCalls(model: ServiceModel): PanelSpec {
  const { tool, outcome } = AGENT_LABEL;
  return {
    key: AGENT_PANEL.toolCalls,
    width: WIDTH.half,
    panel: timeseries({
      title: "Tool calls by tool and outcome",
      description: "Tool calls per second by tool and outcome (success, error, denied): which tools the agent leans on and which fail or are refused.",
      unit: units.OpsPerSecond,
      min: 0,
      targets: [{ expr: `sum by (${tool}, ${outcome}) (${recorded(model, AGENT_RULE.toolCalls)})`, legend: `{{${tool}}} {{${outcome}}}` }],
    }),
  };
}

function toolErrors(model: ServiceModel): PanelSpec {
  const { tool, outcome } = AGENT_LABEL;
  const calls = recorded(model, AGENT_RULE.toolCalls);
  const errors = recorded(model, AGENT_RULE.toolCalls, eq(outcome, model.metrics.values.toolError));
  const limit = model.agent.maxToolErrorRatio;
  return {
    key: AGENT_PANEL.toolErrors,
    width: WIDTH.half,
    panel: timeseries({
      title: "Tool error ratio",
      description: `Share of tool calls ending in error, by tool over 5m and for all tools over ${AGENT_WINDOW} (the ticket's signal). Dashed: the limit, ${num(limit * 100)}%.`,
      unit: units.PercentUnit,
      min: 0,
      thresholds: limitLine(limit),
      targets: [
        { expr: `sum by (${tool}) (${errors})\n/\n(sum by (${tool}) (${calls}) > 0)`, legend: `{{${tool}}}` },
        { expr: recorded(model, AGENT_RULE.toolErrors(AGENT_WINDOW)), legend: `all tools, ${AGENT_WINDOW}` },
      ],
    }),
  };
}

function retries(model: ServiceModel): PanelSpec {
  return {
    key: AGENT_PANEL.retries,
    width: WIDTH.third,
    panel: timeseries({
      title: "Retries per task",
      description: "Tool calls retried after a failure, per task: retries hide failing tools until they cost time and money.",
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, AGENT_RULE.retriesPerTask("5m")), legend: "retries per task" }],
    }),
  };
}

function approvals(model: ServiceModel): PanelSpec {
  return {
    key: AGENT_PANEL.approvals,
    width: WIDTH.third,
    panel: timeseries({
      title: "Approvals requested and denied",
      description: "Approvals the agent asked for before a side effect, and those refused, per second: many denials mean the agent proposes actions people do not want.",
      unit: units.OpsPerSecond,
      min: 0,
      targets: [
        { expr: recorded(model, AGENT_RULE.approvalsRequested), legend: "requested" },
        { expr: recorded(model, AGENT_RULE.approvalsDenied), legend: "denied" },
      ],
    }),
  };
}

function rollbacks(model: ServiceModel): PanelSpec {
  const tool = model.metrics.labels.toolName;
  return {
    key: AGENT_PANEL.rollbacks,
    width: WIDTH.third,
    panel: timeseries({
      title: "Side effects rolled back",
      description: `Side effects undone after a failed or refused step, in the last ${AGENT_WINDOW} (a ticket opens over ${num(model.agent.maxRollbacksPerHour)}), and per second by tool.`,
      unit: units.Short,
      min: 0,
      targets: [
        { expr: recorded(model, AGENT_RULE.rollbacks), legend: `last ${AGENT_WINDOW}` },
        { expr: sumRate(model.metrics.rollbacks.name, raw(model), [tool]), legend: `{{${tool}}} per second` },
      ],
    }),
  };
}

function stepsPerTask(model: ServiceModel): PanelSpec {
  const a = model.agent;
  return {
    key: AGENT_PANEL.steps,
    width: WIDTH.half,
    panel: rightAxis(
      timeseries({
        title: "Steps per task P95",
        description:
          `Steps (model and tool calls) per task at P95 over 5m, and the share of tasks stopped by the step cap over ${AGENT_WINDOW} (right axis; limit ${num(a.maxStepCapRatio * 100)}%).` +
          (a.maxStepsPerTask === undefined ? "" : ` Dashed: the declared maximum, ${num(a.maxStepsPerTask)} steps.`) +
          " Both rising is an agent looping.",
        unit: units.Short,
        min: 0,
        thresholds: limitLine(a.maxStepsPerTask),
        targets: [
          { expr: recorded(model, AGENT_RULE.stepsP95("5m")), legend: "P95 steps" },
          { expr: recorded(model, AGENT_RULE.stepCapReached(AGENT_WINDOW)), legend: "stopped by the step cap" },
        ],
      }),
      "^stopped by the step cap$",
      units.PercentUnit,
    ),
  };
}

function toolCallsPerTask(model: ServiceModel): PanelSpec {
  const a = model.agent;
  const limits = [
    ...(a.maxToolCallsPerTask !== undefined ? [`${num(a.maxToolCallsPerTask)} per task`] : []),
    ...(a.toolCallsPerHourBudget !== undefined ? [`${num(a.toolCallsPerHourBudget)} per hour`] : []),
  ];
  return {
    key: AGENT_PANEL.toolCallsPerTask,
    width: WIDTH.half,
    panel: rightAxis(
      timeseries({
        title: "Tool calls per task and per hour",
        description: `Tool calls per task and per hour (right axis), over ${AGENT_WINDOW}: runaway tool spend shows here first.${limits.length ? ` Limits: ${limits.join(", ")}.` : ""}`,
        unit: units.Short,
        min: 0,
        thresholds: limitLine(a.maxToolCallsPerTask),
        targets: [
          { expr: recorded(model, AGENT_RULE.toolCallsPerTask(AGENT_WINDOW)), legend: "per task" },
          { expr: recorded(model, AGENT_RULE.toolCallsPerHour), legend: "per hour" },
        ],
      }),
      "^per hour$",
      units.Short,
    ),
  };
}

export function agentSection(model: ServiceModel): Section {
  if (model.kind !== "agent") return { key: "agent", title: "Agent", panels: [] };
  return {
    key: "agent",
    title: "Agent",
    panels: [toolCalls(model), toolErrors(model), retries(model), approvals(model), rollbacks(model), stepsPerTask(model), toolCallsPerTask(model)],
  };
}
