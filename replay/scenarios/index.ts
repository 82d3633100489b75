/**
 * The incident catalog, replayed against the example services (examples/rag-assistant.yaml and
 * examples/fraud-scoring.yaml): the scenarios the tests assert and the benchmark measures.
 */
import type { ServiceModel } from "../../service/model";
import type { Scenario } from "../scenario";
import { cacheMissLatency } from "./cacheMisses";
import { costRunaway } from "./costRunaway";
import { embeddingLeak } from "./embeddingLeak";
import { budgetHourBurst, sharpBurst } from "./errorBursts";
import { healthyDay } from "./healthy";
import { inputDrift } from "./inputDrift";
import { silentRelease } from "./silentRelease";

export { healthyDay } from "./healthy";

export interface ExampleServices {
  readonly rag: ServiceModel;
  readonly fraud: ServiceModel;
}

export function exampleServices(models: readonly ServiceModel[]): ExampleServices {
  const find = (name: string) => {
    const m = models.find((x) => x.name === name);
    if (!m) throw new Error(`the replay scenarios need the example service ${name}; got ${models.map((x) => x.name).join(", ")}`);
    return m;
  };
  return { rag: find("rag-assistant"), fraud: find("fraud-scoring") };
}

/** Every incident scenario, in the order of the issue. */
export function incidentScenarios({ rag, fraud }: ExampleServices): Scenario[] {
  return [
    embeddingLeak(rag),
    budgetHourBurst(rag),
    sharpBurst(rag),
    silentRelease(fraud),
    inputDrift(fraud),
    costRunaway(rag),
    cacheMissLatency(rag),
  ];
}

export function healthyScenarios({ rag, fraud }: ExampleServices): Scenario[] {
  return [healthyDay(rag), healthyDay(fraud)];
}
