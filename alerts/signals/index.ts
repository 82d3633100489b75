/**
 * Quality, drift, data-quality, cost, safety, retrieval and judge-calibration signals computed inside Prometheus: recording rules that
 * are pure functions of the model (names in alerts/signalNames.ts), plus tickets (never pages)
 * when a signal crosses the service's declared limits. One group per signal family, each named
 * `<service>-signals-<family>`; families with nothing to watch produce no group.
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import type { RuleGroup } from "../ruleModel";
import { agentGroup } from "./agent";
import { costGroup } from "./cost";
import { dataQualityGroup } from "./dataQuality";
import { featureDriftGroup } from "./featureDrift";
import { outputDriftGroup } from "./outputDrift";
import { judgeGroup } from "./judge";
import { qualityGroup, qualityTileGroup } from "./quality";
import { servingGroup } from "./serving";
import { retrievalGroup } from "./retrieval";
import { safetyGroup } from "./safety";

export function signalRuleGroups(model: ServiceModel, ctx: RuleContext): RuleGroup[] {
  const groups = [
    featureDriftGroup(model, ctx),
    outputDriftGroup(model, ctx),
    dataQualityGroup(model, ctx),
    qualityTileGroup(model),
    qualityGroup(model, ctx),
    safetyGroup(model, ctx),
    retrievalGroup(model, ctx),
    judgeGroup(model, ctx),
    costGroup(model, ctx),
    servingGroup(model, ctx),
    agentGroup(model, ctx),
  ];
  return groups.filter((g): g is RuleGroup => g !== undefined && g.rules.length > 0);
}
