/**
 * Retrieval signals of a rag-pipeline declaring `quality.retrieval`, per release (model version
 * and index version): the share of evaluated retrievals that held no relevant source (a miss),
 * the share of citations their passage supports, and the drift of the retrieved chunks' relevance
 * scores against the trailing baseline.
 *
 * Miss and citation ratios follow quality.ts: 1h from the raw counters, 1d summed from hourly
 * tiles to compare releases, and both windows' judged events as counts for the tickets'
 * counting-noise guard. The chunk-score distribution is one more model
 * output of the output-drift group (distributionShift.ts computes its shares and PSI like every
 * other output's), with a ticket of its own: a re-index or a new embedding model shifts it, and
 * the retrieval runbook, not the generic output-drift one, says what to do then.
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL, TILE_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { DISTRIBUTION_RULE, OUTPUT_SIGNAL, PSI_BANDS, QUALITY_WINDOWS, SIGNAL_CAUSE, SIGNAL_LABEL } from "../signalNames";
import { GENAI_SIGNAL_ALERT, GENAI_SIGNAL_PANEL, RETRIEVAL_RULE, RETRIEVAL_TILE } from "../genAiSignalNames";
import type { Distribution } from "./distributionShift";
import { guardedRatioTicket, judgedCountRules, ratioZeroFilled, recorded, serviceLabels, sumBy } from "./expr";
import { releaseLabels, tileSum } from "./release";
import { TICKET_FOR, signalTicket } from "./tickets";

const [TICKET_WINDOW, DAY_WINDOW] = QUALITY_WINDOWS;

type Retrieval = NonNullable<ServiceModel["quality"]["retrieval"]>;

/** The service's retrieval section, when it declares one and retrieves (validation refuses other kinds). */
export function retrievalOf(model: ServiceModel): Retrieval | undefined {
  return model.kind === "rag-pipeline" ? model.quality.retrieval : undefined;
}

/** The retrieved-chunk score as a watched output, summed over index versions: a re-index is the shift to see. */
export function retrievalScoreDistributions(model: ServiceModel): Distribution[] {
  if (!retrievalOf(model)) return [];
  const h = model.metrics.retrievalChunkScore;
  return [{ level: "output", name: OUTPUT_SIGNAL.retrievalScore, histogram: h.name, matchers: [], buckets: h.buckets, ownTicket: true }];
}

function counts(model: ServiceModel) {
  const m = model.metrics;
  const rate = (counter: string, w: string, ...matchers: string[]) => sumBy(releaseLabels(model), `rate(${counter}${selector(model, ...matchers)}[${w}])`);
  return {
    evaluated: (w: string) => rate(m.retrievalEvaluations.name, w),
    misses: (w: string) => rate(m.retrievalEvaluations.name, w, `${m.labels.retrievalOutcome}=${quote(m.values.retrievalMiss)}`),
    citations: (w: string) => rate(m.citations.name, w),
    supported: (w: string) => rate(m.citations.name, w, `${m.labels.citationVerdict}=${quote(m.values.citationSupported)}`),
  };
}

/** Hourly tiles of the retrieval events (in the quality tile group). */
export function retrievalTileRules(model: ServiceModel): RecordingRule[] {
  if (!retrievalOf(model)) return [];
  const c = counts(model);
  const w = TILE_INTERVAL;
  const labels = serviceLabels(model);
  return [
    { record: RETRIEVAL_TILE.evaluated(w), expr: c.evaluated(w), labels },
    { record: RETRIEVAL_TILE.misses(w), expr: c.misses(w), labels },
    { record: RETRIEVAL_TILE.citations(w), expr: c.citations(w), labels },
    { record: RETRIEVAL_TILE.citationsSupported(w), expr: c.supported(w), labels },
  ];
}

function retrievalRatioRules(model: ServiceModel): RecordingRule[] {
  const c = counts(model);
  const labels = serviceLabels(model);
  const day = (tile: (w: string) => string) => tileSum(model, tile(TILE_INTERVAL), releaseLabels(model), DAY_WINDOW);
  return [
    { record: RETRIEVAL_RULE.misses(TICKET_WINDOW), expr: ratioZeroFilled(c.misses(TICKET_WINDOW), c.evaluated(TICKET_WINDOW)), labels },
    { record: RETRIEVAL_RULE.misses(DAY_WINDOW), expr: ratioZeroFilled(day(RETRIEVAL_TILE.misses), day(RETRIEVAL_TILE.evaluated)), labels },
    ...judgedCountRules(RETRIEVAL_RULE.evaluated, c.evaluated(TICKET_WINDOW), day(RETRIEVAL_TILE.evaluated), labels, QUALITY_WINDOWS),
    {
      record: RETRIEVAL_RULE.citationsSupported(TICKET_WINDOW),
      expr: ratioZeroFilled(c.supported(TICKET_WINDOW), c.citations(TICKET_WINDOW)),
      labels,
    },
    {
      record: RETRIEVAL_RULE.citationsSupported(DAY_WINDOW),
      expr: ratioZeroFilled(day(RETRIEVAL_TILE.citationsSupported), day(RETRIEVAL_TILE.citations)),
      labels,
    },
    ...judgedCountRules(RETRIEVAL_RULE.citations, c.citations(TICKET_WINDOW), day(RETRIEVAL_TILE.citations), labels, QUALITY_WINDOWS),
  ];
}

const RELEASE = `model version {{ $labels.${SIGNAL_LABEL.modelVersion} }} on index version {{ $labels.${SIGNAL_LABEL.indexVersion} }}`;
const pct = (ratio: number) => `${num(ratio * 100)}%`;

function retrievalTickets(model: ServiceModel, ctx: RuleContext, r: Retrieval): AlertRule[] {
  return [
    signalTicket(model, ctx, {
      name: GENAI_SIGNAL_ALERT.retrievalMisses,
      expr: guardedRatioTicket(model, { ratio: RETRIEVAL_RULE.misses, judged: RETRIEVAL_RULE.evaluated, side: "max", limit: r.maxMissRatio }, TICKET_WINDOW, DAY_WINDOW),
      for: TICKET_FOR.retrieval,
      summary: `${model.name}: retrieval often finds no relevant source`,
      description:
        `{{ $value | humanizePercentage }} of evaluated retrievals of ${RELEASE} held no relevant source over the last ${TICKET_WINDOW} ` +
        `(limit ${pct(r.maxMissRatio)}), more than counting noise on the hour's or the day's evaluated retrievals. Compare index versions on the quality dashboard and check the latest re-index or embedding change.`,
      dashboard: "quality",
      panelKey: GENAI_SIGNAL_PANEL.retrievalMisses,
      cause: SIGNAL_CAUSE.retrieval,
    }),
    signalTicket(model, ctx, {
      name: GENAI_SIGNAL_ALERT.citationSupport,
      expr: guardedRatioTicket(
        model,
        { ratio: RETRIEVAL_RULE.citationsSupported, judged: RETRIEVAL_RULE.citations, side: "min", limit: r.minCitationSupportRatio },
        TICKET_WINDOW,
        DAY_WINDOW,
      ),
      for: TICKET_FOR.retrieval,
      summary: `${model.name}: answers cite passages that do not support them`,
      description:
        `Only {{ $value | humanizePercentage }} of citations in answers of ${RELEASE} were supported by their passage over the last ${TICKET_WINDOW} ` +
        `(target ${pct(r.minCitationSupportRatio)}), more than counting noise on the hour's or the day's checked citations. Check retrieval misses and the latest prompt or model change.`,
      dashboard: "quality",
      panelKey: GENAI_SIGNAL_PANEL.citationSupport,
      cause: SIGNAL_CAUSE.retrieval,
    }),
  ];
}

/**
 * The chunk-score drift ticket, in the output-drift group next to the PSI it reads (a group of
 * another interval could miss a sample recorded every 5 minutes).
 */
export function retrievalScoreDriftTicket(model: ServiceModel, ctx: RuleContext): AlertRule | undefined {
  const r = retrievalOf(model);
  if (!r) return undefined;
  const d = model.drift;
  return signalTicket(model, ctx, {
    name: GENAI_SIGNAL_ALERT.retrievalScoreDrift,
    expr: `${recorded(model, DISTRIBUTION_RULE.psi("output", d.window), { [SIGNAL_LABEL.output]: OUTPUT_SIGNAL.retrievalScore })} > ${num(r.maxChunkScorePsi)}`,
    for: TICKET_FOR.drift,
    summary: `${model.name}: the relevance scores of retrieved chunks have shifted`,
    description:
      `PSI of the retrieved-chunk scores over the last ${d.window} is {{ $value | printf "%.3f" }} against the same ${d.window} ${d.baselineOffset} earlier ` +
      `(stable under ${num(PSI_BANDS.stableBelow)}, act above ${num(r.maxChunkScorePsi)}). Check whether the index, the embedding model or the chunking changed, and compare retrieval misses by index version.`,
    dashboard: "quality",
    panelKey: GENAI_SIGNAL_PANEL.retrievalScoreDrift,
    cause: SIGNAL_CAUSE.retrieval,
  });
}

/** Retrieval ratios and tickets (none unless a rag-pipeline declares `quality.retrieval`). */
export function retrievalGroup(model: ServiceModel, ctx: RuleContext): RuleGroup | undefined {
  const r = retrievalOf(model);
  if (!r) return undefined;
  return { name: `${model.name}-signals-retrieval`, interval: TICKET_INTERVAL, rules: [...retrievalRatioRules(model), ...retrievalTickets(model, ctx, r)] };
}
