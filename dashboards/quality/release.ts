/**
 * How the quality dashboard names a release in legends: the model version, and for a service
 * declaring retrieval also the index version its per-release series carry (alerts/signals/release.ts).
 */
import { SIGNAL_LABEL } from "../../alerts/signalNames";
import type { ServiceModel } from "../../service/model";

export function releaseLegend(model: ServiceModel): string {
  const version = `{{${SIGNAL_LABEL.modelVersion}}}`;
  return model.quality.retrieval ? `${version} / index {{${SIGNAL_LABEL.indexVersion}}}` : version;
}
