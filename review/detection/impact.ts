/**
 * Detection impact of a pull request: for every service whose rules differ between base and head
 * (detection/rules.ts), both rule sets replayed over the service's scenarios (replay/simulate/)
 * with the same traffic, generated from the service's description, and compared: first ticket
 * and first page per incident, pages and tickets per healthy month, and the warnings a reviewer
 * must not miss. Services without a description given are listed, not simulated.
 */
import type { ServiceModel } from "../../service/model";
import type { SimulationCache } from "../../replay/simulate/cache";
import { scenariosFor, type ScenarioFamily, SIMULATION_FAMILIES } from "../../replay/simulate/family";
import { outcomeOf, type ScenarioOutcome } from "../../replay/simulate/outcome";
import { simulateRuleSets } from "../../replay/simulate/run";
import { byString, environmentsOf, type SynthOutput } from "../synthOutput";
import { serviceRules, type ServiceRules } from "./rules";

export interface ScenarioComparison {
  readonly base: ScenarioOutcome;
  readonly head: ScenarioOutcome;
}

export interface ServiceDetection {
  readonly service: string;
  /** Environments whose rules for the service changed the same way (simulated once). */
  readonly environments: readonly string[];
  /** Why it was not simulated (no description given). */
  readonly notSimulated?: string;
  readonly scenarios: readonly ScenarioComparison[];
  readonly skipped: readonly { readonly family: string; readonly reason: string }[];
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

export interface DetectionOptions {
  readonly cache?: SimulationCache;
  /** @default SIMULATION_FAMILIES */
  readonly families?: readonly ScenarioFamily[];
  readonly seed?: number;
}

/** A page later by more than this share of the base's time is a warning. */
export const LATER_PAGE_SHARE = 0.1;

export function detectionWarnings(scenarios: readonly ScenarioComparison[]): string[] {
  const out: string[] = [];
  for (const { base, head } of scenarios) {
    if (base.healthy) {
      const added = head.perMonth!.pages - base.perMonth!.pages;
      if (added > 0) out.push(`${head.id}: ${added} more page(s) per 30 days of healthy traffic (${base.perMonth!.pages} → ${head.perMonth!.pages})`);
      continue;
    }
    if (base.firstPage && !head.firstPage) out.push(`${head.id}: no longer pages (paged at ${minutes(base.firstPage.minute)} with ${base.firstPage.alert})`);
    else if (base.firstPage && head.firstPage && head.firstPage.minute > base.firstPage.minute * (1 + LATER_PAGE_SHARE))
      out.push(`${head.id}: pages ${minutes(head.firstPage.minute - base.firstPage.minute)} later (${minutes(base.firstPage.minute)} → ${minutes(head.firstPage.minute)}, more than ${LATER_PAGE_SHARE * 100}% later)`);
  }
  return out;
}

function minutes(m: number): string {
  if (m < 120) return `${Math.round(m)} min`;
  const h = m / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

async function compare(model: ServiceModel, rules: ServiceRulesPair, options: DetectionOptions): Promise<Pick<ServiceDetection, "scenarios" | "skipped" | "warnings">> {
  const { scenarios, skipped } = scenariosFor(model, undefined, options.families ?? SIMULATION_FAMILIES);
  // Base and head in one run: each scenario's traffic generated once, the parts they share evaluated once.
  const [b, h] = await simulateRuleSets(model, [rules.base.groups, rules.head.groups], scenarios, { cache: options.cache, seed: options.seed });
  const compared = b.map((run, i) => ({ base: outcomeOf(model, run), head: outcomeOf(model, h[i]) }));
  return { scenarios: compared, skipped, warnings: detectionWarnings(compared) };
}

interface ServiceRulesPair {
  readonly base: ServiceRules;
  readonly head: ServiceRules;
}

/** The detection impact of every service whose rules changed; `models` give the traffic. */
export async function detectionImpact(base: SynthOutput, head: SynthOutput, models: readonly ServiceModel[], options: DetectionOptions = {}): Promise<ServiceDetection[]> {
  const done = new Map<string, ServiceDetection & { environments: string[] }>();
  for (const environment of environmentsOf(base, head)) {
    const before = serviceRules(base, environment);
    const after = serviceRules(head, environment);
    for (const [service, h] of [...after.entries()].sort(([x], [y]) => byString(x, y))) {
      const b = before.get(service);
      if (!b || b.text === h.text) continue;
      const key = `${service}\u0000${b.text}\u0000${h.text}`;
      const seen = done.get(key);
      if (seen) {
        seen.environments.push(environment);
        continue;
      }
      const model = models.find((m) => m.name === service);
      const notes = [...new Set([...b.notes, ...h.notes])];
      const result = model
        ? await compare(model, { base: b, head: h }, options)
        : { scenarios: [], skipped: [], warnings: [], notSimulated: `no description of ${service} was given to simulate its traffic with` };
      done.set(key, { service, environments: [environment], notes, ...result });
    }
  }
  return [...done.values()];
}
