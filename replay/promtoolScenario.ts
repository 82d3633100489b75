/**
 * A scenario as one promtool run: the service's generated rule file (every recording rule and
 * alert of `serviceRuleGroups`), the series those rules read, the scenario's assertions, and any
 * probes the caller adds (the benchmark's first-firing times).
 */
import { serviceRuleGroups } from "../alerts";
import { durationSeconds } from "../alerts/promql";
import { renderRuleFile } from "../alerts/render/prometheusRules";
import type { RuleGroup } from "../alerts/ruleModel";
import { scenarioAssertions } from "./assertions";
import { readByRules, toInputSeries } from "./promtoolInput";
import { probe, probeResults, runPromtool, type PromqlExprTest, type PromtoolResult, type PromtoolSuite } from "./promtoolRun";
import { WARM_UP_MINUTES, scenarioSeries, totalMinutes, type Scenario } from "./scenario";

/** Environment the replayed rules are generated for (dashboard links only). */
export const REPLAY_ENVIRONMENT = "prod";

export interface ScenarioRunOptions {
  readonly seed: number;
  /** Rule groups to load. @default - every group of the service */
  readonly groups?: readonly RuleGroup[];
  /** Assert the scenario's expectations. @default true */
  readonly assert?: boolean;
  readonly probes?: readonly PromqlExprTest[];
}

export interface ScenarioRun {
  readonly ruleText: string;
  readonly suite: PromtoolSuite;
}

export function scenarioRun(s: Scenario, options: ScenarioRunOptions): ScenarioRun {
  const groups = options.groups ?? serviceRuleGroups(s.service, { environment: REPLAY_ENVIRONMENT });
  const ruleText = renderRuleFile(groups);
  const read = readByRules(ruleText);
  const series = scenarioSeries(s, options.seed, read.name).filter(read.series);
  return {
    ruleText,
    suite: {
      // Recording groups come before the alert groups that read them in the rule file: evaluate
      // them in that order, so an alert sees the same step's recordings (in Prometheus, groups run
      // on their own timers and an alert may see recordings up to one interval old).
      groupEvalOrder: groups.map((g) => g.name),
      evaluationInterval: s.evaluationInterval,
      interval: "1m",
      inputSeries: toInputSeries(series),
      tests: [...(options.assert === false ? [] : scenarioAssertions(s)), ...(options.probes ?? [])],
    },
  };
}

const lastEvaluation = (s: Scenario) => {
  const step = durationSeconds(s.evaluationInterval) / 60;
  return { step, at: Math.floor(totalMinutes(s) / step) * step };
};

/** First firing time of every alert after the warm-up, minutes since the replay started, by alert name and severity. */
export function firstFiringProbe(s: Scenario): PromqlExprTest {
  const { step, at } = lastEvaluation(s);
  return probe(`min by (alertname, severity) (min_over_time(timestamp(ALERTS{alertstate="firing"})[${at - WARM_UP_MINUTES}m:${step}m])) / 60`, `${at}m`);
}

/** Paging episodes after the warm-up (an alert going from not firing to firing), by alert. */
export function pageEpisodesProbe(s: Scenario): PromqlExprTest {
  const { step, at } = lastEvaluation(s);
  const firing = `ALERTS{alertstate="firing",severity="page"}`;
  return probe(`sum by (alertname) (count_over_time((${firing} unless ${firing} offset ${step}m)[${at - WARM_UP_MINUTES}m:${step}m]))`, `${at}m`);
}

export interface FiringTime {
  readonly alert: string;
  readonly severity: string;
  /** Minutes since the replay started. */
  readonly minute: number;
}

/** Runs a scenario with the first-firing probe; returns promtool's result and the firing times. */
export async function measureScenario(s: Scenario, options: ScenarioRunOptions): Promise<{ result: PromtoolResult; firing: FiringTime[] }> {
  const first = firstFiringProbe(s);
  const run = scenarioRun(s, { ...options, assert: false, probes: [first, ...(options.probes ?? [])] });
  const result = await runPromtool(run.ruleText, run.suite);
  const got = probeResults(result.output).get(first.expr);
  if (!got) throw new Error(`promtool reported nothing for the first-firing probe of ${s.id}:\n${result.output.slice(0, 2000)}`);
  const firing = got
    .map((g) => ({ alert: g.labels.alertname, severity: g.labels.severity, minute: g.value }))
    .sort((a, b) => a.minute - b.minute || (a.alert < b.alert ? -1 : 1));
  return { result, firing };
}
