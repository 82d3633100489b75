/**
 * Answers of an LLM service: hallucination and refusal rates (recorded only when the service
 * declares a score, whose evaluations are their denominator) and user feedback, per model version
 * against the service's limits.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { QUALITY_RULE, SIGNAL_PANEL } from "../../alerts/signalNames";
import { isLlmKind } from "../../alerts/signals/requests";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { raw, recorded, sumRate } from "../promql";
import { TICKET_WINDOW } from "./headline";
import { releaseLegend } from "./release";
import { PANEL } from "../../service/links";
import { hallucinationSlicePanels } from "./slices";

function hallucinations(model: ServiceModel): PanelSpec {
  const max = model.quality.maxHallucinationRatio;
  return {
    key: SIGNAL_PANEL.hallucinations,
    width: WIDTH.third,
    panel: timeseries({
      title: "Hallucinated answers by model version",
      description: `Share of evaluated answers judged hallucinated over ${TICKET_WINDOW}, per model version. Dashed: the ${num(max * 100)}% limit that opens a ticket.`,
      unit: units.PercentUnit,
      min: 0,
      thresholds: steps(COLOR.ok, [max, COLOR.act]),
      targets: [{ expr: recorded(model, QUALITY_RULE.hallucinations(TICKET_WINDOW)), legend: releaseLegend(model) }],
    }),
  };
}

function refusals(model: ServiceModel): PanelSpec {
  return {
    key: PANEL.refusals,
    width: WIDTH.third,
    panel: timeseries({
      title: "Refused answers by model version",
      description: `Share of evaluated answers the model refused to give over ${TICKET_WINDOW}, per model version: a jump after a release is usually a safety setting or prompt change.`,
      unit: units.PercentUnit,
      min: 0,
      targets: [{ expr: recorded(model, QUALITY_RULE.refusals(TICKET_WINDOW)), legend: releaseLegend(model) }],
    }),
  };
}

function negativeFeedback(model: ServiceModel): PanelSpec {
  const max = model.quality.maxNegativeFeedbackRatio;
  return {
    key: SIGNAL_PANEL.feedback,
    width: WIDTH.third,
    panel: timeseries({
      title: "Negative feedback by model version",
      description: `Share of user feedback that was negative over ${TICKET_WINDOW}, per model version. Dashed: the ${num(max * 100)}% limit that opens a ticket.`,
      unit: units.PercentUnit,
      min: 0,
      thresholds: steps(COLOR.ok, [max, COLOR.act]),
      targets: [{ expr: recorded(model, QUALITY_RULE.negativeFeedback(TICKET_WINDOW)), legend: releaseLegend(model) }],
    }),
  };
}

function feedbackEvents(model: ServiceModel): PanelSpec {
  const L = model.metrics.labels;
  return {
    key: PANEL.feedbackEvents,
    width: WIDTH.third,
    panel: timeseries({
      title: "User feedback",
      description: "Feedback events per second by kind: few events make the negative share above noisy.",
      unit: units.EventsPerSecond,
      min: 0,
      targets: [{ expr: sumRate(model.metrics.feedback.name, raw(model), [L.feedback]), legend: `{{${L.feedback}}}` }],
    }),
  };
}

export function answersSection(model: ServiceModel): Section {
  if (!isLlmKind(model)) return { key: "quality:answers", title: "Answers", panels: [] };
  const judged = model.quality.scores.length > 0 ? [hallucinations(model), ...hallucinationSlicePanels(model), refusals(model)] : [];
  return { key: "quality:answers", title: "Answers", panels: [...judged, negativeFeedback(model), feedbackEvents(model)] };
}
