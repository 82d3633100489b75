/**
 * PII masking on every log tier that can carry prompts: all four tiers (errors, standard, audit,
 * debug) of every service log group need a CloudWatch data-protection policy that masks
 * (`Deidentify`), not only audits. Prompts and answers end up in any tier's exception text.
 */
import { obj, referenceExpression, resourcesOf, str, type Resource, type SynthOutput } from "../../review/synthOutput";
import type { Finding, LintRule } from "../finding";

export const PII_MASKING: LintRule = {
  id: "pii-masking",
  summary: "every service log group (all four tiers) has a data-protection policy that masks PII (Deidentify)",
};

/** Does the policy's log_group_name point at this group (reference or literal name)? */
function protects(policy: Resource, group: Resource): boolean {
  const target = str(policy.body.log_group_name) ?? "";
  const ref = referenceExpression(target);
  if (ref) return ref === `${group.address}.name` || ref === `${group.address}.id`;
  return target !== "" && target === str(group.body.name);
}

export function piiFindings(output: SynthOutput): Finding[] {
  const findings: Finding[] = [];
  for (const stack of output.stacks.filter((s) => s.kind === "service")) {
    const policies = resourcesOf(stack, "aws_cloudwatch_log_data_protection_policy");
    for (const group of resourcesOf(stack, "aws_cloudwatch_log_group")) {
      const tier = str(obj(group.body.tags).tier);
      const what = `log group ${str(group.body.name) ?? group.path}${tier ? ` (${tier} tier)` : ""}`;
      const mine = policies.filter((p) => protects(p, group));
      const at = { rule: PII_MASKING.id, environment: stack.environment, service: stack.part, address: `${stack.name}: ${group.address}` };
      if (mine.length === 0)
        findings.push({
          ...at,
          message: `${what} has no data-protection policy: prompts, answers and user data land in it unmasked`,
          fix: "keep logs.maskPii true (the default) in the service description; ServiceObservability adds a masking policy to every tier",
        });
      else if (!mine.some((p) => (str(p.body.policy_document) ?? "").includes("Deidentify")))
        findings.push({
          ...at,
          message: `${what} has a data-protection policy that only audits: PII is found but not masked`,
          fix: "add a Deidentify (MaskConfig) statement to the policy, as ServiceObservability's policy has",
        });
    }
  }
  return findings;
}
