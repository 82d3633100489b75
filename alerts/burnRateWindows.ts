/**
 * Multiwindow, multi-burn-rate alerting (Google SRE workbook, ch. 5), as INTENT: the share of the
 * period's error budget each alert may see burnt within its long window. The burn-rate factor is
 * derived, so changing the SLO period changes the factors and nothing else:
 *
 *   factor = budgetShare × period / longWindow
 *   30 days: 0.02 × 720h / 1h = 14.4, 0.05 × 720h / 6h = 6, 0.1 × 30d / 1d = 3, 0.1 × 30d / 3d = 1
 *   28 days: 13.44, 5.6, 2.8, 0.933...
 *
 * The short window (1/12 of the long one) makes the alert stop soon after the burn stops.
 */
import type { Severity } from "./ruleModel";
import { durationSeconds } from "./promql";

export interface BurnWindow {
  readonly severity: Severity;
  readonly budgetShare: number;
  readonly long: string;
  readonly short: string;
}

export const BURN_WINDOWS: readonly BurnWindow[] = [
  { severity: "page", budgetShare: 0.02, long: "1h", short: "5m" },
  { severity: "page", budgetShare: 0.05, long: "6h", short: "30m" },
  { severity: "ticket", budgetShare: 0.1, long: "1d", short: "2h" },
  { severity: "ticket", budgetShare: 0.1, long: "3d", short: "6h" },
];

/** Burn-rate factor of a window for an SLO period, rounded to remove float noise. */
export function burnFactor(w: BurnWindow, periodDays: number): number {
  return Number(((w.budgetShare * periodDays * 86400) / durationSeconds(w.long)).toPrecision(12));
}

/** Every window the SLI must be recorded over, shortest first (the period is added separately). */
export function sliWindows(): string[] {
  const all = new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]));
  return [...all].sort((a, b) => durationSeconds(a) - durationSeconds(b));
}

/** The window the SLI's rates are recorded over (the shortest alert window, the fastest page's short one). */
export const RATE_WINDOW = sliWindows()[0];

/**
 * The windows an SLO can never fire on. An error ratio cannot pass 1, so a window whose threshold
 * (factor × error budget) is 1 or more is out of reach: with a 30-day period the 1-hour page
 * needs an objective of at least 93.06 %, the 6-hour page 83.34 %, the 1-day ticket 66.67 %.
 */
export function unreachableWindows(objective: number, periodDays: number): BurnWindow[] {
  return BURN_WINDOWS.filter((w) => burnThreshold(w, objective, periodDays) >= 1);
}

/** The error ratio a window alerts above: factor × error budget. */
export function burnThreshold(w: BurnWindow, objective: number, periodDays: number): number {
  return burnFactor(w, periodDays) * (1 - objective);
}

/** Lowest objective, in percent rounded up to 2 decimals, at which a window can fire (0: any). */
export function minimumObjectivePercent(w: BurnWindow, periodDays: number): number {
  return Math.max(0, Math.ceil((1 - 1 / burnFactor(w, periodDays)) * 1e4 - 1e-6) / 100);
}
