/** The example RAG assistant's generated rules, and `promtool test rules` on them. */
import { join } from "node:path";
import { serviceRuleGroups } from "../../alerts";
import { renderRuleFile } from "../../alerts/render/prometheusRules";
import { loadServicesFile } from "../../service/load";
import { testRules, type PromtoolTestCase } from "./promtool";

export const rag = loadServicesFile(join(__dirname, "../../examples/rag-assistant.yaml"))[0];
export const ruleContext = { environment: "prod" };
export const ragRules = renderRuleFile(serviceRuleGroups(rag, ruleContext));

/** `promtool test rules` on the RAG assistant's rules: one case, sampled every minute. */
export function testRagRules(inputSeries: PromtoolTestCase["input_series"], exprTests: NonNullable<PromtoolTestCase["promql_expr_test"]>): void {
  testRules(ragRules, [{ interval: "1m", input_series: inputSeries, promql_expr_test: exprTests }]);
}
