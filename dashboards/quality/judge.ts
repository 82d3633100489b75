/**
 * Judge calibration (scores declaring `judge`): per judged score, the share of human-labelled
 * samples on which the LLM judge agreed over JUDGE_WINDOW against the declared minimum, and the
 * labelled samples the window holds (no ticket opens under the declared minimum count).
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { SIGNAL_LABEL } from "../../alerts/signalNames";
import { GENAI_SIGNAL_PANEL, JUDGE_RULE, JUDGE_WINDOW } from "../../alerts/genAiSignalNames";
import { judgedScores } from "../../alerts/signals/judge";
import { GENAI_PANEL } from "../../service/links";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { eq, recorded } from "../promql";

type JudgedScore = ReturnType<typeof judgedScores>[number];

function agreement(model: ServiceModel, s: JudgedScore): PanelSpec {
  const min = s.judge.minAgreementRatio;
  return {
    key: GENAI_SIGNAL_PANEL.judgeAgreement(s.name),
    width: WIDTH.half,
    panel: timeseries({
      title: `${s.name} judge agreement with human labels (${JUDGE_WINDOW})`,
      description: `Share of samples both the ${s.name} judge scored and a person labelled on which they agreed, over ${JUDGE_WINDOW}. Dashed red: the ${num(min * 100)}% minimum; a ticket opens under it once ${num(s.judge.minLabelledSamples)} samples are labelled.`,
      unit: units.PercentUnit,
      max: 1,
      thresholds: steps(COLOR.act, [min, COLOR.ok]),
      targets: [{ expr: recorded(model, JUDGE_RULE.agreement(JUDGE_WINDOW), eq(SIGNAL_LABEL.evaluation, s.name)), legend: s.name }],
    }),
  };
}

function labelled(model: ServiceModel): PanelSpec {
  return {
    key: GENAI_PANEL.judgeLabels,
    width: WIDTH.half,
    panel: timeseries({
      title: `Human-labelled samples (${JUDGE_WINDOW})`,
      description: `Samples a person labelled over ${JUDGE_WINDOW}, per judged score: agreement on fewer than the declared minimum opens no ticket.`,
      unit: units.Short,
      min: 0,
      targets: [{ expr: recorded(model, JUDGE_RULE.labelled(JUDGE_WINDOW)), legend: `{{${SIGNAL_LABEL.evaluation}}}` }],
    }),
  };
}

export function judgeSection(model: ServiceModel): Section {
  const scores = judgedScores(model);
  return {
    key: "quality:judge",
    title: "Judge calibration",
    panels: scores.length === 0 ? [] : [...scores.map((s) => agreement(model, s)), labelled(model)],
  };
}
