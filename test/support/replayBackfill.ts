/**
 * Loads a replay into a real Prometheus: raw series backfilled from OpenMetrics with
 * `promtool tsdb create-blocks-from openmetrics`, then the recording rules backfilled over the
 * ranges queries read with `promtool tsdb create-blocks-from rules` against the running server,
 * one dependency level at a time (a rule cannot read what the same run records), restarting
 * Prometheus after each level so it loads the new blocks. Prometheus itself evaluates rules only
 * from its start-up on, which is why the recorded history is backfilled rather than evaluated.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import type { RuleGroup } from "../../alerts/ruleModel";
import { minuteBlocks, type MinuteRange } from "../../replay/backfillMinutes";
import { recordingLevels } from "../../replay/ruleLevels";
import type { Series } from "../../replay/seriesBook";
import { runBounded } from "../../toolkit/childProcess";
import { writeOpenMetrics } from "../../toolkit/openMetrics";
import { PROMTOOL_BIN, PrometheusServer } from "../../toolkit/prometheusServer";

export interface ReplayLoad {
  /** Working folder (created); everything goes under it. */
  readonly dir: string;
  readonly series: readonly Series[];
  /** Unix seconds of replay minute 0. */
  readonly startSeconds: number;
  /** Minutes that get a sample. */
  readonly sampleMinutes: readonly number[];
  /** Every rule group to load into Prometheus (its recording rules are backfilled). */
  readonly ruleGroups: readonly RuleGroup[];
  /** Replay minutes over which recording rules are backfilled. */
  readonly ruleRanges: readonly MinuteRange[];
}

export interface ReplayTimings {
  readonly rawBackfillSeconds: number;
  readonly ruleBackfillSeconds: number;
  readonly rawBlocks: number;
  readonly ruleLevels: number;
}

const LEVEL_RULE_FILE = "rules.yaml";

/** Moves the blocks promtool wrote (nothing when a range recorded no sample) into Prometheus' folder. */
const moveBlocks = (from: string, to: string) => {
  if (!existsSync(from)) return;
  for (const b of readdirSync(from)) renameSync(join(from, b), join(to, b));
};

/** Loads the replay and returns the running server (stop it in afterAll, also on failure). */
export async function loadReplay(load: ReplayLoad, server?: (s: PrometheusServer) => void): Promise<{ server: PrometheusServer; timings: ReplayTimings }> {
  const data = join(load.dir, "data");
  const om = join(load.dir, "openmetrics");
  mkdirSync(data, { recursive: true });
  mkdirSync(om, { recursive: true });

  let started = Date.now();
  let rawBlocks = 0;
  for (const block of minuteBlocks(load.startSeconds, load.sampleMinutes)) {
    const file = join(om, `${block.blockStart}.om`);
    const written = await writeOpenMetrics(file, load.series, (s) => block.minutes.map((m) => [load.startSeconds + m * 60, s.values[m]] as const));
    if (written.samples > 0) {
      await runBounded(PROMTOOL_BIN, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", file, data], { timeoutMs: 120000 });
      rawBlocks++;
    }
    rmSync(file);
  }
  const rawBackfillSeconds = (Date.now() - started) / 1000;

  writeFileSync(join(load.dir, "rules.yaml"), renderRuleFile(load.ruleGroups, ["replay: every generated rule group"]));
  writeFileSync(join(load.dir, "prometheus.yml"), "global:\n  evaluation_interval: 1m\nrule_files:\n  - rules.yaml\nscrape_configs: []\n");
  const prometheus = new PrometheusServer({ configFile: join(load.dir, "prometheus.yml"), dataDir: data });
  server?.(prometheus);
  await prometheus.start();

  started = Date.now();
  const levels = recordingLevels(load.ruleGroups);
  for (const [i, groups] of levels.entries()) {
    // promtool aligns each group's evaluations to an offset hashed from the group's name and the
    // rule file's path as given. Every level's file goes by the same relative path, run from its
    // own folder: a group evaluates at the same minutes at every level (a ratio reads the total of
    // its own evaluation, as on a live server) and on every run (not varying with the temp folder).
    const levelDir = join(load.dir, `level-${i}`);
    mkdirSync(levelDir, { recursive: true });
    writeFileSync(join(levelDir, LEVEL_RULE_FILE), renderRuleFile(groups));
    for (const [j, range] of load.ruleRanges.entries()) {
      const out = join(load.dir, `level-${i}-range-${j}`);
      await runBounded(
        PROMTOOL_BIN,
        [
          "tsdb",
          "create-blocks-from",
          "rules",
          "--quiet",
          `--url=${prometheus.url}`,
          `--start=${load.startSeconds + range.from * 60}`,
          `--end=${load.startSeconds + range.to * 60}`,
          `--output-dir=${out}`,
          LEVEL_RULE_FILE,
        ],
        { timeoutMs: 300000, cwd: levelDir },
      );
    }
    // Prometheus loads blocks added to its folder on its next start.
    await prometheus.stop();
    for (const j of load.ruleRanges.keys()) moveBlocks(join(load.dir, `level-${i}-range-${j}`), data);
    await prometheus.start();
  }
  return { server: prometheus, timings: { rawBackfillSeconds, ruleBackfillSeconds: (Date.now() - started) / 1000, rawBlocks, ruleLevels: levels.length } };
}
