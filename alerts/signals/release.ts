/**
 * What a release is, for the signals that compare releases: the model version, and for a service
 * declaring retrieval also the index version (a re-index changes answers as much as a new model),
 * so every per-release series and panel splits by both. Also the day-long sum of an hourly tile
 * that the 1d ratios of quality, safety and retrieval share.
 */
import type { ServiceModel } from "../../service/model";
import { SIGNAL_LABEL } from "../signalNames";
import { recorded, type LabelPair } from "./expr";

/** Signal and contract labels of a release. The index version is read only when retrieval is declared. */
export function releaseLabels(model: ServiceModel): LabelPair[] {
  const L = model.metrics.labels;
  const pairs: LabelPair[] = [[SIGNAL_LABEL.modelVersion, L.modelVersion]];
  if (model.quality.retrieval) pairs.push([SIGNAL_LABEL.indexVersion, L.indexVersion]);
  return pairs;
}

/** `sum by (<by>) (sum_over_time(<tile>{service,...extra}[window]))`: a window's sum of an hourly tile. */
export function tileSum(model: ServiceModel, tile: string, by: readonly LabelPair[], window: string, extra: Readonly<Record<string, string>> = {}): string {
  return `sum by (${by.map(([s]) => s).join(", ")}) (sum_over_time(${recorded(model, tile, extra)}[${window}]))`;
}
