/**
 * A scenario family member: one shape, speed and baseline of a gradual degradation (or one kind of
 * healthy month), with when users notice it, computed from the scenario's state (groundTruth.ts),
 * and what the early-warning issue holds the alerts to.
 */
import type { ServiceModel, SloModel } from "../../service/model";
import { MINUTES_PER_DAY, healthyState } from "../healthy";
import type { Scenario } from "../scenario";
import type { MinuteState } from "../traffic";
import { userImpact, type UserImpact } from "./groundTruth";

export interface FamilyScenario extends Scenario {
  /** Family id, e.g. `latency-creep`. */
  readonly family: string;
  /** What varies within the family, e.g. `exponential over 3 d, embed stage`. */
  readonly variant: string;
  /** The SLO users judge the service by in this scenario (degrading families). */
  readonly slo?: SloModel;
  /** Minutes from the incident start; absent when users never notice within the replay. */
  readonly impact: UserImpact;
  /** Minutes from the incident start to the first change of the service's state (a stepped creep's first step). @default 0 */
  readonly onsetMinutes?: number;
  /** Healthy families: the whole replay is healthy; count pages and tickets. */
  readonly healthy: boolean;
  /** Degrading families: how long the degradation takes to reach its end state (3 days or more asks a ticket 48 h before the outage). */
  readonly creepMinutes?: number;
}

export const days = (d: number) => Math.round(d * MINUTES_PER_DAY);
export const hours = (h: number) => Math.round(h * 60);

/** Targets of the issue, for a degrading family member. */
export interface FamilyTargets {
  /** The ticket must come this many minutes before the threshold crossing (crossing at least a day in). */
  readonly ticketBeforeCrossing?: number;
  /** The ticket must come this many minutes before the outage point (3-day creeps like the seed's). */
  readonly ticketBeforeOutage?: number;
  /** A page must come before the outage point. */
  readonly pageBeforeOutage: boolean;
  /**
   * A page must not come before the first ticket, wherever a ticket lead is asked for (a crossing
   * at least a day in, or a creep of 3 days or more). A failure that crosses the SLO threshold
   * within hours of a short creep hurts users at once, and its page is the right first alert.
   */
  readonly ticketBeforePage: boolean;
}

/**
 * The ticket lead before the crossing is asked where the degradation takes a day or more to reach
 * the SLO threshold: from its onset, not from the incident start (a stepped creep changes nothing
 * until its first step, and no alert can see it before then).
 */
export function familyTargets(s: FamilyScenario): FamilyTargets {
  const creepMinutes = s.creepMinutes ?? 0;
  const { crossing, outage } = s.impact;
  const ticketBeforeCrossing = crossing !== undefined && crossing - (s.onsetMinutes ?? 0) >= days(1) ? days(1) : undefined;
  const ticketBeforeOutage = outage !== undefined && creepMinutes >= days(3) ? days(2) : undefined;
  return {
    ticketBeforeCrossing,
    ticketBeforeOutage,
    pageBeforeOutage: outage !== undefined,
    ticketBeforePage: ticketBeforeCrossing !== undefined || ticketBeforeOutage !== undefined,
  };
}

export interface DegradationSpec {
  readonly family: string;
  readonly variant: string;
  readonly id: string;
  readonly title: string;
  readonly service: ServiceModel;
  readonly slo: SloModel;
  readonly leadInMinutes: number;
  /** How long the degradation takes to reach its end state. */
  readonly creepMinutes: number;
  /** When the state first changes, if later than the incident start. @default 0 */
  readonly onsetMinutes?: number;
  readonly incident: Scenario["incident"];
  readonly seed: number;
  /**
   * Minutes from the incident start to the outage point when the scenario defines it (the creep's
   * end state, as the seed's "users see 12 s", or the crash loop). @default - when the trailing
   * hour's bad share passes the fastest page's 14.4x
   */
  readonly outageMinute?: number;
}

/** A degrading family member: the replay runs until 3 hours past the outage point (or the creep's end and 6 more hours). */
export function degradation(spec: DegradationSpec): FamilyScenario & { readonly creepMinutes: number } {
  const stateAt = (t: number): MinuteState => spec.incident(healthyState(spec.service, spec.leadInMinutes + t, spec.seed), t);
  const measured = userImpact(spec.slo, stateAt, spec.creepMinutes + hours(6));
  const impact = spec.outageMinute === undefined ? measured : { crossing: measured.crossing, outage: spec.outageMinute };
  const incidentMinutes = impact.outage !== undefined ? impact.outage + hours(3) : spec.creepMinutes + hours(6);
  return {
    id: spec.id,
    title: spec.title,
    service: spec.service,
    leadInMinutes: spec.leadInMinutes,
    incidentMinutes,
    incident: spec.incident,
    evaluationInterval: "5m",
    fires: [],
    mayFire: [],
    family: spec.family,
    variant: spec.variant,
    slo: spec.slo,
    impact,
    onsetMinutes: spec.onsetMinutes,
    healthy: false,
    creepMinutes: spec.creepMinutes,
  };
}
