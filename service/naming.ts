import { createHash } from "node:crypto";

/**
 * Joins name parts with dashes; when the result exceeds `max` (AWS limits such as 32 characters for
 * X-Ray groups), keeps a readable prefix and appends a short hash of the full name, so names stay
 * unique and stable across synths.
 */
export function boundedName(parts: readonly string[], max: number): string {
  const full = parts.join("-");
  if (full.length <= max) return full;
  const hash = stableHash(full, 6);
  return `${full.slice(0, max - 7).replace(/-+$/, "")}-${hash}`;
}

/** A stable number in [1, range] derived from a name (X-Ray sampling rule priorities). */
export function stableNumber(name: string, range: number): number {
  return (parseInt(createHash("sha256").update(name).digest("hex").slice(0, 8), 16) % range) + 1;
}

/** A short, stable hex digest of a name, for ids that must not depend on order or collide when cut. */
export function stableHash(name: string, length = 12): string {
  return createHash("sha256").update(name).digest("hex").slice(0, length);
}
