/**
 * Slices and the canary track: labels the service's request, latency, error and quality series
 * carry (HTTP server duration, stage span metrics, GenAI call durations and time to first token,
 * evaluation scores, hallucinations, refusals, feedback), so an incident can be read per region,
 * tenant tier or deployment track. Dashboards only: no rule reads them, so recording rules and
 * alerts keep their cardinality.
 *
 *  - `slices`: the dashboards get a `slice` variable that splits every raw latency, error and
 *    quality panel by one of these labels.
 *  - `canary`: a deployment-track label and its two values; the operational dashboard gets a
 *    "Canary vs baseline" row. A separate label rather than the model version: the model version
 *    is only on evaluation and feedback series (not on HTTP or span metrics), and its values
 *    change with every release, while a track keeps the same two values a description can name.
 */
import type { MetricContract } from "../metricContract";
import { arr, obj, req, str, type Loose, type Output, type RefineContext } from "../schemaDsl";
import { labelName } from "./common";

/** Slices a service may declare: each one multiplies the series of every sliced family by its values. */
export const MAX_SLICES = 4;

/**
 * Label names no slice may use: Prometheus' own (`le`, `quantile`, `__*`), the target labels every
 * scrape adds (`job`, `instance`), the labels the generated rules add (`service`, `team`, `slo`,
 * `severity`, `window`) and `none`, the slice variable's "do not split" option.
 */
const RESERVED = ["le", "quantile", "job", "instance", "service", "team", "slo", "severity", "window", "none"] as const;

/** Label values of the track: plain words, so they read the same in PromQL, legends and Markdown. */
const TRACK_VALUE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const trackValue = (what: string) => str(what, { pattern: TRACK_VALUE, patternHint: "use 1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit" });

const SLICE_SCHEMA = obj("A label to split panels by.", {
  label: req(labelName("Label name on the service's request, latency, error and quality series, with a few values (e.g. region, tenant_tier).")),
  description: str("What the label tells apart, shown in the dashboards' slice picker.", { maxLength: 200 }),
});

export const SLICES_SCHEMA = arr(
  `Low-cardinality labels the service's request, latency, error and quality series carry (at most ${MAX_SLICES}); the dashboards get a \`slice\` variable splitting every latency, error and quality panel by one of them (default: none).`,
  SLICE_SCHEMA,
  { uniqueBy: "label", maxItems: MAX_SLICES },
);

export const CANARY_SCHEMA = obj(
  "The deployment track label that tells canary from baseline traffic on the same series as the slices; adds a Canary vs baseline row to the operational dashboard (default: none).",
  {
    label: req(labelName("Label name of the deployment track (e.g. track).")),
    canary: req(trackValue("Value of the label on canary traffic (e.g. canary).")),
    baseline: req(trackValue("Value of the label on baseline traffic (e.g. stable).")),
  },
);

type SlicesOutput = Output<typeof SLICES_SCHEMA>;
type CanaryOutput = Output<typeof CANARY_SCHEMA>;

/** Why a label cannot split panels, or undefined when it can. */
function labelProblem(label: string, metrics: MetricContract, selectorKeys: readonly string[]): string | undefined {
  if (label.startsWith("__")) return "starts with __, which Prometheus reserves for its own labels; use a plain label name";
  if ((RESERVED as readonly string[]).includes(label)) return `is reserved (${RESERVED.join(", ")}); use the label that tells the slices apart, e.g. region`;
  const contract = Object.entries(metrics.labels).find(([, v]) => v === label);
  if (contract) return `is the metric contract's ${contract[0]} label, which panels already split by; use another label`;
  if (selectorKeys.includes(label)) return "is a selector label, which has one value for the service; use a label with several values";
  return undefined;
}

/** Label names usable for splitting; a canary whose two values differ. */
export function checkSlices(
  slices: Loose<SlicesOutput> | undefined,
  canary: Loose<CanaryOutput> | undefined,
  metrics: MetricContract,
  selectorKeys: readonly string[],
  ctx: RefineContext,
): void {
  (slices ?? []).forEach((s, i) => {
    const problem = s?.label === undefined ? undefined : labelProblem(s.label, metrics, selectorKeys);
    if (problem) ctx.issue(`slices[${i}].label`, `${s?.label} ${problem}`);
  });
  if (canary === undefined) return;
  const problem = canary.label === undefined ? undefined : labelProblem(canary.label, metrics, selectorKeys);
  if (problem) ctx.issue("canary.label", `${canary.label} ${problem}`);
  if (canary.canary !== undefined && canary.canary === canary.baseline)
    ctx.issue("canary.baseline", `is the same value as canary.canary (${canary.canary}); name the label's value on baseline traffic, e.g. stable`);
}
