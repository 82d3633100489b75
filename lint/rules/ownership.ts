/**
 * Every service has an owner and a runbook: each tagged resource of a service stack carries
 * non-empty `owner` and `team` tags (log groups must be tagged at all), and every alert of the
 * service links an absolute `runbook_url` (from `alerting.runbookBaseUrl`).
 */
import { alertsByService } from "../../review/model/alerts";
import { environmentsOf, isObject, obj, resourcesOf, str, type StackDoc, type SynthOutput } from "../../review/synthOutput";
import type { Finding, LintRule } from "../finding";

export const SERVICE_OWNERSHIP: LintRule = {
  id: "service-ownership",
  summary: "every service's resources carry owner and team tags; every alert links an absolute runbook_url",
};

const OWNER_TAGS = ["owner", "team"] as const;

export function ownershipFindings(output: SynthOutput): Finding[] {
  return [...output.stacks.flatMap(ownerTagFindings), ...runbookFindings(output)];
}

/** Owner and team tags of one service stack (other stacks have none to check). */
export function ownerTagFindings(stack: StackDoc): Finding[] {
  const findings: Finding[] = [];
  if (stack.kind === "service")
    for (const tag of OWNER_TAGS) {
      const missing = resourcesOf(stack).filter((r) => {
        if (!isObject(r.body.tags)) return r.type === "aws_cloudwatch_log_group";
        return !str(obj(r.body.tags)[tag])?.trim();
      });
      if (missing.length === 0) continue;
      findings.push({
        rule: SERVICE_OWNERSHIP.id,
        environment: stack.environment,
        service: stack.part,
        address: `${stack.name}: ${missing[0].address}${missing.length > 1 ? ` and ${missing.length - 1} more` : ""}`,
        message: `${missing.length} resource(s) of ${stack.part} have no "${tag}" tag: nobody is on the hook for them`,
        fix: `set ${tag === "owner" ? "owner (a person, rota or email)" : "team"} in the service description; ServiceObservability tags every resource with service, team and owner`,
      });
    }
  return findings;
}

/** Every alert links an absolute runbook, per environment and service. */
export function runbookFindings(output: SynthOutput): Finding[] {
  const findings: Finding[] = [];
  for (const environment of environmentsOf(output)) {
    for (const [service, alerts] of alertsByService(output, environment)) {
      const bad = alerts.filter((a) => !/^https?:\/\/[^\s/]+/.test(a.rule.annotations.runbook_url ?? ""));
      if (bad.length === 0) continue;
      const sample = bad[0].rule.annotations.runbook_url;
      findings.push({
        rule: SERVICE_OWNERSHIP.id,
        environment,
        service,
        address: `${bad[0].address} (${bad[0].rule.alert}${bad.length > 1 ? ` and ${bad.length - 1} more alerts` : ""})`,
        message: sample
          ? `runbook_url "${sample}" is not an absolute http(s) URL: responders cannot open it from the notification`
          : `${bad.length} alert(s) have no runbook_url: responders get no first steps`,
        fix: "set alerting.runbookBaseUrl to an https:// URL in the service description; every alert links <base>/<alert-name>",
      });
    }
  }
  return findings;
}
