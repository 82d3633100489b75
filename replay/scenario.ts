/**
 * A replay scenario: healthy traffic of one service for a lead-in, then an incident that changes
 * the service's state, and what the generated alerts must do about it: which alerts must be firing
 * by when, which may fire (with the reason), and, by omission, which must stay quiet throughout.
 */
import type { Severity } from "../alerts/ruleModel";
import type { ServiceModel } from "../service/model";
import { generateSeries, generateSeriesInTurns, type GenerateOptions } from "./generate";
import { healthyState } from "./healthy";
import type { Series } from "./seriesBook";
import type { MinuteState } from "./traffic";

export interface ExpectedAlert {
  /** Alert name, built from the alert modules' name parts. */
  readonly alert: string;
  readonly severity: Severity;
  /** Labels the firing alert must carry besides its rule's (e.g. `feature`, `model_version`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Minutes after the incident starts by which it must be firing. */
  readonly firingBy: number;
  /** Minutes after the incident starts before which it must not fire. @default 0 */
  readonly notBefore?: number;
  /** Why it must fire, in the user's terms. */
  readonly why: string;
}

export interface AllowedAlert {
  readonly alert: string;
  readonly severity: Severity;
  /** Why it is neither required nor forbidden. */
  readonly why: string;
  /** Minutes after the incident starts before which it must not fire. @default 0 */
  readonly notBefore?: number;
}

/** Detection targets of the issue, checked by the benchmark. */
export interface DetectionTarget {
  /** The first ticket must fire within this many minutes of the incident start. */
  readonly ticketWithinMinutes?: number;
  /** The first page must fire within this many minutes of the incident start. */
  readonly pageWithinMinutes?: number;
  /** The first ticket must come before the first page (the cause before the symptom). */
  readonly ticketBeforePage?: boolean;
  /** The target as the issue states it. */
  readonly text: string;
}

export interface Scenario {
  /** Kebab-case id. */
  readonly id: string;
  /** One sentence: what happens. */
  readonly title: string;
  readonly service: ServiceModel;
  /** Healthy minutes before the incident starts (history for offsets and long windows). */
  readonly leadInMinutes: number;
  /** Minutes from the incident start to the end of the replay. */
  readonly incidentMinutes: number;
  /** The incident: changes the healthy state `sinceStart` minutes after the incident started. */
  readonly incident: (state: MinuteState, sinceStart: number) => MinuteState;
  /**
   * promtool evaluates every rule group at one interval per suite. Scenarios measured in minutes
   * use 1m (the interval of the pages and the windows they read; ticket groups run every 4m and
   * drift every 5m in production, see docs/detection.md); multi-day scenarios use 5m, which keeps
   * them affordable and is finer than any target they are held to.
   */
  readonly evaluationInterval: "1m" | "5m";
  readonly fires: readonly ExpectedAlert[];
  readonly mayFire: readonly AllowedAlert[];
  readonly target?: DetectionTarget;
}

export const totalMinutes = (s: Scenario) => s.leadInMinutes + s.incidentMinutes;

/**
 * The first hour of every replay is warm-up, excluded from assertions and measurements. A replay
 * starts with no history, so for a while every window (1d and 3d included) holds the same few
 * minutes and is as noisy as the 5m one: the slow-burn tickets' long windows cannot yet hold them
 * back. A service deployed for the first time sees the same; a running one has its history.
 */
export const WARM_UP_MINUTES = 60;

/** The state of the scenario's service at a minute of the replay. */
export function scenarioState(s: Scenario, seed: number): (minute: number) => MinuteState {
  return (minute) => {
    const healthy = healthyState(s.service, minute, seed);
    return minute >= s.leadInMinutes ? s.incident(healthy, minute - s.leadInMinutes) : healthy;
  };
}

const generateOptions = (s: Scenario, seed: number, include?: GenerateOptions["include"]): GenerateOptions => ({ seed, minutes: totalMinutes(s), stateAt: scenarioState(s, seed), include });

export function scenarioSeries(s: Scenario, seed: number, include?: GenerateOptions["include"]): Series[] {
  return generateSeries(s.service, generateOptions(s, seed, include));
}

/** scenarioSeries (the same series), letting other I/O go on while it is generated (generateSeriesInTurns). */
export function scenarioSeriesInTurns(s: Scenario, seed: number, progress?: Parameters<typeof generateSeriesInTurns>[3]): Promise<Series[]> {
  return generateSeriesInTurns(s.service, generateOptions(s, seed), 60, progress);
}

/** Replay seed used by the tests, the benchmark and the docs; any other seed must pass the tests too. */
export const DEFAULT_SEED = 20240607;
