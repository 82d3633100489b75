/**
 * How the validator names places and values in its messages: field paths in the user's terms, values
 * shown short and never a pasted credential, and "did you mean" suggestions for misspelt keys.
 */
import { aKind, findSecrets } from "../secrets";

export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  // A key pasted where a value belongs is not echoed in the path either.
  const leaked = findSecrets(key)[0];
  if (leaked) return `${base}[(${leaked.kind}, masked: ${leaked.masked})]`;
  // Keys that are not plain names (empty, spaces, dots) are quoted so the path still shows them.
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === "" ? key : `${base}.${key}`;
}

export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  // YAML spells these .nan / .inf; JSON.stringify would print null.
  if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
  const s = JSON.stringify(value);
  // No message echoes a pasted key, not even its start in a cut-off value.
  const leaked = findSecrets(s)[0];
  if (leaked) return `(not shown: holds ${aKind(leaked.kind)}, masked: ${leaked.masked})`;
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** What a value is, for "expected X, got …": its kind and the value; an empty YAML document or a key with no value is null. */
export function got(value: unknown): string {
  return value === null || value === undefined ? "nothing (an empty file or a key with no value)" : `${kindOf(value)} ${show(value)}`;
}

export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Closest candidate by edit distance, to suggest a fix for a misspelt key. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** "nearest are 1.28 and 2.56": the allowed values around one that is not allowed. */
export function nearestValues(value: number, allowed: readonly number[]): string {
  const below = [...allowed].reverse().find((b) => b < value);
  const above = allowed.find((b) => b > value);
  if (below === undefined) return `the smallest is ${above}`;
  if (above === undefined) return `the largest is ${below}`;
  return `nearest are ${below} and ${above}`;
}
