/**
 * Safety (LLM services declaring `quality.safety`): per model and prompt version, the share of
 * detected prompt injections let through, of completions flagged unsafe and of refusals judged
 * unwarranted, over 1h (what the tickets read) and 1d (dashed, to compare prompt releases on a
 * full day), against the declared limits; and the judged events behind the ratios.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { QUALITY_WINDOWS, SIGNAL_LABEL } from "../../alerts/signalNames";
import { GENAI_SIGNAL_PANEL, SAFETY_RULE } from "../../alerts/genAiSignalNames";
import { safetyOf } from "../../alerts/signals/safety";
import { GENAI_PANEL } from "../../service/links";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, dashed, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { raw, recorded, sumRate } from "../promql";

const [short, long] = QUALITY_WINDOWS;
const byRelease = `{{${SIGNAL_LABEL.model}}} / {{${SIGNAL_LABEL.promptVersion}}}`;

function ratioPanel(model: ServiceModel, key: string, title: string, rule: (w: string) => string, limit: number, what: string): PanelSpec {
  return {
    key,
    width: WIDTH.third,
    panel: dashed(
      timeseries({
        title,
        description: `${what}, per model and prompt version, over ${short} and over ${long} (dashed). Dashed red: the ${num(limit * 100)}% limit; a ticket opens when the ${short} share stays above it.`,
        unit: units.PercentUnit,
        min: 0,
        thresholds: steps(COLOR.ok, [limit, COLOR.act]),
        targets: QUALITY_WINDOWS.map((w) => ({ expr: recorded(model, rule(w)), legend: `${byRelease} (${w})` })),
      }),
      ` \\(${long}\\)$`,
    ),
  };
}

function judgedEvents(model: ServiceModel): PanelSpec {
  const m = model.metrics;
  const L = m.labels;
  const sel = raw(model);
  return {
    key: GENAI_PANEL.safetyEvents,
    width: WIDTH.full,
    panel: timeseries({
      title: "Guardrail and safety events",
      description: "Events per second behind the safety ratios: prompt injections the guardrail detected by what it did, completions the safety classifier evaluated by verdict, refusals reviewed by verdict. Few events make the ratios above noisy.",
      unit: units.EventsPerSecond,
      min: 0,
      targets: [
        { expr: sumRate(m.promptInjections.name, sel, [L.guardrailAction]), legend: `injections {{${L.guardrailAction}}}` },
        { expr: sumRate(m.safetyEvaluations.name, sel, [L.safetyVerdict]), legend: `completions {{${L.safetyVerdict}}}` },
        { expr: sumRate(m.refusalEvaluations.name, sel, [L.refusalVerdict]), legend: `refusals {{${L.refusalVerdict}}}` },
      ],
    }),
  };
}

export function safetySection(model: ServiceModel): Section {
  const s = safetyOf(model);
  if (!s) return { key: "quality:safety", title: "Safety", panels: [] };
  return {
    key: "quality:safety",
    title: "Safety",
    panels: [
      ratioPanel(
        model,
        GENAI_SIGNAL_PANEL.injectionsAccepted,
        "Prompt injections not blocked",
        SAFETY_RULE.injectionsAccepted,
        s.maxInjectionAcceptedRatio,
        "Share of prompt-injection attempts the guardrail detected but did not block",
      ),
      ratioPanel(model, GENAI_SIGNAL_PANEL.unsafeCompletions, "Unsafe completions", SAFETY_RULE.unsafeCompletions, s.maxUnsafeRatio, "Share of safety-evaluated completions flagged unsafe"),
      ratioPanel(
        model,
        GENAI_SIGNAL_PANEL.unwarrantedRefusals,
        "Unwarranted refusals",
        SAFETY_RULE.unwarrantedRefusals,
        s.maxBadRefusalRatio,
        "Share of reviewed refusals judged unwarranted (the model refused a request it should have answered)",
      ),
      judgedEvents(model),
    ],
  };
}
