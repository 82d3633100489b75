/**
 * Dashboard JSON with a stable key order: keys sorted at every level, two-space indent, so the
 * same model always gives the same bytes whatever order builders set fields in.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

/**
 * The value with every object's keys in sorted order (UTF-16 code units, as `<` compares); arrays
 * keep their order. `JSON.stringify` writes keys in insertion order, so an object whose keys are
 * out of order is copied with them inserted sorted (undefined values left out, as `stringify`
 * would), and every object becomes a plain one of its own enumerable keys, as `Object.entries`
 * would give them.
 *
 * Hot at scale (a dashboard model per service and kind), so it allocates only what it must: a plain
 * object already in order, holding nothing that needs a copy, is returned as it is (stringify
 * gives the same bytes for it as for a copy), and key lists are sorted in place by insertion,
 * which for the few keys of a panel beats `Array.prototype.sort`'s work array. The resulting key
 * order is the same (index-like keys such as "10" still come first, in numeric order, as in any
 * JavaScript object).
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = sortKeys(value[i]);
      if (out) out[i] = v;
      else if (v !== value[i]) {
        out = value.slice(0, i);
        out[i] = v;
      }
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    if (keys[i - 1] <= k) continue;
    sorted = false;
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  const proto = Object.getPrototypeOf(obj);
  let copy = !sorted || (proto !== Object.prototype && proto !== null) || typeof (obj as { toJSON?: unknown }).toJSON === "function";
  const values = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i]];
    const s = v === undefined ? v : sortKeys(v);
    values[i] = s;
    if (s !== v) copy = true;
  }
  if (!copy) return obj;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = values[i];
    if (v === undefined) continue;
    // Assigning `__proto__` would set the prototype; define it as an own key instead.
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
