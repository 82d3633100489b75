/**
 * Data-quality signals: how often a declared feature is missing or defaulted, and how often
 * requests violate the input schema. These break a model silently (it still answers, from
 * defaults), and they typically start with a release of the service or of an upstream producer.
 * Ratios are per served request (see requests.ts) and per declared drift feature: a bounded label
 * set, even if a client emits feature names it should not.
 */
import type { ServiceModel } from "../../service/model";
import type { RuleContext } from "../alertMeta";
import { TICKET_INTERVAL } from "../cadence";
import { num, quote, selector } from "../promql";
import type { AlertRule, RecordingRule, RuleGroup } from "../ruleModel";
import { DATA_QUALITY_RULE, DATA_QUALITY_WINDOWS, SIGNAL_ALERT, SIGNAL_CAUSE, SIGNAL_LABEL, SIGNAL_PANEL } from "../signalNames";
import { ratioZeroFilled, recorded, serviceLabels } from "./expr";
import { requestRate } from "./requests";
import { TICKET_FOR, signalTicket } from "./tickets";

const [SHORT, LONG] = DATA_QUALITY_WINDOWS;

export function dataQualityRules(model: ServiceModel): RecordingRule[] {
  const m = model.metrics;
  const rules: RecordingRule[] = [];
  const perRequest = (counter: string, matchers: string[], window: string) =>
    ratioZeroFilled(`sum(rate(${counter}${selector(model, ...matchers)}[${window}]))`, requestRate(model, window));
  for (const f of model.drift.features) {
    const feature = [`${m.labels.feature}=${quote(f.name)}`];
    const labels = serviceLabels(model, { [SIGNAL_LABEL.feature]: f.name });
    for (const w of DATA_QUALITY_WINDOWS)
      rules.push(
        { record: DATA_QUALITY_RULE.missing(w), expr: perRequest(m.featureMissing.name, feature, w), labels },
        { record: DATA_QUALITY_RULE.defaulted(w), expr: perRequest(m.featureDefaulted.name, feature, w), labels },
      );
  }
  for (const w of DATA_QUALITY_WINDOWS)
    rules.push({ record: DATA_QUALITY_RULE.schemaViolations(w), expr: perRequest(m.schemaViolations.name, [], w), labels: serviceLabels(model) });
  return rules;
}

/**
 * Missing features above the limit over both 1h and 5m, the burn-rate pattern: the 1h ratio says
 * it is not a blip, the 5m ratio that it is still happening, so the ticket resolves minutes after
 * a fix (a release rolled back) instead of an hour later.
 */
export function missingFeatureTicket(model: ServiceModel, ctx: RuleContext): AlertRule {
  const max = num(model.drift.maxMissingFeatureRatio);
  return signalTicket(model, ctx, {
    name: SIGNAL_ALERT.featureMissing,
    expr: `${recorded(model, DATA_QUALITY_RULE.missing(LONG))} > ${max}\nand\n${recorded(model, DATA_QUALITY_RULE.missing(SHORT))} > ${max}`,
    for: TICKET_FOR.featureMissing,
    summary: `${model.name}: an input feature is often missing`,
    description:
      `Feature {{ $labels.${SIGNAL_LABEL.feature} }} is missing in {{ $value | humanizePercentage }} of requests over the last ${LONG} ` +
      `(limit ${num(model.drift.maxMissingFeatureRatio * 100)}%). The model scores these requests from defaults; ` +
      `check the latest release of the service and of the feature's producer.`,
    dashboard: "drift",
    panelKey: SIGNAL_PANEL.missingFeatures,
    cause: SIGNAL_CAUSE.dataQuality,
  });
}

export function dataQualityGroup(model: ServiceModel, ctx: RuleContext): RuleGroup {
  const alerts = model.drift.features.length > 0 ? [missingFeatureTicket(model, ctx)] : [];
  return { name: `${model.name}-signals-data-quality`, interval: TICKET_INTERVAL, rules: [...dataQualityRules(model), ...alerts] };
}
