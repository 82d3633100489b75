/**
 * Agent signals, for services of kind `agent`: tool calls by tool and outcome, tool errors,
 * retries, approvals, rolled-back side effects and steps per task, with the tickets an agent's
 * failure modes call for: loops (steps per task P95 over the declared maximum, or tasks stopped
 * by the step cap), runaway tool spend (tool calls per task or per hour over the declared limits),
 * tool errors over their limit, and side effects rolled back.
 *
 * Tasks are counted by the steps-per-task histogram (`_count`), observed once per task when it
 * ends. The tickets read 1h windows from the raw counters at every evaluation: tool calls are
 * few series (tools × outcomes), so nothing needs hourly tiles.
 */
import { leMatcher } from "../../service/leMatcher";
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { SIGNAL_CAUSE } from "../signalNames";
import { AGENT_ALERT, AGENT_LABEL, AGENT_PANEL, AGENT_REASON, AGENT_RULE, AGENT_WINDOW } from "../servingAgentNames";
import { guardedRatioTicket, ratioZeroFilled, recorded, serviceLabels, sumBy } from "./expr";
import { TICKET_FOR, signalTicket } from "./tickets";

/** The quantile `maxStepsPerTask` bounds: more than this share of tasks over it opens the loop ticket. */
export const AGENT_STEPS_QUANTILE = 0.95;

/** PromQL over the agent's raw series, spelt from its contract. */
function raw(model: ServiceModel) {
  const m = model.metrics;
  const sel = (...matchers: string[]) => selector(model, ...matchers);
  const steps = m.stepsPerTask.name;
  const rate = (series: string, w: string, ...matchers: string[]) => `sum(rate(${series}${sel(...matchers)}[${w}]))`;
  return {
    calls: (w: string, ...matchers: string[]) => rate(m.toolCalls.name, w, ...matchers),
    errors: (w: string) => rate(m.toolCalls.name, w, `${m.labels.toolOutcome}=${quote(m.values.toolError)}`),
    tasks: (w: string) => rate(`${steps}_count`, w),
    retries: (w: string) => rate(m.toolRetries.name, w),
    stepCap: (w: string) => rate(m.stepCapReached.name, w),
    stepsWithin: (limit: number, w: string) => rate(`${steps}_bucket`, w, leMatcher(limit)),
  };
}

export function agentRules(model: ServiceModel): RecordingRule[] {
  if (model.kind !== "agent") return [];
  const m = model.metrics;
  const r = raw(model);
  const w = AGENT_WINDOW;
  const labels = serviceLabels(model);
  const perTask = (n: string, window: string) => `${n}\n/\n(${r.tasks(window)} > 0)`;
  const rules: RecordingRule[] = [
    {
      record: AGENT_RULE.toolCalls,
      expr: sumBy(
        [
          [AGENT_LABEL.tool, m.labels.toolName],
          [AGENT_LABEL.outcome, m.labels.toolOutcome],
        ],
        `rate(${m.toolCalls.name}${selector(model)}[5m])`,
      ),
      labels,
    },
    { record: AGENT_RULE.toolErrors(w), expr: ratioZeroFilled(r.errors(w), r.calls(w)), labels },
    { record: AGENT_RULE.toolCallsPerTask(w), expr: perTask(r.calls(w), w), labels },
    { record: AGENT_RULE.toolCallsPerHour, expr: `${r.calls(w)} * 3600`, labels },
    { record: AGENT_RULE.retriesPerTask("5m"), expr: `(\n  ${r.retries("5m")}\nor\n  ${r.tasks("5m")} * 0\n)\n/\n(${r.tasks("5m")} > 0)`, labels },
    { record: AGENT_RULE.approvalsRequested, expr: `sum(rate(${m.approvalsRequested.name}${selector(model)}[5m]))`, labels },
    { record: AGENT_RULE.approvalsDenied, expr: `sum(rate(${m.approvalsDenied.name}${selector(model)}[5m]))`, labels },
    // Rounded: increase() extrapolates to the window's edges, so 2 rollbacks read 2.03 and passed a limit of 2.
    { record: AGENT_RULE.rollbacks, expr: `round(sum(increase(${m.rollbacks.name}${selector(model)}[${w}])))`, labels },
    {
      record: AGENT_RULE.stepsP95("5m"),
      expr: `histogram_quantile(${AGENT_STEPS_QUANTILE}, sum by (le) (rate(${m.stepsPerTask.name}_bucket${selector(model)}[5m])))`,
      labels,
    },
    { record: AGENT_RULE.stepCapReached(w), expr: ratioZeroFilled(r.stepCap(w), r.tasks(w)), labels },
  ];
  const max = model.agent.maxStepsPerTask;
  if (max !== undefined)
    rules.push({ record: AGENT_RULE.stepsOverLimit(w), expr: `1 - (\n    ${r.stepsWithin(max, w)}\n  /\n    (${r.tasks(w)} > 0)\n)`, labels });
  return rules;
}

/** `series > limit`, labelled with the reason it stands for (one ticket, two conditions). */
const because = (reason: string, condition: string) => `label_replace(${condition}, ${quote(AGENT_LABEL.reason)}, ${quote(reason)}, "", "")`;
const reasonIs = (reason: string) => `eq $labels.${AGENT_LABEL.reason} ${quote(reason)}`;

function loopTicket(model: ServiceModel, ctx: RuleContext): AlertRule {
  const a = model.agent;
  const w = AGENT_WINDOW;
  const cap = because(AGENT_REASON.stepCap, `${recorded(model, AGENT_RULE.stepCapReached(w))} > ${num(a.maxStepCapRatio)}`);
  const steps = a.maxStepsPerTask;
  const overSteps = steps === undefined ? undefined : because(AGENT_REASON.stepsP95, `${recorded(model, AGENT_RULE.stepsOverLimit(w))} > ${num(1 - AGENT_STEPS_QUANTILE)}`);
  const capText = `were stopped by the step cap (limit ${num(a.maxStepCapRatio * 100)}%)`;
  const what =
    steps === undefined
      ? capText
      : `{{ if ${reasonIs(AGENT_REASON.stepsP95)} }}took more than ${num(steps)} steps (limit: steps-per-task P95 at most ${num(steps)}){{ else }}${capText}{{ end }}`;
  return signalTicket(model, ctx, {
    name: AGENT_ALERT.loop,
    expr: overSteps ? `${overSteps}\nor\n${cap}` : cap,
    for: TICKET_FOR.agent,
    summary: `${model.name}: agent tasks loop`,
    description:
      `{{ $value | humanizePercentage }} of tasks ${what} over the last ${w}. ` +
      `An agent repeating steps burns tokens and tool calls without finishing: read the traces of the longest tasks for the repeated step.`,
    dashboard: "operational",
    panelKey: AGENT_PANEL.steps,
    cause: SIGNAL_CAUSE.agent,
  });
}

function toolSpendTicket(model: ServiceModel, ctx: RuleContext): AlertRule | undefined {
  const { maxToolCallsPerTask: perTask, toolCallsPerHourBudget: perHour } = model.agent;
  if (perTask === undefined && perHour === undefined) return undefined;
  const w = AGENT_WINDOW;
  const conditions = [
    ...(perTask !== undefined ? [because(AGENT_REASON.perTask, `${recorded(model, AGENT_RULE.toolCallsPerTask(w))} > ${num(perTask)}`)] : []),
    ...(perHour !== undefined ? [because(AGENT_REASON.perHour, `${recorded(model, AGENT_RULE.toolCallsPerHour)} > ${num(perHour)}`)] : []),
  ];
  const perTaskText = `The agent made {{ $value | printf "%.1f" }} tool calls per task over the last ${w} (limit ${num(perTask ?? 0)})`;
  const perHourText = `The agent made {{ $value | printf "%.0f" }} tool calls in the last ${w} (budget ${num(perHour ?? 0)} per hour)`;
  const what =
    perTask === undefined ? perHourText : perHour === undefined ? perTaskText : `{{ if ${reasonIs(AGENT_REASON.perTask)} }}${perTaskText}{{ else }}${perHourText}{{ end }}`;
  return signalTicket(model, ctx, {
    name: AGENT_ALERT.toolSpend,
    expr: conditions.join("\nor\n"),
    for: TICKET_FOR.agent,
    summary: `${model.name}: tool calls are running away`,
    description: `${what}. Tool calls cost money and rate limits: find the tool whose calls grew and the prompt or release that made it.`,
    dashboard: "operational",
    panelKey: AGENT_PANEL.toolCallsPerTask,
    cause: SIGNAL_CAUSE.agent,
  });
}

export function agentTickets(model: ServiceModel, ctx: RuleContext): AlertRule[] {
  if (model.kind !== "agent") return [];
  const a = model.agent;
  const w = AGENT_WINDOW;
  const spend = toolSpendTicket(model, ctx);
  return [
    loopTicket(model, ctx),
    ...(spend ? [spend] : []),
    signalTicket(model, ctx, {
      name: AGENT_ALERT.toolErrors,
      // The hour's tool calls are the ratio's judged events: a quiet hour's one failed call in five is no evidence.
      expr: guardedRatioTicket(model, { ratio: AGENT_RULE.toolErrors, judged: () => AGENT_RULE.toolCallsPerHour, side: "max", limit: a.maxToolErrorRatio }, w),
      for: TICKET_FOR.agent,
      summary: `${model.name}: many tool calls fail`,
      description:
        `{{ $value | humanizePercentage }} of tool calls ended in error over the last ${w} (limit ${num(a.maxToolErrorRatio * 100)}%), more than counting noise on the hour's calls. ` +
        `The agent retries or gives up: find the failing tool on the operational dashboard and check its API, credentials and the arguments the model sends.`,
      dashboard: "operational",
      panelKey: AGENT_PANEL.toolErrors,
      cause: SIGNAL_CAUSE.agent,
    }),
    // No `for`: a rollback is an event that already happened, and the hour's count only falls.
    signalTicket(model, ctx, {
      name: AGENT_ALERT.rollbacks,
      expr: `${recorded(model, AGENT_RULE.rollbacks)} > ${num(a.maxRollbacksPerHour)}`,
      summary: `${model.name}: the agent's side effects were rolled back`,
      description:
        `{{ $value | printf "%.0f" }} side effects of the agent were rolled back in the last ${w} (limit ${num(a.maxRollbacksPerHour)}). ` +
        `A tool acted and had to be undone: check the tasks that did it, whether the rollback completed, and who was affected.`,
      dashboard: "operational",
      panelKey: AGENT_PANEL.rollbacks,
      cause: SIGNAL_CAUSE.agent,
    }),
  ];
}

export function agentGroup(model: ServiceModel, ctx: RuleContext): RuleGroup {
  return { name: `${model.name}-signals-agent`, interval: TICKET_INTERVAL, rules: [...agentRules(model), ...agentTickets(model, ctx)] };
}
