/**
 * Shared by the signal tests (test/signals*.test.ts): the two example services, their signal rule
 * groups, and promtool suites over them with synthetic traffic (test/support/syntheticSeries.ts).
 */
import { join } from "node:path";
import { TILE_INTERVAL } from "../../alerts/cadence";
import { LABEL } from "../../alerts/conventions";
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import { isAlert, type AlertRule, type RecordingRule } from "../../alerts/ruleModel";
import { signalAlertName } from "../../alerts/signalNames";
import { signalRuleGroups } from "../../alerts/signals";
import { loadServicesFile } from "../../service/load";
import type { ServiceModel } from "../../service/model";
import { promtoolMissing, testRules, type PromtoolTestCase } from "./promtool";
import { seriesSelector } from "../../toolkit/exposition";
import { counterValues, type InputSeries } from "./syntheticSeries";

export const rag = loadServicesFile(join(__dirname, "../../examples/rag-assistant.yaml"))[0];
export const fraud = loadServicesFile(join(__dirname, "../../examples/fraud-scoring.yaml"))[0];
export const ctx = { environment: "prod" };
export const groupsOf = (m: ServiceModel) => signalRuleGroups(m, ctx);

export const alertsOf = (m: ServiceModel) => groupsOf(m).flatMap((g) => g.rules.filter(isAlert));
export const recordsOf = (m: ServiceModel) => groupsOf(m).flatMap((g) => g.rules.filter((r): r is RecordingRule => !isAlert(r)));
export const alertRule = (m: ServiceModel, parts: readonly string[]): AlertRule => {
  const name = signalAlertName(m.name, parts);
  const a = alertsOf(m).find((x) => x.alert === name);
  if (!a) throw new Error(`no alert ${name}`);
  return a;
};

const missingPromtool = promtoolMissing();
if (missingPromtool) console.warn(`SKIPPED promtool signal tests (check rules, PSI, tickets): ${missingPromtool}`);
export const withPromtool = missingPromtool ? describe.skip : describe;

// ---- promtool helpers ----
export const MINUTES_PER_DAY = 1440;
export const WEEK = 7 * MINUTES_PER_DAY;
export const at = (minute: number) => `${minute}m`;

/** promql_expr_test: the recorded series `series{labels}` exists and is within `tolerance` of `expected`. */
export const near = (series: string, labels: string, expected: number, evalMinute: number, tolerance = 1e-6) => ({
  expr: `abs(${series}${labels} - ${expected}) < bool ${tolerance}`,
  eval_time: at(evalMinute),
  exp_samples: [{ labels, value: 1 }],
});

/** promql_expr_test: exactly these alerts (name and the given labels) are firing at a time. */
export const firing = (m: ServiceModel, evalMinute: number, alerts: readonly { name: string; labels?: Record<string, string> }[]) => ({
  expr: `ALERTS{alertstate="firing",${LABEL.service}="${m.name}"}`,
  eval_time: at(evalMinute),
  exp_samples: alerts.map((a) => {
    const rule = alertsOf(m).find((r) => r.alert === a.name)!;
    return { labels: seriesSelector("ALERTS", { alertname: a.name, alertstate: "firing", ...rule.labels, ...a.labels }), value: 1 };
  }),
});

/** alert_rule_test with the exact annotations, `description` as given (proves `$value` renders). */
export const ticketWithText = (rule: AlertRule, evalMinute: number, labels: Record<string, string>, description: string) => ({
  eval_time: at(evalMinute),
  alertname: rule.alert,
  exp_alerts: [{ exp_labels: { ...rule.labels, ...labels }, exp_annotations: { ...rule.annotations, description } }],
});

/** The group of a signal family, e.g. "feature-drift" -> `<service>-signals-feature-drift`. */
export type Family = "feature-drift" | "output-drift" | "data-quality" | "quality-hourly" | "quality" | "cost" | "serving" | "agent" | "safety" | "retrieval" | "judge";

/**
 * Runs a promtool suite over some of the service's signal groups. promtool evaluates every group at
 * the suite's evaluation interval, ignoring the group's own, so a suite loads groups of one
 * interval and evaluates at exactly that interval, as Prometheus would. It also keeps week-long
 * suites (the 7d trailing baseline) to seconds instead of minutes. Hourly tile groups run at the
 * suite's interval too: their tiles then overlap, which changes no ratio summed from them on
 * steady traffic.
 */
export const run = (m: ServiceModel, families: readonly Family[], series: InputSeries[], test: Omit<PromtoolTestCase, "interval" | "input_series">) => {
  const groups = groupsOf(m).filter((g) => families.some((f) => g.name === `${m.name}-signals-${f}`));
  const intervals = [...new Set(groups.filter((g) => g.interval !== TILE_INTERVAL).map((g) => g.interval))];
  if (groups.length !== families.length || intervals.length !== 1) throw new Error(`run: families ${families.join(", ")} must name groups of one interval`);
  return testRules(renderRuleFile(groups), [{ interval: "1m", input_series: series, ...test }], intervals[0]);
};

// ---- traffic shapes ----
export const job = (m: ServiceModel) => ({ job: m.name });
export const counter = (name: string, labels: Record<string, string>, phases: { minutes: number; perMinute: number }[], absentMinutes = 0): InputSeries => ({
  series: seriesSelector(name, labels),
  values: counterValues(phases, { absentMinutes }),
});
export const steady = (minutes: number, perMinute: number) => [{ minutes, perMinute }];

// query_length_chars bins: <=16, <=32, <=64, <=128, <=256, <=512, <=1024, +Inf
export const QUERY_LENGTH_BEFORE = [0.05, 0.15, 0.3, 0.25, 0.15, 0.07, 0.03, 0];
export const SCORE = rag.metrics.evaluationScore.buckets;
