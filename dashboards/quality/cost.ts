/**
 * Tokens and cost of an LLM service per model and per request, from the cost recording rules,
 * and for every kind the GPU utilisation against replicas (the GPU-waste ticket's panel).
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { COST_RULE, SIGNAL_LABEL, SIGNAL_PANEL } from "../../alerts/signalNames";
import { GPU_WASTE_COMPARED_WITH, GPU_WASTE_UTILIZATION, pricedModels } from "../../alerts/signals/cost";
import { isLlmKind } from "../../alerts/signals/requests";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, rightAxis, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { recorded } from "../promql";
import { modelMatchers } from "../variables";
import { PANEL } from "../../service/links";

const L = SIGNAL_LABEL;
/** Recorded cost series carry the model under SIGNAL_LABEL.model; `$model` filters it. */
const byModel = (model: ServiceModel) => modelMatchers(model, L.model);

function tokens(model: ServiceModel): PanelSpec {
  return {
    key: "quality:tokens",
    width: WIDTH.third,
    panel: timeseries({
      title: "Tokens by model",
      description: "Tokens per second by model and token type (input, output).",
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, COST_RULE.tokens, ...byModel(model)), legend: `{{${L.model}}} {{${L.tokenType}}}` }],
    }),
  };
}

function tokensPerCall(model: ServiceModel): PanelSpec {
  return {
    key: "quality:tokens-per-call",
    width: WIDTH.third,
    panel: timeseries({
      title: "Tokens per model call",
      description: "Mean tokens per GenAI call by model and token type: a longer prompt template or a chattier model shows here first.",
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, COST_RULE.tokensPerCall, ...byModel(model)), legend: `{{${L.model}}} {{${L.tokenType}}}` }],
    }),
  };
}

function tokensPerRequest(model: ServiceModel): PanelSpec {
  return {
    key: PANEL.tokensPerRequest,
    width: WIDTH.third,
    panel: timeseries({
      title: "Tokens per request",
      description: "Tokens per served request, all calls of a request together (a RAG request embeds and generates): what one user question costs in tokens.",
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, COST_RULE.tokensPerRequest), legend: `{{${L.tokenType}}}` }],
    }),
  };
}

/** The declared prices, as a reader checks them against the provider's price list. */
function priceList(model: ServiceModel): string {
  return pricedModels(model)
    .map((m) => `${m.name} from ${m.provider}: ${num(m.inputPricePer1kTokens)} in, ${num(m.outputPricePer1kTokens)} out`)
    .join("; ") + " USD per 1,000 tokens";
}

function spend(model: ServiceModel): PanelSpec {
  const budget = model.cost.hourlyBudgetUsd;
  return {
    key: SIGNAL_PANEL.spend,
    width: WIDTH.half,
    panel: timeseries({
      title: "Spend per hour by model",
      description: `Spend in USD per hour at the current rate, per priced model and in total, from token usage and the declared prices (${priceList(model)}).${budget !== undefined ? ` Dashed: the ${num(budget)} USD budget; a ticket opens when the hourly average stays above it.` : ""}`,
      unit: units.Dollars,
      min: 0,
      thresholds: budget !== undefined ? steps(COLOR.ok, [budget, COLOR.act]) : undefined,
      targets: [
        { expr: recorded(model, COST_RULE.modelSpendPerHour, ...byModel(model)), legend: `{{${L.model}}}` },
        { expr: recorded(model, COST_RULE.spendPerHour), legend: "total" },
      ],
    }),
  };
}

function spendPerRequests(model: ServiceModel): PanelSpec {
  return {
    key: "quality:spend-per-requests",
    width: WIDTH.half,
    panel: timeseries({
      title: "Spend per 1,000 requests",
      description: "USD spent on models per 1,000 served requests: the unit cost, independent of traffic.",
      unit: units.Dollars,
      min: 0,
      targets: [{ expr: recorded(model, COST_RULE.spendPer1kRequests), legend: "per 1,000 requests" }],
    }),
  };
}

function gpu(model: ServiceModel): PanelSpec {
  return {
    key: SIGNAL_PANEL.gpu,
    width: WIDTH.full,
    panel: rightAxis(
      timeseries({
        title: "GPU utilisation and replicas",
        description: `Mean GPU utilisation (left) against replicas up (right). Dashed: ${num(GPU_WASTE_UTILIZATION * 100)}%; a ticket opens when utilisation stays under it while there are more replicas than ${GPU_WASTE_COMPARED_WITH} ago (capacity paid for and idle).`,
        unit: units.PercentUnit,
        min: 0,
        thresholds: steps(COLOR.act, [GPU_WASTE_UTILIZATION, COLOR.ok]),
        targets: [
          { expr: recorded(model, COST_RULE.gpuUtilization), legend: "GPU utilisation" },
          { expr: recorded(model, COST_RULE.replicas), legend: "replicas" },
        ],
      }),
      "^replicas$",
      units.Short,
    ),
  };
}

export function costSection(model: ServiceModel): Section {
  const llm = isLlmKind(model) ? [tokens(model), tokensPerCall(model), tokensPerRequest(model)] : [];
  const priced = pricedModels(model).length > 0 ? [spend(model), spendPerRequests(model)] : [];
  return { key: "quality:cost", title: isLlmKind(model) ? "Tokens and cost" : "Cost", panels: [...llm, ...priced, ...(model.gpu ? [gpu(model)] : [])] };
}
