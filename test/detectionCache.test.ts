/**
 * The detection benchmark's cache (replay/families/measure.ts): a member measured before on the
 * same rules, member, seed, replay code and promtool is read back instead of replayed, and any of
 * those changing is a miss. No promtool run here: a miss would start one, so every case that
 * expects a hit uses a result that promtool could never have produced.
 */
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { healthyMonths } from "../replay/families/healthyMonths";
import { familyCacheKey, measureFamily, type FamilyResult } from "../replay/families/measure";
import type { SimulationCache } from "../replay/simulate/cache";
import { DEFAULT_SEED } from "../replay/scenario";
import { exampleServices } from "../replay/scenarios";
import { loadServicesFiles } from "../service/load";

const ex = exampleServices(loadServicesFiles(EXAMPLE_SERVICE_FILES));
const [weekly, blips] = healthyMonths(ex.fraud, DEFAULT_SEED);

function memoryCache(): SimulationCache & { entries: Map<string, unknown> } {
  const entries = new Map<string, unknown>();
  return { entries, get: <T>(k: string) => entries.get(k) as T | undefined, set: (k, v) => void entries.set(k, JSON.parse(JSON.stringify(v))) };
}

/** A result no replay gives: 7 pages of an alert the service does not have. */
const planted: Omit<FamilyResult, "scenario"> = {
  fired: [],
  leadInEpisodes: {},
  episodes: [{ alert: "PlantedByTheTest", severity: "page", count: 7 }],
  verdicts: [{ what: "0 pages", met: false }],
  seconds: 123,
};

describe("detection benchmark cache", () => {
  it("a stored member is read back, with its own scenario and marked as cached", async () => {
    const cache = memoryCache();
    cache.set(familyCacheKey(weekly, DEFAULT_SEED), planted);
    const r = await measureFamily(weekly, DEFAULT_SEED, cache);
    expect(r.cached).toBe(true);
    expect(r.scenario).toBe(weekly);
    expect(r.episodes).toEqual(planted.episodes);
    expect(r.seconds).toBe(123);
  });

  it("the key changes with the member, the seed and the service's rules", () => {
    const key = familyCacheKey(weekly, DEFAULT_SEED);
    expect(familyCacheKey(weekly, DEFAULT_SEED)).toBe(key);
    expect(familyCacheKey(blips, DEFAULT_SEED)).not.toBe(key);
    expect(familyCacheKey(weekly, DEFAULT_SEED + 1)).not.toBe(key);
    // A tighter objective changes the generated rules, so the month must be replayed again.
    const slos = weekly.service.slos.map((s, i) => (i === 0 ? { ...s, objective: s.objective + (100 - s.objective) / 2 } : s));
    expect(familyCacheKey({ ...weekly, service: { ...weekly.service, slos } }, DEFAULT_SEED)).not.toBe(key);
  });
});
