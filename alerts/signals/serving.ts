/**
 * Serving signals, for services that declare a `serving` section: how long requests wait for a
 * worker, how fast answers stream (time per output token, output tokens per second) and how many
 * requests are cancelled by the client or the server. Tickets open only for the limits the
 * section sets.
 *
 * Limits read from a histogram sit on a bucket boundary (checked by the description), so the
 * share of events over the limit is exact: more than 5% over it is the P95 being over it, with
 * no interpolation inside a bucket.
 */
import { type HistogramMetric } from "../../service/metricContract";
import { leMatcher } from "../../service/leMatcher";
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { SIGNAL_CAUSE } from "../signalNames";
import { SERVING_ALERT, SERVING_PANEL, SERVING_RULE, SERVING_WINDOWS } from "../servingAgentNames";
import { ratioZeroFilled, recorded, serviceLabels } from "./expr";
import { isLlmKind, requestRate } from "./requests";
import { TICKET_FOR, signalTicket } from "./tickets";

const [PANEL_WINDOW, TICKET_WINDOW] = SERVING_WINDOWS;
/** The quantile the limits bound: more than this share of events over a limit opens its ticket. */
export const SERVING_QUANTILE = 0.95;

const p95 = (model: ServiceModel, h: HistogramMetric, w: string) =>
  `histogram_quantile(${SERVING_QUANTILE}, sum by (le) (rate(${h.name}_bucket${selector(model)}[${w}])))`;

/** Share of observations above `limit` (a bucket boundary), nothing while there are none. */
const overLimit = (model: ServiceModel, h: HistogramMetric, limit: number, w: string) =>
  `1 - (\n    sum(rate(${h.name}_bucket${selector(model, leMatcher(limit))}[${w}]))\n  /\n    (sum(rate(${h.name}_count${selector(model)}[${w}])) > 0)\n)`;

export function servingRules(model: ServiceModel): RecordingRule[] {
  const s = model.serving;
  if (!s) return [];
  const m = model.metrics;
  const labels = serviceLabels(model);
  const rules: RecordingRule[] = [{ record: SERVING_RULE.queueTimeP95(PANEL_WINDOW), expr: p95(model, m.queueTime, PANEL_WINDOW), labels }];
  if (s.maxQueueSeconds !== undefined)
    rules.push({ record: SERVING_RULE.queueTimeOverLimit(TICKET_WINDOW), expr: overLimit(model, m.queueTime, s.maxQueueSeconds, TICKET_WINDOW), labels });
  if (isLlmKind(model)) {
    rules.push({ record: SERVING_RULE.interTokenP95(PANEL_WINDOW), expr: p95(model, m.timePerOutputToken, PANEL_WINDOW), labels });
    if (s.maxInterTokenSeconds !== undefined)
      rules.push({
        record: SERVING_RULE.interTokenOverLimit(TICKET_WINDOW),
        expr: overLimit(model, m.timePerOutputToken, s.maxInterTokenSeconds, TICKET_WINDOW),
        labels,
      });
    const output = selector(model, `${m.labels.tokenType}=${quote(m.values.tokenOutput)}`);
    rules.push({ record: SERVING_RULE.outputTokens, expr: `sum(rate(${m.genAiTokenUsage.name}_sum${output}[5m]))`, labels });
  }
  const cancelled = (w: string) => `sum(rate(${m.cancelledRequests.name}${selector(model)}[${w}]))`;
  for (const w of SERVING_WINDOWS) rules.push({ record: SERVING_RULE.cancelled(w), expr: ratioZeroFilled(cancelled(w), requestRate(model, w)), labels });
  return rules;
}

export function servingTickets(model: ServiceModel, ctx: RuleContext): AlertRule[] {
  const s = model.serving;
  if (!s) return [];
  const share = `${num((1 - SERVING_QUANTILE) * 100)}%`;
  const tickets: AlertRule[] = [];
  if (s.maxQueueSeconds !== undefined)
    tickets.push(
      signalTicket(model, ctx, {
        name: SERVING_ALERT.queueTime,
        expr: `${recorded(model, SERVING_RULE.queueTimeOverLimit(TICKET_WINDOW))} > ${num(1 - SERVING_QUANTILE)}`,
        for: TICKET_FOR.serving,
        summary: `${model.name}: requests wait too long for a worker`,
        description:
          `{{ $value | humanizePercentage }} of requests waited more than ${num(s.maxQueueSeconds)} s for a worker over the last ${TICKET_WINDOW} ` +
          `(limit: queue-time P95 at most ${num(s.maxQueueSeconds)} s, so at most ${share} over it). Requests queue before any work starts: add replicas or capacity, or shed load.`,
        dashboard: "operational",
        panelKey: SERVING_PANEL.queueTime,
        cause: SIGNAL_CAUSE.serving,
      }),
    );
  if (s.maxInterTokenSeconds !== undefined && isLlmKind(model))
    tickets.push(
      signalTicket(model, ctx, {
        name: SERVING_ALERT.interToken,
        expr: `${recorded(model, SERVING_RULE.interTokenOverLimit(TICKET_WINDOW))} > ${num(1 - SERVING_QUANTILE)}`,
        for: TICKET_FOR.serving,
        summary: `${model.name}: answers stream slowly`,
        description:
          `{{ $value | humanizePercentage }} of streamed answers took more than ${num(s.maxInterTokenSeconds)} s per output token over the last ${TICKET_WINDOW} ` +
          `(limit: inter-token P95 at most ${num(s.maxInterTokenSeconds)} s). Users watch answers crawl: check batch sizes, GPU saturation and the provider's status.`,
        dashboard: "operational",
        panelKey: SERVING_PANEL.interToken,
        cause: SIGNAL_CAUSE.serving,
      }),
    );
  if (s.maxCancelledRatio !== undefined)
    tickets.push(
      signalTicket(model, ctx, {
        name: SERVING_ALERT.cancellations,
        expr: `${recorded(model, SERVING_RULE.cancelled(TICKET_WINDOW))} > ${num(s.maxCancelledRatio)}`,
        for: TICKET_FOR.serving,
        summary: `${model.name}: many requests are cancelled`,
        description:
          `{{ $value | humanizePercentage }} of requests were cancelled by the client or the server over the last ${TICKET_WINDOW} ` +
          `(limit ${num(s.maxCancelledRatio * 100)}%). Users give up on slow answers and servers shed load or time out: compare with queue time and latency.`,
        dashboard: "operational",
        panelKey: SERVING_PANEL.cancellations,
        cause: SIGNAL_CAUSE.serving,
      }),
    );
  return tickets;
}

export function servingGroup(model: ServiceModel, ctx: RuleContext): RuleGroup {
  return { name: `${model.name}-signals-serving`, interval: TICKET_INTERVAL, rules: [...servingRules(model), ...servingTickets(model, ctx)] };
}
