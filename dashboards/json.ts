/**
 * Dashboard JSON with a stable key order: keys sorted at every level, two-space indent, so the
 * same model always gives the same bytes whatever order builders set fields in.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

/**
 * A copy with every object's keys inserted in sorted order (UTF-16 code units, as `<` compares)
 * and undefined values left out; arrays keep their order. Every object becomes a plain one of its
 * own enumerable keys, as `Object.entries` would give them.
 *
 * Hot at scale (a dashboard model per service and kind), so it skips the sort when the keys are
 * already in order and copies by assignment rather than `Object.fromEntries`; the resulting key
 * order is the same (index-like keys such as "10" still come first, in numeric order, as in any
 * JavaScript object).
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = sortKeys(value[i]);
    return out;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    // Assigning `__proto__` would set the prototype; define it as an own key instead.
    if (k === "__proto__") Object.defineProperty(out, k, { value: sortKeys(v), enumerable: true, writable: true, configurable: true });
    else out[k] = sortKeys(v);
  }
  return out;
}
