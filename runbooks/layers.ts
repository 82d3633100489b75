/**
 * The layers an incident is classified into, as the incident runbook names them, with the sign
 * that points at each. Signs name the fields of the log contract (service/logContract.ts) that
 * tell the layers apart: every record carries the versions of what served it, so "what changed
 * when it started" is one query (logQueries.ts `versionsInPlay`).
 */
import { LOG_FIELDS } from "../service/logContract";
import type { ServiceModel } from "../service/model";
import type { ServiceKind } from "../service/types";

export const LAYERS = ["serving", "retrieval", "model behaviour", "tool action", "policy", "data", "product integration"] as const;
export type Layer = (typeof LAYERS)[number];

const f = LOG_FIELDS;
const field = (name: string) => `\`${name}\``;

/** The generic sign of each layer; a playbook may say something sharper for its alert. */
const LAYER_SIGN: Readonly<Record<Layer, string>> = {
  serving: `errors or latency sit in one stage, replica or ${field(f.region)}; saturation or queue depth is high; ${field(f.errorType)} names timeouts or capacity errors`,
  retrieval: `the retrieve or rerank stage is slow or failing, or answers got worse right after ${field(f.retrievalIndexVersion)} changed`,
  "model behaviour": `${field(f.modelVersion)} or ${field(f.promptVersion)} changed when it started; scores, refusals or answer length moved with it`,
  "tool action": "a tool or function-call step errors, retries or loops; calls and tokens per request jump",
  policy: `${field(f.policyVersion)} changed; refusals or blocked answers rose while the model and prompt stayed the same`,
  data: `${field(f.inputSchemaVersion)} changed, features go missing or fall back to defaults, or the inputs drifted`,
  "product integration": "one caller, client release or region changed its traffic: volume or request mix moved while none of our versions did",
};

/** The generic sign of a layer for a service (a model endpoint has no prompt). */
export function layerSign(model: Pick<ServiceModel, "kind">, layer: Layer): string {
  if (layer === "model behaviour" && model.kind === "model-endpoint")
    return `${field(f.modelVersion)} changed when it started; the prediction scores or the accuracy moved with it`;
  return LAYER_SIGN[layer];
}

/** Layers a kind of service has no part for: a model endpoint retrieves nothing and calls no tools. */
const ABSENT: Readonly<Record<ServiceKind, readonly Layer[]>> = {
  "model-endpoint": ["retrieval", "tool action", "policy"],
  "rag-pipeline": ["tool action"],
  "llm-gateway": ["retrieval"],
  // An agent may retrieve through a tool, so every layer stays on its pages.
  agent: [],
  custom: [],
};

/** The layers a service has, in LAYERS order. */
export const layersOf = (model: Pick<ServiceModel, "kind">): Layer[] => LAYERS.filter((l) => !ABSENT[model.kind].includes(l));

/** The layers a service lacks (the page names them, so a reader knows they were not forgotten). */
export const absentLayers = (model: Pick<ServiceModel, "kind">): readonly Layer[] => ABSENT[model.kind];
