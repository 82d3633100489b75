/**
 * Which playbook explains which alert. Every alert family the rule groups can hold is listed here
 * by the same name functions the alerts are named with (alertName, signalAlertName), so an alert
 * without a playbook is found by name, never guessed: `playbookOf` throws for it instead of
 * writing a generic page. A new alert family needs its playbook here before its first synth.
 */
import { CAUSE_ALERT } from "../alerts/causeAlerts";
import { EARLY_WARNING_ALERT } from "../alerts/earlyWarning";
import { alertName } from "../alerts/conventions";
import { SIGNAL_ALERT, signalAlertName } from "../alerts/signalNames";
import { GENAI_SIGNAL_ALERT } from "../alerts/genAiSignalNames";
import { AGENT_ALERT, SERVING_ALERT } from "../alerts/servingAgentNames";
import { SLO_ALERT } from "../alerts/sloRules";
import type { ServiceModel } from "../service/model";
import { agentPlaybook, type AgentAlertKind } from "./agent";
import { causePlaybook, latencyRegressionPlaybook, type CauseAlertKind } from "./causes";
import type { Playbook } from "./playbook";
import { servingPlaybook, type ServingAlertKind } from "./serving";
import { genAiSignalPlaybook } from "./genaiSignals";
import { signalPlaybook, type SignalAlertKind } from "./signals";
import { forecastPlaybook, sloPlaybook, type SloAlertKind } from "./slo";

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T)[];

/** Every alert name the service can have, each with the builder of its playbook. */
export function playbookIndex(model: ServiceModel): ReadonlyMap<string, () => Playbook> {
  const index = new Map<string, () => Playbook>();
  // Two families can only share a name when the alerts do too; runbookPages reports that as a clash.
  const add = (name: string, build: () => Playbook) => {
    if (!index.has(name)) index.set(name, build);
  };
  for (const slo of model.slos) for (const kind of keys(SLO_ALERT)) add(alertName(slo.name, SLO_ALERT[kind]), () => sloPlaybook(model, slo, kind as SloAlertKind));
  for (const slo of model.slos) add(alertName(slo.name, EARLY_WARNING_ALERT.budgetForecast), () => forecastPlaybook(model, slo));
  add(alertName(model.name, EARLY_WARNING_ALERT.latencyRegression), () => latencyRegressionPlaybook(model));
  for (const kind of keys(CAUSE_ALERT)) add(alertName(CAUSE_ALERT[kind]), () => causePlaybook(model, kind as CauseAlertKind));
  for (const kind of keys(SIGNAL_ALERT)) {
    const parts = SIGNAL_ALERT[kind];
    if (typeof parts === "function")
      for (const s of model.quality.scores) add(signalAlertName(model.name, parts(s.name)), () => signalPlaybook(model, kind as SignalAlertKind, s.name));
    else add(signalAlertName(model.name, parts), () => signalPlaybook(model, kind as SignalAlertKind));
  }
  for (const kind of keys(SERVING_ALERT)) add(signalAlertName(model.name, SERVING_ALERT[kind]), () => servingPlaybook(model, kind as ServingAlertKind));
  for (const kind of keys(AGENT_ALERT)) add(signalAlertName(model.name, AGENT_ALERT[kind]), () => agentPlaybook(model, kind as AgentAlertKind));
  for (const kind of keys(GENAI_SIGNAL_ALERT)) {
    const parts = GENAI_SIGNAL_ALERT[kind];
    if (typeof parts === "function")
      for (const s of model.quality.scores) add(signalAlertName(model.name, parts(s.name)), () => genAiSignalPlaybook(model, kind, s.name));
    else add(signalAlertName(model.name, parts), () => genAiSignalPlaybook(model, kind));
  }
  return index;
}

/** The playbook of an alert of the service; throws for an alert no playbook covers. */
export function playbookOf(index: ReadonlyMap<string, () => Playbook>, model: ServiceModel, alert: string): Playbook {
  const build = index.get(alert);
  if (!build) throw new Error(`internal: alert ${alert} of ${model.name} has no runbook playbook; add its family to runbooks/catalogue.ts`);
  return build();
}
