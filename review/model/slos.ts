/**
 * SLOs of one environment, read back from the synthesized recording rules (the metadata rules
 * `slo:info`, `slo:objective:ratio`, `slo:time_period:days` and the shortest-window SLI error ratio,
 * all labelled `service` and `slo`), completed by the `slo` labels of Grafana alerts.
 */
import { errorRatioWindow, LABEL, SLO_RULE } from "../../alerts/conventions";
import { constantValue, durationSeconds } from "../../alerts/promql";
import { isAlert } from "../../alerts/ruleModel";
import { leMatcherBound } from "../../service/leMatcher";
import type { AlertInfo } from "./alerts";
import { ruleNamespaces } from "./ruleNamespaces";
import type { SynthOutput } from "../synthOutput";

export interface SloInfo {
  readonly service: string;
  readonly slo: string;
  /** Ratio, e.g. 0.995. */
  readonly objective?: number;
  readonly periodDays?: number;
  /** SLI kind from `slo:info` (`availability`, `latency`, `quality`, `custom`). */
  readonly sli?: string;
  readonly description?: string;
  /** Bucket bound the SLI compares with (`le`), for latency and quality SLIs. */
  readonly threshold?: number;
  /** The shortest-window SLI error-ratio expression. */
  readonly sliQuery?: string;
  /** Where it was read. */
  readonly address: string;
}

function windowSeconds(window: string): number {
  try {
    return durationSeconds(window);
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/** Every SLO of an environment, sorted by service and name. */
export function slosOf(output: SynthOutput, environment: string, alerts: readonly AlertInfo[] = []): SloInfo[] {
  type Draft = { -readonly [K in keyof SloInfo]: SloInfo[K] } & { window?: number };
  const byKey = new Map<string, Draft>();
  const draft = (service: string, slo: string, address: string): Draft => {
    const key = `${service}\u0000${slo}`;
    let d = byKey.get(key);
    if (!d) byKey.set(key, (d = { service, slo, address }));
    return d;
  };
  for (const ns of ruleNamespaces(output, environment)) {
    const address = `${ns.resource.stack.name}: ${ns.resource.address}`;
    for (const g of ns.groups)
      for (const r of g.rules) {
        if (isAlert(r) || !r.labels) continue;
        const service = r.labels[LABEL.service];
        const slo = r.labels[LABEL.slo];
        if (!service || !slo) continue;
        const d = draft(service, slo, address);
        const window = errorRatioWindow(r.record);
        if (r.record === SLO_RULE.info) {
          d.sli = r.labels.sli;
          d.description = r.labels.description;
          if (r.labels.objective !== undefined && d.objective === undefined) d.objective = Number(r.labels.objective);
        } else if (r.record === SLO_RULE.objective) d.objective = constantValue(r.expr) ?? d.objective;
        else if (r.record === SLO_RULE.periodDays) d.periodDays = constantValue(r.expr);
        else if (window !== undefined && windowSeconds(window) < (d.window ?? Number.MAX_SAFE_INTEGER)) {
          d.window = windowSeconds(window);
          d.sliQuery = r.expr;
          d.threshold = leMatcherBound(r.expr);
        }
      }
  }
  // SLOs only Grafana alerts know of (no recording rules synthesized): objective unknown.
  for (const a of alerts) {
    const slo = a.rule.labels[LABEL.slo];
    if (slo && !byKey.has(`${a.service}\u0000${slo}`)) draft(a.service, slo, a.address);
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { window: _window, ...d }]) => d);
}

/** Minutes of error budget in one period: (1 - objective) x period. */
export function budgetMinutes(s: Pick<SloInfo, "objective" | "periodDays">): number | undefined {
  if (s.objective === undefined || s.periodDays === undefined) return undefined;
  return Number(((1 - s.objective) * s.periodDays * 24 * 60).toPrecision(10));
}
