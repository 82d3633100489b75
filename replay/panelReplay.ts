/**
 * The healthy replay a real Prometheus is loaded with to run every dashboard panel: eight and a
 * half days of healthy traffic of each service (the drift panels compare with the same hour 7 days
 * earlier), ending at 14:00 on a Tuesday, with a routine release (v1 to v2, same quality) ten
 * minutes before the end so the release annotation has a release to mark.
 *
 * Samples: every minute where queries or backfilled rules read short windows (the last four hours,
 * around 6 hours earlier for the memory-growth panel, around a day earlier for the cache panel's
 * "a day ago" line); every 15 minutes elsewhere, which is plenty for the 1h-to-3d windows that
 * read that far back.
 */
import type { ServiceModel } from "../service/model";
import { healthyVersion, MINUTES_PER_DAY } from "./healthy";
import type { MinuteRange } from "./backfillMinutes";
import { scenarioSeries, type Scenario } from "./scenario";
import type { Series } from "./seriesBook";

/** Monday 2025-03-03 00:00 UTC: minute 0 of the replay. */
export const PANEL_REPLAY_START_SECONDS = Date.UTC(2025, 2, 3) / 1000;
/** Minutes replayed: 8 days and 14 hours, so the last minute is Tuesday 14:00. */
export const PANEL_REPLAY_MINUTES = 8 * MINUTES_PER_DAY + 14 * 60;
/** Where panels are queried: the last minute of the replay. */
export const PANEL_QUERY_MINUTE = PANEL_REPLAY_MINUTES;
export const ROUTINE_RELEASE_MINUTE = PANEL_QUERY_MINUTE - 10;
export const COARSE_EVERY_MINUTES = 15;

const T = PANEL_QUERY_MINUTE;
/** Minutes sampled every minute. */
export const DENSE_RANGES: readonly MinuteRange[] = [
  { from: T - 250, to: T },
  { from: T - 6 * 60 - 20, to: T - 6 * 60 },
  { from: T - MINUTES_PER_DAY - 30, to: T - MINUTES_PER_DAY },
];
/**
 * Where recording rules are backfilled: the four hours up to the query time, so the period's error
 * ratio sums at least three whole hourly tiles (fewer minutes gave a tile of a few noisy minutes
 * the weight of an hour), and the same minutes a day earlier (the cache panel's "a day ago" reads
 * a recorded series). The four hours start on a 2-hour boundary (10:00): promtool backfills in
 * 2-hour blocks and stops at the first block whose part of the range holds no evaluation of the
 * group, which for the hourly tiles could be the first block of a range starting mid-block.
 */
export const RULE_BACKFILL_RANGES: readonly MinuteRange[] = [
  { from: T - MINUTES_PER_DAY - 10, to: T - MINUTES_PER_DAY },
  { from: T - 240, to: T },
];

export function routineReleaseScenario(model: ServiceModel): Scenario {
  const v2 = { ...healthyVersion(model, "v2") };
  return {
    id: `panels-${model.name}`,
    title: "Eight and a half healthy days with a routine release ten minutes before the end",
    service: model,
    leadInMinutes: ROUTINE_RELEASE_MINUTE,
    incidentMinutes: PANEL_REPLAY_MINUTES - ROUTINE_RELEASE_MINUTE,
    incident: (state) => ({ ...state, versions: [v2] }),
    evaluationInterval: "1m",
    fires: [],
    mayFire: [],
  };
}

export function panelReplaySeries(model: ServiceModel, seed: number): Series[] {
  return scenarioSeries(routineReleaseScenario(model), seed);
}

/** Unix seconds of a replay minute. */
export const replaySeconds = (minute: number) => PANEL_REPLAY_START_SECONDS + minute * 60;
