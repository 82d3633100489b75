/**
 * The memory ticket on hand-made series, through promtool: restart-aware (a daily deploy's
 * sawtooth and warm-up stay quiet), sees a leak on a large base that the old "25% in 6 hours"
 * rule never saw, and uses a declared memory limit only when one is declared.
 */
import { causeRuleGroups } from "../alerts/causeAlerts";
import { renderRuleFile } from "../alerts/render/prometheusRules";
import { normalizeService } from "../service/normalize";
import { probeValues, promtoolMissing } from "./support/promtool";

const base = {
  name: "embedder",
  team: "search-ai",
  owner: "search-ai@example.com",
  kind: "model-endpoint",
  alerting: {
    page: { type: "email", addresses: ["oncall@example.com"] },
    ticket: { type: "email", addresses: ["tickets@example.com"] },
    runbookBaseUrl: "https://runbooks.example.com/search-ai",
  },
};

const GB = 1e9;
const MIN_PER_DAY = 1440;

/** promtool's expanding notation for a gauge sampled every minute for `minutes`: `f(minute)` rounded. */
function values(minutes: number, f: (minute: number) => number): string {
  return Array.from({ length: minutes }, (_, m) => String(Math.round(f(m)))).join(" ");
}

interface Case {
  readonly memory: (minute: number) => number;
  readonly started: (minute: number) => number;
  readonly limitBytes?: number;
}

/** Minutes (of a 3-day replay, evaluated every 5 minutes) at which MlObsMemoryGrowth is firing. */
function firingMinutes(c: Case, withLimit: boolean): number[] {
  const model = normalizeService(withLimit ? { ...base, memoryLimitMetric: "container_memory_limit_bytes" } : base);
  const minutes = 3 * MIN_PER_DAY;
  const rules = renderRuleFile(causeRuleGroups(model, { environment: "prod" }).map((g) => ({ ...g, interval: "5m" })));
  const series = [
    { series: `process_resident_memory_bytes{job="embedder",instance="r0"}`, values: values(minutes, c.memory) },
    { series: `process_start_time_seconds{job="embedder",instance="r0"}`, values: values(minutes, (m) => c.started(m) * 60) },
    ...(c.limitBytes ? [{ series: `container_memory_limit_bytes{job="embedder",instance="r0"}`, values: values(minutes, () => c.limitBytes!) }] : []),
  ];
  const last = minutes - 5;
  const firing = `(timestamp(ALERTS{alertname="MlObsMemoryGrowth",alertstate="firing"}) / 60)[${last}m:5m]`;
  // How many evaluations fired, and the first firing minute.
  const [count, first] = probeValues(rules, { interval: "1m", input_series: series }, [`count_over_time(${firing})`, `min_over_time(${firing})`], `${last}m`, "5m");
  if (count === undefined || first === undefined) return [];
  return [first, count];
}

const skip = promtoolMissing();
const describeIf = skip ? describe.skip : describe;
if (skip) console.log(`SKIPPED: ${skip}`);

describeIf("the memory ticket", () => {
  const upSinceLongAgo = () => -5 * MIN_PER_DAY;

  it("stays quiet on a daily deploy's sawtooth, warm-up and a daily heap cycle", () => {
    const lastDeploy = (m: number) => Math.floor((m - 600) / MIN_PER_DAY) * MIN_PER_DAY + 600;
    const sawtooth: Case = {
      started: (m) => (m < 600 ? upSinceLongAgo() : lastDeploy(m)),
      memory: (m) => {
        const uptime = m < 600 ? 10 * MIN_PER_DAY : m - lastDeploy(m);
        return 2 * GB * (1 - 0.4 * Math.exp(-uptime / 30)) * (1 + 0.03 * Math.sin((2 * Math.PI * m) / MIN_PER_DAY));
      },
    };
    expect(firingMinutes(sawtooth, false)).toEqual([]);
  });

  it("tickets a slow leak on an 8 GB replica within hours of a day's history (the old 25%-in-6h rule never fired on it)", () => {
    // 40 MB an hour: 12% a day, 3% in 6 hours.
    const leak: Case = { started: upSinceLongAgo, memory: (m) => 8 * GB + (m > MIN_PER_DAY ? (40e6 * (m - MIN_PER_DAY)) / 60 : 0) };
    const [first] = firingMinutes(leak, false);
    expect(first).toBeGreaterThan(MIN_PER_DAY);
    expect(first - MIN_PER_DAY).toBeLessThan(24 * 60);
  });

  it("does not compare a replica restarted within the day with its former self", () => {
    // A replica restarted at minute 1500 comes back at half its memory and grows back to it over 3 hours: no leak.
    const restarted: Case = {
      started: (m) => (m < 1500 ? upSinceLongAgo() : 1500),
      memory: (m) => (m < 1500 ? 4 * GB : 2 * GB + Math.min(2 * GB, ((m - 1500) / 180) * 2 * GB)),
    };
    expect(firingMinutes(restarted, false)).toEqual([]);
  });

  it("uses a declared limit: a leak too slow for the day-over-day branch is ticketed when it will reach the limit within 3 days", () => {
    // 20 MB an hour on 8 GB (6% a day) with a 10 GB limit: the limit is 4.2 days away, 3 days away after 28 hours.
    const slow: Case = { started: upSinceLongAgo, limitBytes: 10 * GB, memory: (m) => 8 * GB + (20e6 * m) / 60 };
    expect(firingMinutes(slow, false)).toEqual([]);
    const [first] = firingMinutes(slow, true);
    expect(first).toBeGreaterThan(28 * 60);
    expect(first).toBeLessThan(30.5 * 60);
  });
});
