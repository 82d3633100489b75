/**
 * The simulation cache: one JSON file per (rule-file part, scenario), named by the SHA-256 of
 * everything the result depends on: the part's rule text, the scenario (family, timings, seed,
 * the service model the traffic comes from) and the replay code itself (every file of replay/ and
 * the seeded RNG), so a change to the generator or a family invalidates what it could change.
 * A damaged or unreadable entry is a miss, never an error.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { extname, join, relative } from "node:path";

export interface SimulationCache {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A cache in `dir` (created on first write). */
export function fileCache(dir: string): SimulationCache {
  return {
    get<T>(key: string): T | undefined {
      try {
        return JSON.parse(readFileSync(join(dir, `${key}.json`), "utf8")) as T;
      } catch {
        return undefined;
      }
    },
    set(key, value) {
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed: a concurrent reader sees the whole entry or none.
      const tmp = join(dir, `${key}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, join(dir, `${key}.json`));
    },
  };
}

/** A cache that keeps nothing. */
export const noCache: SimulationCache = { get: () => undefined, set: () => undefined };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return [".ts", ".js"].includes(extname(name)) && !name.endsWith(".d.ts") ? [path] : [];
    });
}

let codeHash: string | undefined;

/** Hash of the replay code (this folder's parent, replay/, and the seeded RNG the traffic draws from). */
export function replayCodeHash(): string {
  if (codeHash === undefined) {
    const replay = join(__dirname, "..");
    const rng = join(replay, "..", "toolkit");
    const files = [...sourceFiles(replay), ...sourceFiles(rng).filter((f) => /random\.[jt]s$/.test(f))];
    codeHash = sha256(files.map((f) => `${relative(replay, f)}\u0000${readFileSync(f, "utf8")}`).join("\u0001"));
  }
  return codeHash;
}

/** Where `mlobs simulate` and `mlobs review` cache results unless told otherwise: the user's cache folder. */
export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "mlobs", "simulate");
}
