import { Construct } from "constructs";
import { Dashboard } from "../../.gen/providers/grafana/dashboard";
import { Folder } from "../../.gen/providers/grafana/folder";
import { RuleGroup as GrafanaRuleGroupResource } from "../../.gen/providers/grafana/rule-group";
import { grafanaRuleGroups } from "../../alerts/render/grafanaRules";
import type { RuleGroup } from "../../alerts/ruleModel";
import type { ServiceModel } from "../../service/model";
import { boundedName } from "../naming";
import { literalText } from "../terraformText";

/** A dashboard ready for Grafana: uid, title and the dashboard JSON. */
export interface DashboardSpec {
  readonly kind: string;
  readonly uid: string;
  readonly title: string;
  readonly json: string;
}

export interface ServiceGrafanaProps {
  readonly model: ServiceModel;
  readonly environment: string;
  /** The service's rule groups; the alerts among them become Grafana-managed rules. */
  readonly ruleGroups: readonly RuleGroup[];
  /** The service's dashboards. */
  readonly dashboards: readonly DashboardSpec[];
  /** uid of the AMP data source the alert queries run on. */
  readonly prometheusDataSourceUid: string;
}

/** One service in Grafana: its folder, three dashboards and its alert rule groups. */
export class ServiceGrafana extends Construct {
  readonly folder: Folder;

  constructor(scope: Construct, id: string, props: ServiceGrafanaProps) {
    super(scope, id);
    literalText(this); // description text reaches Terraform as literal text, never as a template
    const { model } = props;
    this.folder = new Folder(this, "folder", {
      title: `${model.name} (${model.team})`,
      // Grafana folder uids hold at most 40 characters; a longer one is cut with a hash, never bare.
      uid: boundedName(["mlobs", props.environment, model.name], 40),
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
    for (const g of grafanaRuleGroups(props.ruleGroups, props.prometheusDataSourceUid))
      new GrafanaRuleGroupResource(this, `rules-${g.name}`, { ...g, folderUid });
  }
}
