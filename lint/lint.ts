/**
 * `mlobs lint`: policy checks on a synthesized output (`cdktf.out`), independent of how it was
 * generated. Pure: parsed stacks in, sorted findings out.
 */
import type { SynthOutput } from "../review/synthOutput";
import { sortFindings, type Finding, type LintRule } from "./finding";
import { ALERT_FATIGUE, alertFatigueFindings } from "./rules/alertFatigue";
import { cardinalityFindings, HIGH_CARDINALITY } from "./rules/cardinality";
import { ownershipFindings, SERVICE_OWNERSHIP } from "./rules/ownership";
import { PII_MASKING, piiFindings } from "./rules/piiMasking";
import { SECRET_LITERAL, secretFindings } from "./rules/secrets";
import { templateFindings, UNESCAPED_TEMPLATE } from "./rules/templates";

export interface LintOptions {
  /**
   * Most paging rules a service may have.
   * @default - the service's `paging-budget` tag when synthesized, else 6 (the project's default)
   */
  readonly pagingBudget?: number;
}

export const LINT_RULES: readonly LintRule[] = [ALERT_FATIGUE, SECRET_LITERAL, HIGH_CARDINALITY, SERVICE_OWNERSHIP, PII_MASKING, UNESCAPED_TEMPLATE];

export function lintOutput(output: SynthOutput, options: LintOptions = {}): Finding[] {
  return sortFindings([
    ...alertFatigueFindings(output, options),
    ...secretFindings(output),
    ...cardinalityFindings(output),
    ...ownershipFindings(output),
    ...piiFindings(output),
    ...output.stacks.flatMap(templateFindings),
  ]);
}
