/**
 * Signal alerts are causes, never symptoms: they open tickets and never page (the SLO burn-rate
 * alerts page). `signalTicket` is the only way the signal modules make an alert, so none can
 * be given another severity; it goes through makeAlert for owner, runbook and dashboard links.
 */
import type { ServiceModel } from "../../service/model";
import { makeAlert, type AlertSpec, type RuleContext } from "../alertMeta";
import type { AlertRule } from "../ruleModel";
import { SIGNAL_LABEL } from "../signalNames";

/**
 * How long each condition must hold before a ticket opens. Each signal is already a windowed
 * ratio, so these only absorb noise; tickets are read in office hours, so waiting costs little.
 *
 * The groups holding these tickets evaluate every TICKET_INTERVAL (4m; drift every 5m), and a
 * `for` is checked only at evaluations: a ticket fires at the first evaluation at least `for`
 * after the one that saw the condition first, so 10m acts as 12m and 15m as 16m. Every duration
 * here spans at least two evaluations (`forDurationIssues` in alerts/cadence.ts checks it), so
 * none is a single evaluation in disguise.
 */
export const TICKET_FOR = {
  /** PSI over a 1h window is evaluated every 5m: six evaluations in a row above the threshold. */
  drift: "30m",
  /** Both the 5m and 1h ratios must be above the limit: ten minutes (four 4m evaluations) of that is not a blip. */
  featureMissing: "10m",
  /** Evaluations are sampled; half an hour of a low 1h ratio is a trend, not a bad batch. */
  quality: "30m",
  /** Feedback is sparse (a few events per minute), so wait a full hour. */
  negativeFeedback: "1h",
  /** The signal is already a 1h average; 15 more minutes rule out a single burst. */
  spend: "15m",
  /** Low utilisation for an hour while replicas grew: autoscaling overshoot, not a lull. */
  gpuWaste: "1h",
  // ---- serving and agent tickets ----
  /** Queue time, inter-token latency and cancellations over 1h: 15 more minutes rule out a single burst. */
  serving: "15m",
  /** Loops, runaway tool calls and tool errors over 1h: as serving. */
  agent: "15m",
  /** A 1h ratio; safety is more urgent than answer quality, so a quarter of an hour, not half. */
  safety: "15m",
  /** Retrieval misses and citation support over 1h move with releases and re-indexes, as quality does. */
  retrieval: "30m",
  /** Agreement over a week of sparse labels moves by the hour; an hour rules out one batch of labels. */
  judge: "1h",
} as const;

export type TicketSpec = Omit<AlertSpec, "severity" | "slo" | "labels" | "name"> & {
  readonly name: readonly string[];
  /** What kind of cause this is (`SIGNAL_CAUSE`). */
  readonly cause: string;
};

/** A ticket (never a page) named `MlObs<Service><Name>`, labelled with its cause. */
export function signalTicket(model: ServiceModel, ctx: RuleContext, spec: TicketSpec): AlertRule {
  const { cause, name, ...rest } = spec;
  return makeAlert(model, ctx, {
    ...rest,
    name: [model.name, ...name],
    severity: "ticket",
    labels: { [SIGNAL_LABEL.cause]: cause },
  });
}
