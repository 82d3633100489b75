/**
 * Distribution shift computed inside Prometheus from a histogram the service already emits:
 * per-bin shares now and in a baseline, then PSI and Jensen–Shannon divergence over the bins.
 * Feature drift and output drift are both lists of `Distribution`s fed through these rules.
 *
 * Shares come from the cumulative `_bucket` series: the increase of each bucket over the drift
 * window, differenced with the bucket below (bin i holds le_{i-1} < x <= le_i) and divided by the
 * `+Inf` bucket. Per distribution and side (now, trailing baseline) one rule reads the raw buckets
 * once and records their increases (`bucketObservations`, one series per `le`); one rule then
 * records the shares of every bin from those, so the drift dashboard plots "now vs baseline" per
 * bin from the same series the PSI uses.
 *
 * Why not one rule per bin: each read three raw buckets over the whole window (its bucket, the one
 * below, `+Inf`), so every bucket was read about three times per side and evaluation, and every
 * rule evaluation has a fixed cost (Prometheus re-parses the expression each time). Reading each
 * raw bucket once and recording all bins in one rule took the drift groups from 2.2% to 1.3% of
 * the evaluation interval on 100 services (docs/signals.md, "Evaluation cost").
 */
import { lePattern } from "../../service/leMatcher";
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { durationSeconds, num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { DISTRIBUTION_RULE, PSI_BANDS, SIGNAL_ALERT, SIGNAL_CAUSE, SIGNAL_LABEL, SIGNAL_PANEL, type DistributionLevel } from "../signalNames";
import { recorded, serviceLabels } from "./expr";
import { TICKET_FOR, signalTicket } from "./tickets";

/**
 * Empty bins are clamped to this share so ln(now / base) stays finite. Small enough that a bin
 * empty on both sides adds exactly 0 and a bin empty on one side adds about share · ln(share / ε),
 * i.e. a bin appearing or vanishing counts as the large shift it is.
 */
export const EMPTY_BIN_SHARE = 1e-6;

/*
 * Shares are recorded only when the window holds at least `model.drift.minObservations`
 * observations (now and trailing baseline alike; default 500). Sampling noise alone gives
 * PSI ≈ (bins − 1) · (1/N + 1/M): with 8 bins and 500 observations on each side that is 0.03, well
 * inside "stable"; with 100 it is 0.14, already "watch". Below the floor nothing is recorded, so no
 * PSI and no ticket.
 */

/** One watched distribution: a histogram (or a labelled slice of one) and its bins. */
export interface Distribution {
  readonly level: DistributionLevel;
  /** Value of the `feature` or `output` label. */
  readonly name: string;
  /** Histogram base name from the contract (without `_bucket`). */
  readonly histogram: string;
  /** Rendered matchers picking this distribution's series, e.g. `feature="amount_usd"`. */
  readonly matchers: readonly string[];
  /** Finite bucket bounds; `+Inf` is the last bin. */
  readonly buckets: readonly number[];
  /** Pinned baseline, one share per bin (buckets + `+Inf`); else the trailing window. */
  readonly baselineFractions?: readonly number[];
  /** Ticketed by its own alert (the retrieved-chunk score), so the level's drift ticket leaves it out. @default false */
  readonly ownTicket?: boolean;
}

const levelLabel = (level: DistributionLevel) => (level === "feature" ? SIGNAL_LABEL.feature : SIGNAL_LABEL.output);

/** The `le` label value recorded for bin i (its upper bound). */
export function binLabel(buckets: readonly number[], i: number): string {
  return i < buckets.length ? String(buckets[i]) : "+Inf";
}

/**
 * A regex matching the `le` of every bound of `buckets` and `+Inf`, as any client writes it
 * (`16` from Go and OTel, `16.0` from Python): the contract's `lePattern` of each bound.
 */
export function leRegex(buckets: readonly number[]): string {
  return [...buckets.map(lePattern), "[+]Inf"].join("|");
}

/** Drops a whole number's `.0` from `le` (`16.0` -> `16`), so recorded bounds read as `binLabel` spells them. */
const plainLe = (expr: string) => `label_replace(\n    ${expr},\n    "le", "$1", "le", "(.+)[.]0"\n  )`;

/** A bound as a regex matching exactly it (`0.64` -> `0[.]64`). */
const exactly = (bound: string) => bound.replace(/[.+]/g, (c) => `[${c}]`);

/** How the rules read back a distribution's recorded bucket observations. */
interface BucketSeries {
  /** Every bound. */
  readonly all: string;
  /** Every finite bound (`le!="+Inf"`). */
  readonly finite: string;
  /** One bound. */
  readonly at: (le: string) => string;
}

/**
 * Shares of every bin from a distribution's recorded bucket observations: the first bin is the
 * first bound's count; bin i is bound i's count minus bound i−1's. The counts of the finite bounds
 * are read once and each relabelled as the bound above it by a chain of `label_replace`s (from
 * the highest bound down, so no series is relabelled twice; a series whose `le` does not match
 * passes through unchanged), then subtracted from the counts of every bound: 4 selectors whatever
 * the number of bins. Divided by the `+Inf` count when it reaches the noise floor, clamped at
 * EMPTY_BIN_SHARE.
 */
function sharesExpr(c: BucketSeries, buckets: readonly number[], minObservations: number): string {
  const bound = (i: number) => binLabel(buckets, i);
  let below = c.finite;
  for (let i = buckets.length - 1; i >= 0; i--) below = `label_replace(\n${below},\n"le", ${quote(bound(i + 1))}, "le", ${quote(exactly(bound(i)))})`;
  const indent = (text: string, by: string) => text.split("\n").join(`\n${by}`);
  const counts =
    buckets.length === 0
      ? c.at(bound(0))
      : `(\n        ${c.all}\n      -\n        ${indent(below, "        ")}\n    )\n    or\n      ${c.at(bound(0))}`;
  return (
    `clamp_min(\n` +
    `  (\n    ${counts}\n  )\n` +
    `  / ignoring (le) group_left ()\n` +
    `  (${c.at("+Inf")} >= ${minObservations}),\n` +
    `  ${num(EMPTY_BIN_SHARE)}\n)`
  );
}

/** Bucket observations, observations, and the shares of every bin now and in the baseline, of one distribution. */
export function distributionRules(model: ServiceModel, d: Distribution): RecordingRule[] {
  const window = model.drift.window;
  const by = levelLabel(d.level);
  const labels = serviceLabels(model, { [by]: d.name });
  const buckets = selector(model, ...d.matchers, `le=~${quote(leRegex(d.buckets))}`);
  const cumulative = (offset: string) => `sum by (le) (\n  ${plainLe(`increase(${d.histogram}_bucket${buckets}[${window}]${offset})`)}\n)`;
  const readBack = (name: string): BucketSeries => {
    const all = recorded(model, name, { [by]: d.name });
    return {
      all,
      finite: `${all.slice(0, -1)},${SIGNAL_LABEL.le}!=${quote("+Inf")}}`,
      at: (le: string) => recorded(model, name, { [by]: d.name, [SIGNAL_LABEL.le]: le }),
    };
  };
  const now = readBack(DISTRIBUTION_RULE.bucketObservations(d.level, window));
  const min = model.drift.minObservations;

  const rules: RecordingRule[] = [
    { record: DISTRIBUTION_RULE.bucketObservations(d.level, window), expr: cumulative(""), labels },
    { record: DISTRIBUTION_RULE.observations(d.level, window), expr: `sum(${now.at("+Inf")})`, labels },
    { record: DISTRIBUTION_RULE.share(d.level, window), expr: sharesExpr(now, d.buckets, min), labels },
  ];
  if (d.baselineFractions) {
    // A pinned share is a constant series per bin, so the PSI below reads both baselines the same way.
    const fractions = d.baselineFractions;
    rules.push({
      record: DISTRIBUTION_RULE.baselineShare(d.level, window),
      expr: fractions
        .map((f, i) => `label_replace(vector(${num(Math.max(f, EMPTY_BIN_SHARE))}), "le", ${quote(binLabel(d.buckets, i))}, "le", ".*")`)
        .join("\nor\n"),
      labels,
    });
  } else {
    const base = readBack(DISTRIBUTION_RULE.baselineBucketObservations(d.level, window));
    rules.push(
      { record: DISTRIBUTION_RULE.baselineBucketObservations(d.level, window), expr: cumulative(` offset ${model.drift.baselineOffset}`), labels },
      { record: DISTRIBUTION_RULE.baselineShare(d.level, window), expr: sharesExpr(base, d.buckets, min), labels },
    );
  }
  return rules;
}

/**
 * PSI and Jensen–Shannon divergence of every distribution of a level, one rule each: both are
 * sums over the bins of the share series, matched on (service, feature|output, le). A
 * distribution whose shares are missing on either side (too few observations) gets no value.
 */
export function divergenceRules(model: ServiceModel, level: DistributionLevel): RecordingRule[] {
  const window = model.drift.window;
  const now = recorded(model, DISTRIBUTION_RULE.share(level, window));
  const base = recorded(model, DISTRIBUTION_RULE.baselineShare(level, window));
  const by = levelLabel(level);
  return [
    {
      record: DISTRIBUTION_RULE.psi(level, window),
      expr: `sum by (${by}) (\n    (${now} - ${base})\n  *\n    ln(${now} / ${base})\n)`,
      labels: serviceLabels(model),
    },
    {
      // JS = ½ Σ p ln(p/m) + ½ Σ q ln(q/m) with m = (p+q)/2: bounded (≤ ln 2) and symmetric, so
      // it reads the same whichever side a bin vanished on. Costs one rule and one series per
      // distribution, from the same share series as the PSI.
      record: DISTRIBUTION_RULE.jsDivergence(level, window),
      expr:
        `sum by (${by}) (\n` +
        `    0.5 * ${now}\n` +
        `    * ln(2 * ${now} / (${now} + ${base}))\n` +
        `  +\n` +
        `    0.5 * ${base}\n` +
        `    * ln(2 * ${base} / (${now} + ${base}))\n)`,
      labels: serviceLabels(model),
    },
  ];
}

/**
 * Evaluation interval of the drift groups. Shares over a 1h window move by at most 5/60 of the
 * window between two 5-minute evaluations, and each evaluation reads the whole window (now and
 * baseline) for every bin, so 5m costs a fifth of 1m and loses nothing a ticket needs. Windows
 * under an hour get 1m so the window still spans several evaluations.
 */
export function driftInterval(model: ServiceModel): string {
  return durationSeconds(model.drift.window) >= 3600 ? "5m" : "1m";
}

/** How the baseline of a set of distributions reads in a sentence. */
export function baselineWords(model: ServiceModel, ds: readonly Distribution[]): string {
  const pinned = ds.filter((d) => d.baselineFractions).length;
  const trailing = `the same ${model.drift.window} ${model.drift.baselineOffset} earlier`;
  if (pinned === 0) return trailing;
  if (pinned === ds.length) return "the pinned baseline shares";
  return `its baseline (pinned shares for ${ds
    .filter((d) => d.baselineFractions)
    .map((d) => d.name)
    .join(", ")}; otherwise ${trailing})`;
}

/** The ticket when a PSI of the level stays above the service's threshold. */
export function driftTicket(model: ServiceModel, ctx: RuleContext, level: DistributionLevel, all: readonly Distribution[]): AlertRule {
  const label = levelLabel(level);
  const t = model.drift.psiThreshold;
  const what = level === "feature" ? "input feature" : "model output";
  const ds = all.filter((d) => !d.ownTicket);
  const psi = recorded(model, DISTRIBUTION_RULE.psi(level, model.drift.window));
  const others = all.filter((d) => d.ownTicket).map((d) => `,${label}!=${quote(d.name)}`);
  return signalTicket(model, ctx, {
    name: level === "feature" ? SIGNAL_ALERT.featureDrift : SIGNAL_ALERT.outputDrift,
    expr: `${others.length > 0 ? `${psi.slice(0, -1)}${others.join("")}}` : psi} > ${num(t)}`,
    for: TICKET_FOR.drift,
    summary: `${model.name}: the distribution of an ${what} has shifted`,
    description:
      `PSI of ${what} {{ $labels.${label} }} over the last ${model.drift.window} is {{ $value | printf "%.3f" }} ` +
      `against ${baselineWords(model, ds)} (stable under ${num(PSI_BANDS.stableBelow)}, act above ${num(t)}). ` +
      `Compare the bins on the drift dashboard; if the shift is real, check upstream data and consider retraining.`,
    dashboard: "drift",
    panelKey: level === "feature" ? SIGNAL_PANEL.featurePsi : SIGNAL_PANEL.outputPsi,
    cause: SIGNAL_CAUSE.drift,
  });
}

/** A drift rule group: distribution rules, then PSI/JS over them, then the ticket. */
export function driftGroup(
  model: ServiceModel,
  ctx: RuleContext,
  level: DistributionLevel,
  ds: readonly Distribution[],
): RuleGroup | undefined {
  if (ds.length === 0) return undefined;
  return {
    name: `${model.name}-signals-${level}-drift`,
    interval: driftInterval(model),
    rules: [...ds.flatMap((d) => distributionRules(model, d)), ...divergenceRules(model, level), driftTicket(model, ctx, level, ds)],
  };
}
