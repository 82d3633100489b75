import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Dashboard } from "../../.gen/providers/grafana/dashboard";
import { Folder } from "../../.gen/providers/grafana/folder";
import { MuteTiming } from "../../.gen/providers/grafana/mute-timing";
import { RuleGroup as GrafanaRuleGroupResource } from "../../.gen/providers/grafana/rule-group";
import { grafanaMuteTimings, INLINE_TEXT } from "../../alerts/render/grafanaPolicy";
import { grafanaRuleGroups } from "../../alerts/render/grafanaRules";
import { perRuleRouting } from "../../alerts/routing";
import type { RuleGroup } from "../../alerts/ruleModel";
import type { ServiceModel } from "../../service/model";
import { folderTitle } from "../../service/names";
import type { AlertRouting } from "../../service/types";
import { boundedName } from "../../service/naming";
import type { IObservabilityPlatform } from "../platformContract";
import { literalText } from "../terraformText";
import { ContactPoints } from "./contactPoints";
import { serviceRunbooks } from "../../runbooks";
import { RunbookPages } from "./runbookPages";

/** A dashboard ready for Grafana: uid, title and the dashboard JSON. */
export interface DashboardSpec {
  readonly kind: string;
  readonly uid: string;
  readonly title: string;
  readonly json: string;
}

export interface ServiceGrafanaProps {
  readonly model: ServiceModel;
  /**
   * The environment's platform (live, `fromEnvironment` or `fromAttributes`): its environment name
   * and the uid of the AMP data source the alert queries run on.
   */
  readonly platform: Pick<IObservabilityPlatform, "environment" | "prometheusDataSourceUid">;
  /** The service's rule groups; the alerts among them become Grafana-managed rules. */
  readonly ruleGroups: readonly RuleGroup[];
  /** The service's dashboards. */
  readonly dashboards: readonly DashboardSpec[];
  /**
   * How the alerts reach people: `policy`, through the org's notification policy (the
   * environment's ObservabilityGrafana routes the team); `per-rule`, each rule names one of the
   * service's own contact points (`<service>-page`, `<service>-ticket`, with the secrets read from
   * SSM / Secrets Manager) and tickets wait outside business hours by the service's own mute
   * timing (`<service>-outside-business-hours`).
   * @default - the description's `alerting.routing` ("policy" unless set)
   */
  readonly routing?: AlertRouting;
  /**
   * What the runbook pages written next to the stack (`runbooks/<service>/<slug>.md`, one per alert) name:
   * the service's log group prefix and the Grafana URL of the alerts' dashboard links.
   * @default - the log groups under `/observability/<environment>/<service>`, root-relative dashboard links
   */
  readonly runbookLinks?: { readonly logGroupPrefix?: string; readonly grafanaUrl?: string };
}

/**
 * One service in Grafana: its folder, three dashboards and its alert rule groups, with the runbook
 * page of every alert written next to the stack; with per-rule routing also its contact points and
 * mute timing.
 */
export class ServiceGrafana extends Construct {
  readonly folder: Folder;

  constructor(scope: Construct, id: string, props: ServiceGrafanaProps) {
    super(scope, id);
    literalText(this); // description text reaches Terraform as literal text, never as a template
    const { model } = props;
    this.folder = new Folder(this, "folder", {
      title: folderTitle(model.name, model.team),
      // Grafana folder uids hold at most 40 characters; a longer one is cut with a hash, never bare.
      uid: boundedName(["mlobs", props.platform.environment, model.name], 40),
    });
    // One reference token for every use: each attribute read mints a token, and cdktf records a
    // full stack trace for each one (measurable with hundreds of services).
    const folderUid = this.folder.uid;
    for (const d of props.dashboards)
      new Dashboard(this, `dashboard-${d.kind}`, {
        folder: folderUid,
        configJson: d.json,
        overwrite: true,
        message: "ml-observability-stack",
      });
    const perRule = (props.routing ?? model.alerting.routing) === "per-rule";
    const routing = perRule ? perRuleRouting(model) : undefined;
    // Grafana refuses a rule naming a contact point or mute timing it does not know yet.
    const routedBy: ITerraformDependable[] = [];
    if (routing) {
      // Inline text: the shared message template belongs to the platform repository's Grafana
      // stack, which a team deploying alone cannot count on.
      const contactPoints = new ContactPoints(new Construct(this, "contact-points"), new Construct(this, "secrets"), INLINE_TEXT);
      for (const r of routing.receivers) routedBy.push(contactPoints.add(r.name, r));
      for (const m of grafanaMuteTimings(routing)) routedBy.push(new MuteTiming(this, `mute-${m.name}`, m));
    }
    for (const g of grafanaRuleGroups(props.ruleGroups, props.platform.prometheusDataSourceUid, routing))
      new GrafanaRuleGroupResource(this, `rules-${g.name}`, { ...g, folderUid, ...(routedBy.length ? { dependsOn: routedBy } : {}) });
    const runbooks = { environment: props.platform.environment, ...props.runbookLinks };
    new RunbookPages(this, "runbooks", model.name, serviceRunbooks(model, runbooks, props.ruleGroups, props.dashboards));
  }
}
