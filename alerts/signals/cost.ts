/**
 * Cost signals: tokens per call and per request, spend from token usage and the declared
 * per-model prices, cache-hit ratio, GPU utilisation and replicas. Spend and GPU waste open
 * tickets: money burns slowly enough for office hours, but nobody notices unless told.
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { COST_RULE, SIGNAL_ALERT, SIGNAL_CAUSE, SIGNAL_LABEL, SIGNAL_PANEL } from "../signalNames";
import { ratioZeroFilled, recorded, serviceLabels, sumBy, type LabelPair } from "./expr";
import { isLlmKind, requestRate } from "./requests";
import { TICKET_FOR, signalTicket } from "./tickets";

/** Mean GPU utilisation under this share, while replicas grew, is capacity paid for and idle. */
export const GPU_WASTE_UTILIZATION = 0.3;
/** Replicas are compared with this long ago: a day covers the daily traffic cycle. */
export const GPU_WASTE_COMPARED_WITH = "1d";

/** Declared models with a price: the ones spend is computed for. */
export function pricedModels(model: ServiceModel): ServiceModel["models"] {
  return isLlmKind(model) ? model.models.filter((x) => x.inputPricePer1kTokens > 0 || x.outputPricePer1kTokens > 0) : [];
}

/** Token, spend and per-request rules of an LLM service. */
export function tokenRules(model: ServiceModel): RecordingRule[] {
  if (!isLlmKind(model)) return [];
  return [...tokenUsageRules(model), ...spendRules(model)];
}

/** Tokens per second, per call and per request, by model and token type. */
function tokenUsageRules(model: ServiceModel): RecordingRule[] {
  const m = model.metrics;
  const L = m.labels;
  const h = m.genAiTokenUsage.name;
  const sel = selector(model);
  const modelAndType: LabelPair[] = [
    [SIGNAL_LABEL.model, L.model],
    [SIGNAL_LABEL.tokenType, L.tokenType],
  ];
  return [
    { record: COST_RULE.tokens, expr: sumBy(modelAndType, `rate(${h}_sum${sel}[5m])`), labels: serviceLabels(model) },
    {
      record: COST_RULE.tokensPerCall,
      expr: `${sumBy(modelAndType, `rate(${h}_sum${sel}[5m])`)}\n/\n(${sumBy(modelAndType, `rate(${h}_count${sel}[5m])`)} > 0)`,
      labels: serviceLabels(model),
    },
    {
      // A RAG request makes several calls (embed, generate), so per request is what a user costs.
      record: COST_RULE.tokensPerRequest,
      expr:
        `${sumBy([[SIGNAL_LABEL.tokenType, L.tokenType]], `rate(${h}_sum${sel}[5m])`)}\n` +
        `/ ignoring (${SIGNAL_LABEL.tokenType}) group_left ()\n(${requestRate(model, "5m")} > 0)`,
      labels: serviceLabels(model),
    },
  ];
}

/**
 * One readable rule per priced model: tokens/s of each type times its price per 1k tokens,
 * times 3600 / 1000 for USD per hour. The `or` keeps a model that has only one token type
 * (embeddings have no output).
 */
function modelSpendRule(model: ServiceModel, x: ServiceModel["models"][number]): RecordingRule {
  const m = model.metrics;
  const L = m.labels;
  const h = m.genAiTokenUsage.name;
  const terms = (
    [
      [m.values.tokenInput, x.inputPricePer1kTokens],
      [m.values.tokenOutput, x.outputPricePer1kTokens],
    ] as const
  )
    .filter(([, price]) => price > 0)
    .map(([type, price]) => `rate(${h}_sum${selector(model, `${L.model}=${quote(x.name)}`, `${L.tokenType}=${quote(type)}`)}[5m]) * ${num(price)}`);
  return {
    record: COST_RULE.modelSpendPerHour,
    expr: `sum(\n    ${terms.join("\n  or\n    ")}\n) * 3600 / 1000`,
    labels: serviceLabels(model, { [SIGNAL_LABEL.model]: x.name }),
  };
}

/** Spend per model, in total, per hour and per 1k requests. Models without a price cost nothing and get no rule. */
function spendRules(model: ServiceModel): RecordingRule[] {
  const priced = pricedModels(model);
  if (priced.length === 0) return [];
  const spend = recorded(model, COST_RULE.spendPerHour);
  return [
    ...priced.map((x) => modelSpendRule(model, x)),
    { record: COST_RULE.spendPerHour, expr: `sum(${recorded(model, COST_RULE.modelSpendPerHour)})`, labels: serviceLabels(model) },
    // Averaging the 5m rate over an hour is the hour's spend rate without a second raw query.
    { record: COST_RULE.spendPerHourAvg1h, expr: `avg_over_time(${spend}[1h])`, labels: serviceLabels(model) },
    // The day's average from the recorded hourly one: 360 samples at the ticket interval.
    { record: COST_RULE.spendPerHourAvg1d, expr: `avg_over_time(${recorded(model, COST_RULE.spendPerHourAvg1h)}[1d])`, labels: serviceLabels(model) },
    {
      record: COST_RULE.spendPer1kRequests,
      expr: `${spend}\n/ on ()\n(${requestRate(model, "5m")} * 3600 > 0)\n* 1000`,
      labels: serviceLabels(model),
    },
  ];
}

/** Cache and replica rules for every kind, GPU utilisation where the service runs on GPUs. */
export function capacityRules(model: ServiceModel): RecordingRule[] {
  const m = model.metrics;
  const c = m.cacheRequests.name;
  return [
    {
      record: COST_RULE.cacheHits,
      expr: ratioZeroFilled(`sum(rate(${c}${selector(model, `${m.labels.cacheResult}=${quote(m.values.cacheHit)}`)}[5m]))`, `sum(rate(${c}${selector(model)}[5m]))`),
      labels: serviceLabels(model),
    },
    // DCGM reports percent; a ratio reads like every other signal (humanizePercentage).
    ...(model.gpu ? [{ record: COST_RULE.gpuUtilization, expr: `avg(avg_over_time(${m.gpuUtilization.name}${selector(model)}[5m])) / 100`, labels: serviceLabels(model) }] : []),
    { record: COST_RULE.replicas, expr: `count(${m.up.name}${selector(model)} == 1)`, labels: serviceLabels(model) },
  ];
}

/** An hour costing this many times the same hour yesterday and last week is a runaway, not growth. */
export const SPEND_JUMP = 1.5;

/** How long a day whose spend averaged over the budget keeps the ticket open: a weekend's lull does not close it. */
export const SPEND_DAY_HELD = "1w";

/**
 * Over budget on average over a day within the last week (traffic that grew: one ticket that stays
 * open while it lasts, not one every afternoon peak or every Monday), or over it within the hour
 * at a jump no daily or weekly cycle makes (a prompt or loop change that multiplies spend:
 * ticketed within the hour). A comparison whose history is missing (a service younger than a day
 * or a week) does not hold the ticket back.
 */
function spendOverBudgetExpr(model: ServiceModel, budget: number): string {
  const hour = recorded(model, COST_RULE.spendPerHourAvg1h);
  const jump = num(SPEND_JUMP);
  return (
    `(\n  ${hour} > ${num(budget)}\n  unless\n  ${hour} <= ${jump} * ${hour} offset 1d\n  unless\n  ${hour} <= ${jump} * ${hour} offset 1w\n)\n` +
    `or\nmax_over_time(${recorded(model, COST_RULE.spendPerHourAvg1d)}[${SPEND_DAY_HELD}]) > ${num(budget)}`
  );
}

export function costTickets(model: ServiceModel, ctx: RuleContext): AlertRule[] {
  const tickets: AlertRule[] = [];
  const budget = model.cost.hourlyBudgetUsd;
  if (budget !== undefined && pricedModels(model).length > 0)
    tickets.push(
      signalTicket(model, ctx, {
        name: SIGNAL_ALERT.spendOverBudget,
        expr: spendOverBudgetExpr(model, budget),
        for: TICKET_FOR.spend,
        summary: `${model.name}: model spend is over the hourly budget`,
        description:
          `Spend on priced models ran at {{ $value | printf "%.2f" }} USD per hour (budget ${num(budget)} USD): on average over a day within the last week, ` +
          `or over the last hour when that hour cost over ${num(SPEND_JUMP)}x the same hour yesterday and last week. ` +
          `Check tokens per request and per model on the quality dashboard: a prompt, retry or agent loop change is the usual cause.`,
        dashboard: "quality",
        panelKey: SIGNAL_PANEL.spend,
        cause: SIGNAL_CAUSE.cost,
      }),
    );
  const replicas = recorded(model, COST_RULE.replicas);
  if (model.gpu)
    tickets.push(
    signalTicket(model, ctx, {
      name: SIGNAL_ALERT.gpuWaste,
      expr:
        `${recorded(model, COST_RULE.gpuUtilization)} < ${num(GPU_WASTE_UTILIZATION)}\n` +
        `and\n${replicas} > ${replicas} offset ${GPU_WASTE_COMPARED_WITH}`,
      for: TICKET_FOR.gpuWaste,
      summary: `${model.name}: GPUs are mostly idle after scaling out`,
      description:
        `Mean GPU utilisation is {{ $value | humanizePercentage }} (under ${num(GPU_WASTE_UTILIZATION * 100)}%) while the service runs more replicas ` +
        `than ${GPU_WASTE_COMPARED_WITH} ago. Lower the autoscaler's minimum or raise its target utilisation.`,
      dashboard: "quality",
      panelKey: SIGNAL_PANEL.gpu,
      cause: SIGNAL_CAUSE.cost,
    }),
  );
  return tickets;
}

export function costGroup(model: ServiceModel, ctx: RuleContext): RuleGroup {
  return { name: `${model.name}-signals-cost`, interval: TICKET_INTERVAL, rules: [...tokenRules(model), ...capacityRules(model), ...costTickets(model, ctx)] };
}
