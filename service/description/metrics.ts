/** The `metrics` section: per-service overrides of the metric contract, mirroring its shape. */
import { DEFAULT_METRIC_CONTRACT, METRIC_KEYS, isHistogram, type MetricContract, type MetricKey } from "../metricContract";
import { declared, obj, str, type Loose, type Node } from "../schemaDsl";
import { buckets, labelName, metricName } from "./common";

type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]> };
export type MetricContractOverrides = DeepPartial<MetricContract>;

/**
 * Histograms whose bucket boundaries something reads: SLO and score thresholds must sit on them
 * (httpRequestDuration, stageDuration, evaluationScore), the collector's span metrics and its
 * decision wait use them, drift compares shares per bucket. Quantile panels of the others work with
 * whatever buckets the service emits, so overriding those buckets would change nothing.
 */
const BUCKETS_READ: ReadonlySet<MetricKey> = new Set<MetricKey>([
  "httpRequestDuration",
  "stageDuration",
  "evaluationScore",
  "featureValue",
  "predictionScore",
  "genAiTokenUsage",
  "embeddingDrift",
  // serving and agent limits sit on these boundaries
  "queueTime",
  "timePerOutputToken",
  "stepsPerTask",
  "retrievalChunkScore",
]);

function overrideFields(): Record<string, Node> {
  const fields: Record<string, Node> = {
    labels: obj(
      "Label names.",
      Object.fromEntries(Object.entries(DEFAULT_METRIC_CONTRACT.labels).map(([k, v]) => [k, labelName(`Label name (default ${v}).`)])),
    ),
    values: obj(
      "Label values the rules compare against.",
      Object.fromEntries(
        Object.entries(DEFAULT_METRIC_CONTRACT.values).map(([k, v]) => [
          k,
          k === "httpServerErrorRegex"
            ? str(`RE2 regular expression of HTTP status codes that count as server errors (default ${v}).`, { minLength: 1, maxLength: 200, re2: true })
            : str(`Label value (default ${v}).`, { minLength: 1, maxLength: 200 }),
        ]),
      ),
    ),
  };
  for (const key of METRIC_KEYS) {
    const m = DEFAULT_METRIC_CONTRACT[key];
    fields[key] = obj(
      `Override of the ${key} metric (default ${m.name}).`,
      isHistogram(m)
        ? { name: metricName("Base metric name."), ...(BUCKETS_READ.has(key) ? { buckets: buckets("Histogram bucket upper bounds.") } : {}) }
        : { name: metricName("Metric name.") },
    );
  }
  return fields;
}

/** Overrides accept any subset of the contract with the same shape (built from the contract, so typed by it). */
export const METRICS_SCHEMA = declared<MetricContractOverrides>(obj("Overrides of the metric contract.", overrideFields()));

/** The default contract with the service's overrides merged in, key by key. */
export function resolveContract(o: Loose<MetricContractOverrides> | undefined): MetricContract {
  const merged: MetricContract = {
    ...DEFAULT_METRIC_CONTRACT,
    labels: { ...DEFAULT_METRIC_CONTRACT.labels, ...o?.labels },
    values: { ...DEFAULT_METRIC_CONTRACT.values, ...o?.values },
  };
  return Object.assign(merged, Object.fromEntries(METRIC_KEYS.map((key) => [key, { ...DEFAULT_METRIC_CONTRACT[key], ...o?.[key] }])));
}
