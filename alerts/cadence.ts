/**
 * How often each kind of rule group is evaluated, by urgency. Evaluating a group costs the same
 * every time, so a rule that no page reads is evaluated at the slowest cadence that still keeps
 * its series readable by instant queries.
 *
 *  - PAGE_INTERVAL: the paging alerts and the recordings they read (the SLO windows up to 1h).
 *    A page must not wait for an evaluation.
 *  - TICKET_INTERVAL: groups that only hold tickets and the recordings feeding tickets and
 *    dashboards (the long SLO windows and SLO metadata, quality, data quality, cost, causes).
 *  - TILE_INTERVAL: hourly tiles the SLO period is summed from, read only over long windows.
 *  - Drift groups keep their own interval (`driftInterval` in signals/distributionShift.ts).
 */
import type { Issue } from "../service/schemaDsl";
import { durationSeconds } from "./promql";
import { isAlert, type RuleGroup } from "./ruleModel";

/** Paging alerts and the recordings they read: every minute. */
export const PAGE_INTERVAL = "1m";

/**
 * Prometheus's default `--query.lookback-delta`: an instant query (a dashboard stat, an alert of
 * another group) returns a series' latest sample only if it is at most this old.
 */
export const LOOKBACK_DELTA = "5m";

/**
 * Tickets and the recordings that feed tickets and dashboards: every 4 minutes, a quarter of the
 * cost of 1m. Strictly under LOOKBACK_DELTA, so a recorded series is never missing from an
 * instant query between two evaluations (at 5m an evaluation that runs a little late would
 * leave a gap); 4 minutes also divides 1h, 2h, 6h, 1d and 30d, so an average over those windows
 * reads a whole number of samples. Tickets are read in office hours: opening one up to 4 minutes
 * later costs nothing a ticket is for.
 */
export const TICKET_INTERVAL = "4m";

/**
 * Hourly tiles: series only ever read through range functions over long windows (the SLO period
 * sums 720 hourly tiles instead of 43,200 one-minute samples). Longer than LOOKBACK_DELTA on
 * purpose: an instant query finds them only in the first 5 minutes of each hour, so no dashboard
 * or alert reads them directly.
 */
export const TILE_INTERVAL = "1h";

/**
 * A `for` under two evaluations is meaningless: the alert fires at the evaluation after it turned
 * pending, whatever the duration says. Every generated alert with a `for` holds for at least two
 * evaluations of its group; this lists the ones that do not (checked by `serviceRuleGroups`).
 */
export function forDurationIssues(serviceName: string, groups: readonly RuleGroup[]): Issue[] {
  const issues: Issue[] = [];
  for (const g of groups)
    for (const r of g.rules)
      if (isAlert(r) && r.for !== undefined && durationSeconds(r.for) < 2 * durationSeconds(g.interval))
        issues.push({
          path: `${serviceName}: ${g.name}/${r.alert}`,
          message: `for: ${r.for} is under two evaluations of its group (interval ${g.interval}); use at least ${2 * durationSeconds(g.interval) / 60}m or drop it`,
        });
  return issues;
}
