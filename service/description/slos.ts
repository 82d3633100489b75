/** The `slos` section: its schema, its cross-field checks and its normalized model. */
import { type HistogramMetric, type MetricContract } from "../metricContract";
import { nearestBuckets } from "../leMatcher";
import { dflt, num, obj, req, str, type Loose, type Output, type RefineContext } from "../schemaDsl";
import { metricName, name, ratio, round } from "./common";

/** The lowest objective accepted: below it, half the events could fail and the SLO still be met. */
export const MIN_OBJECTIVE_PERCENT = 50;

export const SLO_SCHEMA = obj(
  "A service level objective.",
  {
    name: req(name("Short name, unique in the service; becomes the `slo` label.")),
    objectivePercent: req(num("Share of good events to reach, percent (e.g. 99.5), at least 50.", { exclusiveMinimum: 0, exclusiveMaximum: 100 })),
    periodDays: dflt(num("Rolling SLO period, days; at least 7, since the slowest burn-rate alert looks back 3 days.", { integer: true, minimum: 7, maximum: 90 }), 30),
    description: str("One sentence for humans, shown in alerts and dashboards (default: derived from the SLI).", { maxLength: 200 }),
    availability: obj("Availability SLI: requests that did not fail.", { stage: name("Pipeline stage to measure (default: the whole service).") }),
    latency: obj("Latency SLI: requests faster than a threshold.", {
      thresholdSeconds: req(num("Threshold in seconds; a bucket boundary of the histogram.", { exclusiveMinimum: 0 })),
      stage: name("Pipeline stage to measure (default: the whole service)."),
    }),
    quality: obj("Quality SLI: evaluated answers scoring above a threshold.", {
      score: req(str("Evaluation name; one of quality.scores.", { minLength: 1 })),
      threshold: req(num("Answers scoring at or below this are bad; a bucket boundary of the score histogram.", { exclusiveMinimum: 0 })),
    }),
    custom: obj("Custom SLI from good and total counters the service emits.", {
      goodMetric: req(metricName("Counter of good events.")),
      totalMetric: req(metricName("Counter of all events.")),
    }),
  },
  {
    oneOf: ["availability", "latency", "quality", "custom"],
    refine(s, ctx) {
      // An objective under half the events is a ratio typed where a percent belongs (0.9995).
      if (s.objectivePercent !== undefined && s.objectivePercent < MIN_OBJECTIVE_PERCENT)
        ctx.issue(
          "objectivePercent",
          `${s.objectivePercent} means ${s.objectivePercent}% of events may be good; objectives are percents of at least ${MIN_OBJECTIVE_PERCENT}` +
            // A ratio (0.995) was typed where a percent belongs; a low percent (30) has no such reading.
            (s.objectivePercent > 0 && s.objectivePercent <= 1 ? `: did you mean ${round(s.objectivePercent * 100)}?` : ", e.g. 99.5"),
        );
      if (s.custom?.goodMetric !== undefined && s.custom.goodMetric === s.custom.totalMetric)
        ctx.issue("custom.goodMetric", "is the same counter as totalMetric; count good events in a counter of their own");
    },
  },
);

type SloOutput = Output<typeof SLO_SCHEMA>;

/** What the SLO checks need to know about the rest of the service. */
export interface SloContext {
  readonly metrics: MetricContract;
  /** Declared stages, or undefined when `stages` is itself malformed (then references cannot be judged). */
  readonly stageNames: ReadonlySet<string> | undefined;
  readonly scoreNames: ReadonlySet<string>;
}

/** Reports `value` when it is not a bucket boundary of `metric` (an SLI threshold must be one). */
export function requireBoundary(ctx: RefineContext, path: string, value: number | undefined, metric: HistogramMetric): void {
  if (value !== undefined && !metric.buckets.includes(value))
    ctx.issue(path, `${value} is not a bucket boundary of ${metric.name}; ${nearestBuckets(value, metric.buckets)}`);
}

function requireStage(ctx: RefineContext, sc: SloContext, path: string, stage: string | undefined): void {
  if (stage === undefined || sc.stageNames === undefined || sc.stageNames.has(stage)) return;
  const declared = sc.stageNames.size ? `declared stages are ${[...sc.stageNames].join(", ")}` : "declare it under stages first";
  ctx.issue(path, `"${stage}" is not a declared stage; ${declared}`);
}

/** Checks of each SLO against the service: stages declared, thresholds on bucket boundaries, scores declared. */
export function checkSlos(slos: Loose<readonly SloOutput[]> | undefined, sc: SloContext, ctx: RefineContext): void {
  (slos ?? []).forEach((s, i) => {
    if (s === undefined) return;
    const p = `slos[${i}]`;
    if (s.availability) requireStage(ctx, sc, `${p}.availability.stage`, s.availability.stage);
    else if (s.latency) {
      requireStage(ctx, sc, `${p}.latency.stage`, s.latency.stage);
      requireBoundary(ctx, `${p}.latency.thresholdSeconds`, s.latency.thresholdSeconds, s.latency.stage ? sc.metrics.stageDuration : sc.metrics.httpRequestDuration);
    } else if (s.quality) {
      const { score, threshold } = s.quality;
      if (score !== undefined && !sc.scoreNames.has(score))
        ctx.issue(`${p}.quality.score`, `"${score}" is not declared; add it under quality.scores` + (sc.scoreNames.size ? ` (declared: ${[...sc.scoreNames].join(", ")})` : ""));
      requireBoundary(ctx, `${p}.quality.threshold`, threshold, sc.metrics.evaluationScore);
    }
  });
}

type Sli =
  | { readonly kind: "availability"; readonly stage?: string }
  | { readonly kind: "latency"; readonly thresholdSeconds: number; readonly stage?: string }
  | { readonly kind: "quality"; readonly score: string; readonly threshold: number }
  | { readonly kind: "custom"; readonly goodMetric: string; readonly totalMetric: string };

/** The SLI as a tagged union, and the sentence that describes it when the user wrote none. */
function sliOf(s: SloOutput): { sli: Sli; says: string } {
  const pct = s.objectivePercent;
  if (s.availability) return { sli: { kind: "availability", ...s.availability }, says: `${pct}% of ${s.availability.stage ? `${s.availability.stage} calls` : "requests"} succeed` };
  if (s.latency) {
    const where = s.latency.stage ? `${s.latency.stage} calls` : "requests";
    return { sli: { kind: "latency", ...s.latency }, says: `${pct}% of ${where} faster than ${s.latency.thresholdSeconds} s` };
  }
  if (s.quality) return { sli: { kind: "quality", ...s.quality }, says: `${pct}% of answers score ${s.quality.threshold} or more on ${s.quality.score}` };
  if (s.custom) return { sli: { kind: "custom", ...s.custom }, says: `${pct}% of events are good` };
  throw new Error(`SLO "${s.name}" has no SLI although the schema requires exactly one`);
}

/** An SLO as generators read it: the objective as a ratio and the SLI as a tagged union. */
export function buildSlo(s: SloOutput) {
  const { objectivePercent, availability: _a, latency: _l, quality: _q, custom: _c, description, ...rest } = s;
  const { sli, says } = sliOf(s);
  return {
    ...rest,
    description: description ?? says,
    /** Objective as a ratio, e.g. 0.995. */
    objective: ratio(objectivePercent),
    sli,
  };
}
