/**
 * Early-warning tickets: a service that degrades gradually (latency creeping up over days, memory
 * leaking, errors or bad answers slowly growing) is ticketed while the SLO still holds, a day or
 * more before users notice, and before any page can fire. Each compares the service with itself
 * (same hour yesterday and last week, the same replica a day earlier, the SLI's own trend), so
 * no absolute threshold has to be tuned per service; each has a guard against what healthy
 * services do (daily and weekly cycles, quiet nights, restarts after deploys).
 *
 * The figures below are held to scenario families in replay/families (docs/detection.md):
 * latency creeps linear, exponential and stepped over 1 to 7 days, leaks from small and large
 * bases with and without restarts, error creeps and quality slides; and 30-day healthy months.
 */
import { CAUSE_PANEL, sloDashboard, sloPanelKey } from "../service/links";
import type { ServiceModel, SloModel } from "../service/model";
import { makeAlert, type RuleContext } from "./alertMeta";
import { TICKET_INTERVAL, TILE_INTERVAL } from "./cadence";
import { LABEL, SLO_RULE } from "./conventions";
import { RATE_WINDOW } from "./burnRateWindows";
import { durationSeconds, formatDuration, num, quote, selector } from "./promql";
import type { AlertRule, RecordingRule, RuleGroup } from "./ruleModel";
import { SIGNAL_LABEL } from "./signalNames";
import { recorded, serviceLabels } from "./signals/expr";

export const EARLY_WARNING = {
  /**
   * Quantile compared (P95: the tail users feel, steadier than P99 over an hour of a small stage).
   * The mean (from `_sum` and `_count`) is compared as well: a quantile interpolated inside a
   * power-of-two bucket moves by less than the latency does (a 1.4x slowdown of a stage whose P95
   * sits mid-bucket reads as 1.1x), the mean moves exactly with it.
   */
  latencyQuantile: 0.95,
  /**
   * The tail compared too: a regression of a few percent of requests (one slow shard, one slow
   * dependency call) moves the P99 while the P95 and the mean barely move. Judged only with
   * `minTailEventsPerWindow` requests in the hour, so its estimate rests on dozens of requests.
   */
  latencyTailQuantile: 0.99,
  /** Fewest requests in the hour for the P99 to be judged (one a second: 36 in its tail over the hour, 18 over the half-hour). */
  minTailEventsPerWindow: 3600,
  /** Window of the quantile. */
  latencyWindow: "1h",
  /**
   * ... confirmed over this shorter window, compared the same way: the hourly quantile stays up for
   * an hour after a short blip leaves it, the half-hour one only for half an hour. So a regression
   * held for an hour (`for`) is one whose slowdown lasted over half an hour, not a 10-minute blip.
   */
  latencyConfirmWindow: "30m",
  /** P95 above this many times the same hour yesterday: a step within a day (a bad deploy, a slow dependency). */
  latencyDayRatio: 1.5,
  /** P95 above this many times the same hour last week: a creep over days, seasonality cancelled. */
  latencyWeekRatio: 1.25,
  /** Fewest requests in the window for a quantile to be judged (one every 10 s): quiet nights are skipped. */
  minEventsPerWindow: 360,
  /** Memory above this many times the same replica's a day earlier (replica up for longer than that). */
  memoryDayRatio: 1.1,
  /** Memory growing at this share of itself per day (over 2 h) on a replica past its warm-up: doubles within a day. */
  memoryFastGrowthPerDay: 1,
  /** Replicas younger than this are skipped by the fast branch: caches and heaps can take hours to warm up. */
  memoryWarmUp: "6h",
  /** With a declared memory limit: the 6 h trend reaches it within this horizon. */
  memoryLimitHorizon: "3d",
  /** Budget forecast: at the burn of the last day (still burning over the last 30 m), what is left of the budget lasts under this many days. */
  forecastDays: 7,
  /**
   * Trend forecast: the SLI's error ratio over the last day, extrapolated by its growth per day
   * (the 6 h median of each 30-minute ratio's change since the same half-hour one day earlier, or
   * two days earlier per day), passes the SLO's allowed ratio within this many days. The level is a
   * whole day and the growth compares the same half-hours, so a daily cycle (slower answers in the
   * afternoon peak) cancels out of both.
   */
  trendHorizonDays: 5,
  /** Spans the growth is measured over: a day sees fast creeps first, two days halve the noise of slow ones. */
  trendSpanDays: [1, 2],
  /** ... while the last 6 h already spend at least this share of the allowed ratio (no extrapolating noise). */
  trendFloor: 0.33,
  /** The SLI's first hour is never compared with: a new series' 30-minute ratio comes from a partial window, and a cold start is no baseline. */
  trendSettleMinutes: 60,
  /** ... and the trend is judged only once 5 of the 6 h of changes exist: a median of a few points is noise. */
  trendFullWindow: "5h",
  /**
   * ... and the change over the span is over this many standard errors of the difference of the
   * two 6 h ratios it compares (`sqrt(p1/n1 + p2/n2)`, p the 6 h median ratio and n the events of
   * each window): about 2.8 standard deviations of a median of twelve half-hours' changes, which
   * wanders about 1.25 times as much as the 6 h ratios' difference. Each window brings its own
   * noise: a creep's earlier window holds fewer bad events than its current one.
   */
  trendSignificance: 3.5,
  /**
   * Day-over-day share: each 5 minutes' bad events are first capped at what the error ratio's
   * 6-hour median makes likely, `n·p + k·sqrt(n·p) + 1` with k this many Poisson deviations, so a blip
   * counts no more than a busy 5 minutes would; a creep's counts, which rise minute by minute, are
   * barely touched.
   */
  blipCapDeviations: 4,
  /**
   * ... and the capped share of the last day is over the same share a day earlier by this many
   * standard errors of their difference (`sqrt(p1/n1 + p0/n0)`, from the days' own events). The
   * whole day's counts give the trend the power its medians lack; on the example services' 14
   * healthy months the statistic peaks at 3.28 where the floor and the growth below hold, and at
   * 5.04 where they do not (docs/benchmark-history.md).
   */
  dayShareSignificance: 5,
  /**
   * ... growing by as many times a day passes the allowed ratio within `trendHorizonDays`
   * (compounded: creeps accelerate, and a day's mean trails them), while the last day already spends
   * this share of the allowed ratio (from a day without errors any growth compounds to infinity).
   */
  dayShareFloor: 0.1,
  for: { latency: "1h", memory: "1h", forecast: "2h" },
} as const;

const E = EARLY_WARNING;

/**
 * Recorded series of the latency regression ticket (`level:metric:operation`): of whole requests, and
 * per stage (`stage` label); each quantile and mean over the hour and over the half-hour that confirms it.
 */
export const LATENCY_RULE = {
  requests: {
    hour: { p95: "service:latency_seconds:p95_1h", p99: "service:latency_seconds:p99_1h", mean: "service:latency_seconds:mean_1h" },
    halfHour: { p95: "service:latency_seconds:p95_30m", p99: "service:latency_seconds:p99_30m", mean: "service:latency_seconds:mean_30m" },
    events: "service:latency_events:increase1h",
  },
  stages: {
    hour: { p95: "service_stage:latency_seconds:p95_1h", p99: "service_stage:latency_seconds:p99_1h", mean: "service_stage:latency_seconds:mean_1h" },
    halfHour: { p95: "service_stage:latency_seconds:p95_30m", p99: "service_stage:latency_seconds:p99_30m", mean: "service_stage:latency_seconds:mean_30m" },
    events: "service_stage:latency_events:increase1h",
  },
} as const;

/** Name parts of the early-warning alerts. */
export const EARLY_WARNING_ALERT = { latencyRegression: "latency-regression", budgetForecast: "error-budget-forecast" } as const;

/** Mean latency over `w`: the histogram's sum over its count (nothing where nothing was observed). */
function meanExpr(histogram: string, sel: string, w: string, by: string): string {
  const sum = by ? `sum by (${by})` : "sum";
  return `${sum} (rate(${histogram}_sum${sel}[${w}]))\n/\n(${sum} (rate(${histogram}_count${sel}[${w}])) > 0)`;
}

function latencyRecordings(model: ServiceModel): RecordingRule[] {
  const m = model.metrics;
  const labels = { [LABEL.service]: model.name };
  const req = m.httpRequestDuration.name;
  const stage = m.stageDuration.name;
  const stageLabel = m.labels.stage;
  const R = LATENCY_RULE;
  const windows = [
    [E.latencyWindow, "hour"],
    [E.latencyConfirmWindow, "halfHour"],
  ] as const;
  const quantiles = (names: LatencyWindowSeries, buckets: string, by: string): RecordingRule[] =>
    ([[names.p95, E.latencyQuantile], [names.p99, E.latencyTailQuantile]] as const).map(([record, q]) => ({
      record,
      expr: `histogram_quantile(${num(q)}, sum by (${by}) (${buckets}))`,
      labels,
    }));
  const rules: RecordingRule[] = [
    ...windows.flatMap(([w, k]) => [
      ...quantiles(R.requests[k], `rate(${req}_bucket${selector(model)}[${w}])`, "le"),
      { record: R.requests[k].mean, expr: meanExpr(req, selector(model), w, ""), labels },
    ]),
    { record: R.requests.events, expr: `sum(increase(${req}_count${selector(model)}[${E.latencyWindow}]))`, labels },
  ];
  if (model.stages.length > 0) {
    // The stage label keeps the contract's name for it.
    const stages = selector(model, `${stageLabel}=~${quote(model.stages.map((s) => s.name).join("|"))}`);
    rules.push(
      ...windows.flatMap(([w, k]) => [
        ...quantiles(R.stages[k], `rate(${stage}_bucket${stages}[${w}])`, `le, ${stageLabel}`),
        { record: R.stages[k].mean, expr: meanExpr(stage, stages, w, stageLabel), labels },
      ]),
      { record: R.stages.events, expr: `sum by (${stageLabel}) (increase(${stage}_count${stages}[${E.latencyWindow}]))`, labels },
    );
  }
  return rules;
}

type LatencySeries = (typeof LATENCY_RULE)[keyof typeof LATENCY_RULE];
type LatencyWindowSeries = LatencySeries["hour" | "halfHour"];

function latencyRegressionAlert(model: ServiceModel, ctx: RuleContext): AlertRule {
  const sel = `{${LABEL.service}=${quote(model.name)}}`;
  const rises = (series: string) => {
    const s = `${series}${sel}`;
    return `      ${s} > ${num(E.latencyDayRatio)} * ${s} offset 1d\n      or\n      ${s} > ${num(E.latencyWeekRatio)} * ${s} offset 1w`;
  };
  const anyRises = (series: readonly string[]) => `    (\n${series.map(rises).join("\n      or\n")}\n    )`;
  // Up over the hour, and still up over the last half-hour: a short blip leaves the half-hour
  // window long before the hour is held. The P95 or the mean; the P99 where the hour holds enough
  // requests for its tail.
  const held = (r: LatencySeries, pick: (w: LatencyWindowSeries) => readonly string[], minEvents: number) =>
    `(\n  (\n${anyRises(pick(r.hour))}\n    and\n${anyRises(pick(r.halfHour))}\n  )\n  and\n  ${r.events}${sel} >= ${minEvents}\n)`;
  const branch = (r: LatencySeries) =>
    `${held(r, (w) => [w.p95, w.mean], E.minEventsPerWindow)}\nor\n${held(r, (w) => [w.p99], E.minTailEventsPerWindow)}`;
  return makeAlert(model, ctx, {
    name: [model.name, EARLY_WARNING_ALERT.latencyRegression],
    expr: [branch(LATENCY_RULE.requests), ...(model.stages.length > 0 ? [branch(LATENCY_RULE.stages)] : [])].join("\nor\n"),
    for: E.for.latency,
    severity: "ticket",
    summary: `${model.name}: latency is creeping up`,
    description:
      `P95, P99 or mean latency{{ with $labels.${model.metrics.labels.stage} }} of the {{ . }} stage{{ end }} is {{ $value | humanizeDuration }}, ` +
      `over ${num(E.latencyDayRatio)}x the same hour yesterday or ${num(E.latencyWeekRatio)}x the same hour last week, and over the last half-hour as well, for an hour. ` +
      `Latency that creeps for days ends in a page: compare releases, dependencies and memory of the slow stage now.`,
    dashboard: "operational",
    panelKey: CAUSE_PANEL.latency,
    labels: { [SIGNAL_LABEL.cause]: "latency" },
  });
}

/** The latency regression ticket and the per-stage quantiles it compares, every 4 minutes. */
export function latencyRegressionGroup(model: ServiceModel, ctx: RuleContext): RuleGroup {
  return { name: `${model.name}-latency-regression`, interval: TICKET_INTERVAL, rules: [...latencyRecordings(model), latencyRegressionAlert(model, ctx)] };
}

/**
 * Replicas whose memory grows in a way no healthy replica's does, restart-aware: a replica up for
 * over a day and its warm-up holding more than 1.1x what it held a day earlier (daily cycles
 * cancel, a replica restarted since is not compared with its former self or its cold start), or
 * one past its warm-up growing by its own size per day; with a declared limit, one whose 6-hour
 * trend reaches the limit within 3 days.
 */
export function memoryTrendExpr(model: ServiceModel): string {
  const m = model.metrics;
  const sel = selector(model);
  const mem = `${m.processMemory.name}${sel}`;
  const uptime = (seconds: number) => `on(instance) (time() - ${m.processStartTime.name}${sel} > ${seconds})`;
  const warmUp = durationSeconds(E.memoryWarmUp);
  // A day ago the replica must already have been past its warm-up, or the day-over-day ratio compares with a cold start.
  const branches = [
    `(\n  ${mem} > ${num(E.memoryDayRatio)} * (${mem} offset 1d)\n  and ${uptime(durationSeconds("1d") + warmUp)}\n)`,
    `(\n  ${mem} and deriv(${mem}[2h]) * 86400 > ${num(E.memoryFastGrowthPerDay)} * ${mem}\n  and ${uptime(warmUp)}\n)`,
  ];
  if (model.memoryLimitMetric)
    branches.push(
      `(\n  ${mem} and predict_linear(${mem}[6h], ${durationSeconds(E.memoryLimitHorizon)}) > on(instance) group_left max by (instance) (${model.memoryLimitMetric}${sel})\n  and ${uptime(warmUp)}\n)`,
    );
  return `max(\n${branches.join("\nor\n")}\n)`;
}

/**
 * The SLI's bad events per second over 5 minutes, capped at what the error ratio's level makes
 * likely: `n·p + k·sqrt(n·p) + 1` events in the 5 minutes (n the events, p the 6-hour median of the
 * 30-minute ratio, which blips move only when they fill half of its half-hours), as a rate. Where
 * the last hours saw no events (no level) nothing is capped. `min(a, cap)` is written
 * `a - clamp_min(a - cap, 0)`, which keeps `a`'s series where the cap has none.
 */
function cappedErrorRateExpr(model: ServiceModel): string {
  const seconds = durationSeconds(RATE_WINDOW);
  const bad = recorded(model, SLO_RULE.errorRate(RATE_WINDOW));
  const total = recorded(model, SLO_RULE.totalRate(RATE_WINDOW));
  // `>= 0` drops a NaN level (hours without events): nothing to cap at.
  const share = `(${recorded(model, SLO_RULE.errorRatioMedian)} >= 0)`;
  const cap = `(\n    ${total} * ${share}\n    +\n    (${num(E.blipCapDeviations)} * sqrt(${total} * ${share} * ${seconds}) + 1) / ${seconds}\n  )`;
  return `${bad}\n-\nclamp_min(\n  ${bad}\n  -\n  ${cap},\n  0\n)\nor\n${bad}`;
}

/**
 * What the budget forecast's trend reads, recorded once per SLO: the 6-hour median of the 30-minute
 * error ratio (the level) and the events over those 6 hours (for the noise), read now and one or two
 * days earlier; and per span, each half-hour's change since the same half-hour one or two days
 * earlier (never against the SLI's first hour) and the median of those changes over 6 hours. For the
 * day-over-day share: the 5-minute bad events with blips cut, their ratio over the last day and the
 * day's events.
 */
export function budgetTrendRecordings(model: ServiceModel): RecordingRule[] {
  const ratio = recorded(model, SLO_RULE.errorRatio("30m"));
  const labels = serviceLabels(model);
  const sixHours = durationSeconds("6h");
  const totalPerDay = `avg_over_time(${recorded(model, SLO_RULE.totalRate(TILE_INTERVAL))}[1d])`;
  return [
    { record: SLO_RULE.errorRatioMedian, expr: `quantile_over_time(0.5, ${ratio}[6h])`, labels },
    { record: SLO_RULE.errorRateCapped, expr: cappedErrorRateExpr(model), labels },
    { record: SLO_RULE.errorRatioCapped1d, expr: `avg_over_time(${recorded(model, SLO_RULE.errorRateCapped)}[1d])\n/\n${totalPerDay}`, labels },
    { record: SLO_RULE.totalEvents1d, expr: `${totalPerDay} * ${durationSeconds("1d")}`, labels },
    { record: SLO_RULE.totalEvents6h, expr: `avg_over_time(${recorded(model, SLO_RULE.totalRate("5m"))}[6h]) * ${sixHours}`, labels },
    ...E.trendSpanDays.flatMap((k) => [
      {
        record: SLO_RULE.errorRatioChange(k),
        expr: `(\n  ${ratio}\n  -\n  ${ratio} offset ${k}d\n)\nand\n${ratio} offset ${formatDuration(durationSeconds(`${k}d`) + E.trendSettleMinutes * 60)}`,
        labels,
      },
      { record: SLO_RULE.errorRatioChangeMedian(k), expr: `quantile_over_time(0.5, ${recorded(model, SLO_RULE.errorRatioChange(k))}[6h])`, labels },
    ]),
  ];
}

/**
 * Per SLO: a ticket when the budget will be gone soon although no page fires yet. Either the last
 * day burns faster than the period refills and, at that pace, what is left of the budget lasts
 * under 7 days (while the last 30 minutes still burn: a burst that has ended does not count); or
 * the SLI's error ratio over the last day, growing as much per day as its 30-minute ratio grew since
 * the same hours yesterday (or, per day, since the same hours two days ago: half the noise for a
 * slow creep), passes the SLO's allowed ratio within 5 days while already spending a third of it:
 * the creep is ticketed while the SLO still holds.
 *
 * Healthy services have daily cycles and counting noise, which a forecast must not extrapolate:
 * the burn and the level are a whole day's, so an afternoon peak that spends more than its share
 * is no trend; the growth is the median, over 6 hours, of each half-hour's change since the same
 * half-hour a day (or two) earlier, so the daily cycle cancels before blips can move it; and the
 * change must exceed what counting alone makes it wander (`trendSignificance` standard errors of
 * the difference of the two 6-hour ratios compared, each from its own window's events), so a
 * service that spends most of its budget every day is not ticketed for noise. A service deployed
 * less than a day ago has nothing to compare with; its first hour is never compared with (partial
 * windows, cold starts), and the trend waits until 5 of its 6 hours of changes exist.
 *
 * Or the last day's error ratio, each 5 minutes' bad events capped so that blips count no more
 * than a busy 5 minutes would, is over the day before's by `dayShareSignificance` standard errors of
 * their difference, spends a tenth of the allowed ratio, and growing by as many times a day passes
 * it within 5 days. The medians above are robust but weak: an exponential creep that a whole day's
 * counts show plainly by its eighteenth hour reached their threshold only six hours later. Whole
 * days cancel the daily cycle.
 *
 * Weekly cycles cancel too: where the SLI has a week of history, the trends and the day-over-day
 * share also need the last day's share that far over the same day a week earlier, so errors that
 * rise every weekend are ticketed (at most) on the first one.
 *
 * Held to error creeps and quality slides of 2 and 5 days (linear and exponential) and to healthy
 * months with blips, quiet nights, weekly cycles and traffic growth (docs/detection.md).
 */
export function budgetForecastAlert(model: ServiceModel, ctx: RuleContext, slo: SloModel): AlertRule {
  const sel = `{${LABEL.service}=${quote(model.name)},${LABEL.slo}=${quote(slo.name)}}`;
  const budget = num(1 - slo.objective);
  const ratio = (w: string) => `${SLO_RULE.errorRatio(w)}${sel}`;
  // Spending faster than the period refills (burn over 1) all day, and at that pace what is left lasts under N days.
  const runsOut =
    `(\n  ${ratio("1d")} > ${budget}\n  and\n  ${SLO_RULE.budgetRemaining}${sel} * ${num(slo.periodDays)} * ${budget} / ${ratio("1d")} < ${E.forecastDays}\n` +
    `  and\n  ${ratio("30m")} > ${budget}\n)`;
  // Medians over 6 hours (recorded in budgetTrendRecordings): blips move them only when they fill
  // half of the window's half-hours. The growth is the median of the day-over-day change of each
  // half-hour, so the daily cycle cancels point by point before the median is taken: a median of
  // the ratio itself, over hours whose ratio climbs or falls with the cycle, jumps whenever blips
  // fill a few of them.
  const level = `${SLO_RULE.errorRatioMedian}${sel}`;
  const events = `${SLO_RULE.totalEvents6h}${sel}`;
  // The last day's share with blips cut, and the day's events (recorded in budgetTrendRecordings).
  const share = `${SLO_RULE.errorRatioCapped1d}${sel}`;
  const dayEvents = `${SLO_RULE.totalEvents1d}${sel}`;
  const over = (offset: string) =>
    `${share} - ${share} offset ${offset} > ${num(E.dayShareSignificance)} * sqrt(clamp_min(${share} / ${dayEvents} + ${share} offset ${offset} / ${dayEvents} offset ${offset}, 0))`;
  // Every day-over-day branch: where the SLI has a week of history, the last day is over the same
  // day a week earlier too. Errors that rise every Saturday rise against Friday, not against last
  // Saturday; a creep rises against both.
  const weekGuard = `  and\n  (\n    ${over("1w")}\n    or\n    ${share} unless ${share} offset 1w\n  )\n`;
  const trend = E.trendSpanDays.map((k) => {
    const change = `${SLO_RULE.errorRatioChangeMedian(k)}${sel}`;
    const then = ` offset ${k}d`;
    // The standard error of the difference of two 6 h ratios, each from its own window's events.
    const noise = `sqrt(${level} / ${events} + ${level}${then} / ${events}${then})`;
    return (
      `(\n  ${ratio("1d")} + ${num(E.trendHorizonDays / k)} * ${change} > ${budget}\n  and\n  ${level} > ${num(E.trendFloor)} * ${budget}\n` +
      `  and\n  ${change} > ${num(E.trendSignificance)} * ${noise}\n${weekGuard}  and\n  ${SLO_RULE.errorRatioChange(k)}${sel} offset ${E.trendFullWindow}\n)`
    );
  });
  // The last day's share against the day before's: the whole days' counts, so the noise is the
  // counting noise of two days, not of 6 h medians. A day's mean trails an exponential creep by
  // half a day, and its linear extrapolation by days: the growth is compounded (x1.4 a day passes a
  // quarter of the allowance within 5 days). Judged once the capped rates reach back over both days.
  const dayShare =
    `(\n  ${over("1d")}\n` +
    `  and\n  ${share} * (${share} / ${share} offset 1d) ^ ${num(E.trendHorizonDays)} > ${budget}\n` +
    `  and\n  ${share} > ${num(E.dayShareFloor)} * ${budget}\n` +
    `${weekGuard}  and\n  ${SLO_RULE.errorRateCapped}${sel} offset 2d\n)`;
  return makeAlert(model, ctx, {
    name: [slo.name, EARLY_WARNING_ALERT.budgetForecast],
    expr: [runsOut, ...trend, dayShare].join("\nor\n"),
    for: E.for.forecast,
    severity: "ticket",
    slo: slo.name,
    summary: `${model.name}: the ${slo.name} error budget will run out`,
    description:
      `At the burn of the last day, or on the SLI's trend over the last one or two days (or its last day against the day before, blips cut), the ${slo.name} SLO's error budget runs out within ${E.forecastDays} days ` +
      `or its error ratio passes the objective within ${E.trendHorizonDays} days, before any page fires (value {{ $value | humanize }}). Find what changed while there is time.`,
    dashboard: sloDashboard(slo),
    panelKey: sloPanelKey(slo),
  });
}
