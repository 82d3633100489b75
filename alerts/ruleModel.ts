/**
 * Plain data for Prometheus rules: what every generator in alerts/ returns and every renderer
 * (Prometheus rule-file YAML, AMP rule-group namespace, Grafana rule groups) reads.
 */

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export type Severity = "page" | "ticket";

export interface AlertRule {
  /** CamelCase alert name with the shared prefix (see conventions.ts). */
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration the condition must hold, e.g. "2m". */
  readonly for?: string;
  /** Must include service, team, severity (and slo for SLO alerts). */
  readonly labels: Readonly<Record<string, string>>;
  /** Must include summary, description, runbook_url, dashboard_url. */
  readonly annotations: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertRule;

export interface RuleGroup {
  /** Unique within a service's rule namespace. */
  readonly name: string;
  /** Evaluation interval, e.g. "1m". */
  readonly interval: string;
  readonly rules: readonly Rule[];
}

export const isAlert = (r: Rule): r is AlertRule => "alert" in r;

/**
 * A copy of the labels or annotations `o` with keys inserted in sorted order (UTF-16 code units,
 * as `<` compares), each value passed through `map`, so renderers print them in a stable order.
 * Assignment rather than `Object.fromEntries` for speed; `__proto__` as a key is defined as an
 * own property (assigning it would set the prototype).
 */
export function sortedRecord(o: Readonly<Record<string, string>>, map?: (value: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(o).sort()) {
    const v = map ? map(o[k]) : o[k];
    if (k === "__proto__") Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
