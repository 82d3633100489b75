/**
 * A scenario's expectations as promtool `promql_expr_test`s over `ALERTS{alertstate="firing"}`:
 * nothing fires during the lead-in; each required alert (name, severity, labels) is firing by its
 * deadline and not before its earliest time; no other alert fires at any point of the replay.
 * Each test's expression says what it checks, so promtool's report reads as the failed promise.
 */
import { durationSeconds } from "../alerts/promql";
import type { PromqlExprTest } from "./promtoolRun";
import { WARM_UP_MINUTES, totalMinutes, type Scenario } from "./scenario";

const minutes = (m: number) => `${m}m`;
const regexOf = (names: readonly string[]) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");

function matchers(alert: string, severity: string, labels: Readonly<Record<string, string>> = {}): string {
  return [`alertstate="firing"`, `alertname="${alert}"`, `severity="${severity}"`, ...Object.entries(labels).map(([k, v]) => `${k}="${v}"`)].join(",");
}

/** The scenario's assertions; eval times are minutes since the replay started, the warm-up excluded. */
export function scenarioAssertions(s: Scenario): PromqlExprTest[] {
  const tests: PromqlExprTest[] = [];
  const start = s.leadInMinutes;
  const end = totalMinutes(s);
  const step = durationSeconds(s.evaluationInterval) / 60;
  // Alerts are evaluated every `step` minutes: deadlines and windows are rounded to evaluations.
  const at = (m: number) => Math.floor(m / step) * step;
  if (start > WARM_UP_MINUTES)
    tests.push({
      expr: `count by (alertname, severity) (count_over_time(ALERTS{alertstate="firing"}[${minutes(at(start) - WARM_UP_MINUTES)}]))`,
      eval_time: minutes(at(start)),
      exp_samples: [],
    });
  for (const e of s.fires)
    tests.push({
      expr: `count(ALERTS{${matchers(e.alert, e.severity, e.labels)}}) > bool 0`,
      eval_time: minutes(at(start + e.firingBy)),
      exp_samples: [{ labels: "{}", value: 1 }],
    });
  for (const e of [...s.fires, ...s.mayFire])
    if (e.notBefore)
      tests.push({
        expr: `count by (alertname, severity) (count_over_time(ALERTS{${matchers(e.alert, e.severity)}}[${minutes(e.notBefore)}]))`,
        eval_time: minutes(at(start + e.notBefore - 1)),
        exp_samples: [],
      });
  const allowed = [...new Set([...s.fires, ...s.mayFire].map((e) => e.alert))];
  const afterWarmUp = minutes(at(end) - WARM_UP_MINUTES);
  tests.push({
    expr: `count by (alertname, severity) (count_over_time(ALERTS{alertstate="firing"${allowed.length ? `,alertname!~"${regexOf(allowed)}"` : ""}}[${afterWarmUp}]))`,
    eval_time: minutes(at(end)),
    exp_samples: [],
  });
  // A required alert must fire with the severity given, never another one.
  for (const e of s.fires)
    tests.push({
      expr: `count_over_time(ALERTS{alertstate="firing",alertname="${e.alert}",severity!="${e.severity}"}[${afterWarmUp}])`,
      eval_time: minutes(at(end)),
      exp_samples: [],
    });
  return tests;
}
