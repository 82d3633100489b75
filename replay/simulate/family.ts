/**
 * The scenarios `mlobs simulate` and the review's detection impact replay: families of the field's
 * incidents and of healthy traffic, each written against what a service declares (its kind,
 * stages, SLOs, scores, drift features, models) rather than against the example services, so any
 * valid description gets every family that fits it and a reason for each one that does not.
 *
 * The registry is a plain list: a new family is one more entry (`SIMULATION_FAMILIES`), or a
 * caller passes its own list to `scenariosFor`.
 */
import type { ServiceModel } from "../../service/model";
import type { Scenario } from "../scenario";
import { burstFamilies } from "./families/bursts";
import { healthyMonthFamily } from "./families/healthyMonth";
import { leakFamily } from "./families/leak";
import { qualityFamilies } from "./families/quality";
import { spendFamilies } from "./families/spend";

/** When users notice an incident, as the scenario defines it (an outage), in minutes since the incident started. */
export interface DeclaredImpact {
  readonly minute: number;
  /** What users see then, e.g. "the replicas crash in a loop". */
  readonly what: string;
}

export interface SimulationScenario {
  readonly family: string;
  readonly scenario: Scenario;
  readonly impact?: DeclaredImpact;
  /** Healthy traffic: its pages and tickets are false alarms, counted per 30 days. */
  readonly healthy: boolean;
}

export interface ScenarioFamily {
  /** Kebab-case id; also the scenario's id. */
  readonly id: string;
  /** Why the family does not fit the service, or undefined when it does. */
  readonly skip: (model: ServiceModel) => string | undefined;
  readonly build: (model: ServiceModel) => SimulationScenario;
}

export interface ScenarioSelection {
  readonly scenarios: readonly SimulationScenario[];
  readonly skipped: readonly { readonly family: string; readonly reason: string }[];
}

/** Every family, incidents first (in the order of the detection benchmark), healthy traffic last. */
export const SIMULATION_FAMILIES: readonly ScenarioFamily[] = [leakFamily, ...burstFamilies, ...qualityFamilies, ...spendFamilies, healthyMonthFamily];

/**
 * The families that fit `model`, built, and those that do not, with the reason; `only` keeps the
 * named families (an unknown name is an error naming the known ones).
 */
export function scenariosFor(model: ServiceModel, only?: readonly string[], families: readonly ScenarioFamily[] = SIMULATION_FAMILIES): ScenarioSelection {
  const unknown = (only ?? []).filter((id) => !families.some((f) => f.id === id));
  if (unknown.length > 0) throw new UnknownScenarioError(unknown, families.map((f) => f.id));
  const wanted = families.filter((f) => !only || only.includes(f.id));
  const scenarios: SimulationScenario[] = [];
  const skipped: { family: string; reason: string }[] = [];
  for (const f of wanted) {
    const reason = f.skip(model);
    if (reason === undefined) scenarios.push(f.build(model));
    else skipped.push({ family: f.id, reason });
  }
  return { scenarios, skipped };
}

export class UnknownScenarioError extends Error {
  constructor(
    readonly unknown: readonly string[],
    readonly known: readonly string[],
  ) {
    super(`unknown scenario ${unknown.map((u) => JSON.stringify(u)).join(", ")}; scenarios are ${known.join(", ")}`);
  }
}

/** A family's scenario with no expectations: simulate measures what fires, it does not assert. */
export function measured(s: Omit<Scenario, "fires" | "mayFire">): Scenario {
  return { ...s, fires: [], mayFire: [] };
}
