/**
 * Retrieval (rag-pipelines declaring `quality.retrieval`): retrieval misses and citation support
 * per model and index version over 1h and 1d (dashed) against the declared limits, the drift of
 * the retrieved-chunk scores, and their distribution per index version.
 */
import * as units from "@grafana/grafana-foundation-sdk/units";
import { num } from "../../alerts/promql";
import { DISTRIBUTION_RULE, OUTPUT_SIGNAL, PSI_BANDS, QUALITY_WINDOWS, SIGNAL_LABEL } from "../../alerts/signalNames";
import { GENAI_SIGNAL_PANEL, RETRIEVAL_RULE } from "../../alerts/genAiSignalNames";
import { retrievalOf } from "../../alerts/signals/retrieval";
import { TICKET_FOR } from "../../alerts/signals/tickets";
import { GENAI_PANEL } from "../../service/links";
import type { ServiceModel } from "../../service/model";
import { COLOR, WIDTH, dashed, steps, timeseries, type PanelSpec, type Section } from "../presets";
import { eq, quantile, raw, recorded } from "../promql";
import { releaseLegend } from "./release";

const [short, long] = QUALITY_WINDOWS;

function byRelease(model: ServiceModel, key: string, title: string, rule: (w: string) => string, thresholds: ReturnType<typeof steps>, description: string): PanelSpec {
  return {
    key,
    width: WIDTH.half,
    panel: dashed(
      timeseries({
        title,
        description,
        unit: units.PercentUnit,
        min: 0,
        max: 1,
        thresholds,
        targets: QUALITY_WINDOWS.map((w) => ({ expr: recorded(model, rule(w)), legend: `${releaseLegend(model)} (${w})` })),
      }),
      ` \\(${long}\\)$`,
    ),
  };
}

function scoreDrift(model: ServiceModel, maxPsi: number): PanelSpec {
  const d = model.drift;
  return {
    key: GENAI_SIGNAL_PANEL.retrievalScoreDrift,
    width: WIDTH.half,
    panel: timeseries({
      title: "Retrieved-chunk score drift (PSI)",
      description: `Population stability index of the retrieved chunks' relevance scores over ${d.window} against the same ${d.window} ${d.baselineOffset} earlier. Bands: stable under ${num(PSI_BANDS.stableBelow)}, watch up to ${num(maxPsi)}, act above (a ticket opens when it stays there for ${TICKET_FOR.drift}). A re-index, a new embedding model or new chunking moves it.`,
      unit: units.Short,
      min: 0,
      thresholds: steps(COLOR.ok, [PSI_BANDS.stableBelow, COLOR.watch], [maxPsi, COLOR.act]),
      bands: true,
      targets: [{ expr: recorded(model, DISTRIBUTION_RULE.psi("output", d.window), eq(SIGNAL_LABEL.output, OUTPUT_SIGNAL.retrievalScore)), legend: "PSI" }],
    }),
  };
}

function chunkScores(model: ServiceModel): PanelSpec {
  const m = model.metrics;
  const index = m.labels.indexVersion;
  return {
    key: GENAI_PANEL.retrievalScores,
    width: WIDTH.half,
    panel: timeseries({
      title: "Retrieved-chunk scores by index version",
      description: "Relevance score of the retrieved chunks at P10 and P50, per index version: a new index whose low tail drops retrieves weaker passages.",
      unit: units.Short,
      min: 0,
      targets: [0.1, 0.5].map((q) => ({
        expr: quantile(q, m.retrievalChunkScore.name, raw(model), [index]),
        legend: `P${num(q * 100)} {{${index}}}`,
      })),
    }),
  };
}

export function retrievalSection(model: ServiceModel): Section {
  const r = retrievalOf(model);
  if (!r) return { key: "quality:retrieval", title: "Retrieval", panels: [] };
  return {
    key: "quality:retrieval",
    title: "Retrieval",
    panels: [
      byRelease(
        model,
        GENAI_SIGNAL_PANEL.retrievalMisses,
        "Retrievals without a relevant source",
        RETRIEVAL_RULE.misses,
        steps(COLOR.ok, [r.maxMissRatio, COLOR.act]),
        `Share of evaluated retrievals whose passages held no relevant source, per model and index version, over ${short} and ${long} (dashed). Dashed red: the ${num(r.maxMissRatio * 100)}% limit; a ticket opens when the ${short} share stays above it.`,
      ),
      byRelease(
        model,
        GENAI_SIGNAL_PANEL.citationSupport,
        "Citations supported by their passage",
        RETRIEVAL_RULE.citationsSupported,
        steps(COLOR.act, [r.minCitationSupportRatio, COLOR.ok]),
        `Share of citations in answers that their passage supports, per model and index version, over ${short} and ${long} (dashed). Dashed red: the ${num(r.minCitationSupportRatio * 100)}% target; a ticket opens when the ${short} share stays under it.`,
      ),
      scoreDrift(model, r.maxChunkScorePsi),
      chunkScores(model),
    ],
  };
}
