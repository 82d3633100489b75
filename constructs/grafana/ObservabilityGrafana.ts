import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { DataSource } from "../../.gen/providers/grafana/data-source";
import { MessageTemplate } from "../../.gen/providers/grafana/message-template";
import { MuteTiming } from "../../.gen/providers/grafana/mute-timing";
import { NotificationPolicy, notificationPolicyPolicyToTerraform } from "../../.gen/providers/grafana/notification-policy";
import { grafanaMuteTimings, grafanaNotificationPolicy } from "../../alerts/render/grafanaPolicy";
import { messageTemplateBody, MESSAGE_TEMPLATE_NAME } from "../../alerts/render/messageTemplate";
import {
  CATCH_ALL_RECEIVER,
  GROUP_BY,
  ROOT_TIMING,
  buildRoutingTree,
  defaultReceiverProblem,
  receiverName,
  teamReceiverIssues,
  treeMuteTimings,
  type DefaultReceiver,
  type RoutingTree,
} from "../../alerts/routing";
import { DATASOURCE_UID } from "../../service/links";
import type { ReceiverModel, ServiceModel } from "../../service/model";
import { normalizeReceiver, ValidationError } from "../../service/normalize";
import { ContactPoints } from "./contactPoints";
import { ServiceGrafana, type ServiceGrafanaProps } from "./ServiceGrafana";
import { literalText } from "../terraformText";

export interface ObservabilityGrafanaProps {
  readonly environment: string;
  /** AWS region of the environment (data sources sign requests for it). */
  readonly region: string;
  /** Query URL of the AMP workspace (a Terraform reference from the platform stack). */
  readonly prometheusUrl: string;
  /**
   * How Grafana signs AWS requests: the workspace role (Amazon Managed Grafana) or the
   * default credential chain of a self-hosted Grafana.
   * @default "ec2_iam_role"
   */
  readonly awsAuthType?: "ec2_iam_role" | "default";
  /**
   * Where alerts that match no team route go (the root of the notification policy): the name of a
   * team's contact point in this policy (`<team>-page` or `<team>-ticket`, checked at synth against
   * the services registered by then), or a receiver of its own, created as the contact point
   * "catch-all" and checked here as a description's receivers are. Required: Grafana's built-in
   * "grafana-default-email" contact point sends to a placeholder address.
   */
  readonly defaultReceiver: DefaultReceiver;
}

const DEFAULT_RECEIVER_FIX =
  'name a team\'s contact point ("<team>-page" or "<team>-ticket") or give a receiver of its own, e.g. { type: "slack", channel: "#observability-alerts", secret: "secretsmanager:observability/slack-webhook" }';

/**
 * The Grafana side of one environment: data sources with stable uids, the message template,
 * mute timings, one contact point per team and severity, and the org's ONE notification policy,
 * rendered at synth from every service registered with `registerService` or `addService`.
 */
export class ObservabilityGrafana extends Construct {
  readonly environment: string;
  readonly prometheusDataSource: DataSource;
  private readonly services: ServiceModel[] = [];
  /** Services by team: only a team's own services can disagree on its receivers. */
  private readonly byTeam = new Map<string, ServiceModel[]>();
  private readonly contactPoints: ContactPoints;
  /** Services that route per rule: their contact points are `<service>-<severity>`. */
  private readonly perRuleServices = new Set<string>();
  /** A team contact point's name, or the validated receiver of its own. */
  private readonly defaultReceiver: string | ReceiverModel;

  constructor(scope: Construct, id: string, props: ObservabilityGrafanaProps) {
    super(scope, id);
    literalText(this); // description text reaches Terraform as literal text, never as a template
    this.environment = props.environment;
    const env = props.environment;
    const authType = props.awsAuthType ?? "ec2_iam_role";

    const sources = new Construct(this, "data-sources");
    this.prometheusDataSource = new DataSource(sources, "prometheus", {
      name: `Amazon Managed Prometheus (${env})`,
      type: "prometheus",
      uid: DATASOURCE_UID.prometheus(env),
      url: props.prometheusUrl,
      isDefault: true,
      jsonDataEncoded: JSON.stringify({ httpMethod: "POST", sigV4Auth: true, sigV4AuthType: authType, sigV4Region: props.region, timeInterval: "1m" }),
    });
    new DataSource(sources, "cloudwatch", {
      name: `CloudWatch (${env})`,
      type: "cloudwatch",
      uid: DATASOURCE_UID.cloudwatch(env),
      jsonDataEncoded: JSON.stringify({ authType, defaultRegion: props.region }),
    });
    new DataSource(sources, "xray", {
      name: `X-Ray (${env})`,
      type: "grafana-x-ray-datasource",
      uid: DATASOURCE_UID.xray(env),
      jsonDataEncoded: JSON.stringify({ authType, defaultRegion: props.region }),
    });

    new MessageTemplate(this, "message-template", { name: MESSAGE_TEMPLATE_NAME, template: messageTemplateBody() });
    for (const m of grafanaMuteTimings({ muteTimings: treeMuteTimings() }))
      new MuteTiming(this, `mute-${m.name}`, m);

    this.contactPoints = new ContactPoints(new Construct(this, "contact-points"), new Construct(this, "secrets"));
    this.defaultReceiver = this.defaultReceiverOf(id, props.defaultReceiver);

    // Root settings do not depend on the services; the routes are rendered at synth, after every
    // service has registered.
    new NotificationPolicy(this, "notification-policy", {
      contactPoint: typeof this.defaultReceiver === "string" ? this.defaultReceiver : CATCH_ALL_RECEIVER,
      groupBy: [...GROUP_BY],
      ...ROOT_TIMING,
      // A lazy value skips the binding's snake_case mapping, hence the explicit *ToTerraform call.
      policy: Lazy.anyValue({ produce: () => grafanaNotificationPolicy(this.tree()).policy.map(notificationPolicyPolicyToTerraform) }) as never,
    });
  }

  /**
   * The default receiver, checked: a receiver of its own now (and its contact point made), a team's
   * contact point at synth, when every service has registered.
   */
  private defaultReceiverOf(id: string, d: DefaultReceiver | undefined): string | ReceiverModel {
    if (typeof d === "string") {
      this.node.addValidation({
        validate: () => {
          const problem = defaultReceiverProblem(this.services, d);
          return problem ? [`defaultReceiver: ${problem}, or give a receiver of its own (a contact point "${CATCH_ALL_RECEIVER}")`] : [];
        },
      });
      return d;
    }
    if (d === null || typeof d !== "object") throw new Error(`ObservabilityGrafana "${id}": defaultReceiver is required: ${DEFAULT_RECEIVER_FIX}`);
    const receiver = normalizeReceiver(d, "defaultReceiver", `the props of ObservabilityGrafana "${id}"`);
    this.contactPoints.add(CATCH_ALL_RECEIVER, receiver);
    return receiver;
  }

  /** The routing tree of every service added so far. */
  tree(): RoutingTree {
    return buildRoutingTree(this.services, { defaultReceiver: this.defaultReceiver });
  }

  /**
   * Registers a service's routes: its team's contact points (once per team) and its team route in
   * the notification policy. Throws ValidationError at once when the service's team already routes
   * to different receivers. Use this when the service's folder, dashboards and rules live in a
   * stack of their own (as buildObservabilityApp does); `addService` also adds them here.
   * A service that routes per rule (`alerting.routing: per-rule`) brings its own contact points
   * and is left out of the policy: its rules bypass it.
   */
  registerService(model: ServiceModel): void {
    if (model.alerting.routing === "per-rule") {
      if (this.byTeam.has(model.name)) throw this.contactPointClash(model.name);
      this.perRuleServices.add(model.name);
      return;
    }
    if (this.perRuleServices.has(model.team)) throw this.contactPointClash(model.team);
    const team = this.byTeam.get(model.team);
    // Checking the team's own services is enough (the whole tree is built once, at synth), and
    // keeps registering N services linear instead of rebuilding the tree N times.
    const issues = teamReceiverIssues([...(team ?? []), model]);
    if (issues.length > 0) throw new ValidationError(issues);
    this.services.push(model);
    if (team) {
      team.push(model);
      return;
    }
    this.byTeam.set(model.team, [model]);
    this.contactPoints.add(receiverName(model.team, "page"), model.alerting.page);
    this.contactPoints.add(receiverName(model.team, "ticket"), model.alerting.ticket);
  }

  /** A per-rule service and a policy-routed team would both define `<name>-page` and `<name>-ticket`. */
  private contactPointClash(name: string): Error {
    return new Error(
      `service "${name}" routes per rule with contact points ${receiverName(name, "page")} and ${receiverName(name, "ticket")}, the names of team "${name}"'s contact points in the ${this.environment} notification policy; rename the service or the team, or route the service by policy`,
    );
  }

  /** Adds a service in this scope: its routes (see registerService), folder, dashboards and alert rules. */
  addService(props: Omit<ServiceGrafanaProps, "platform">): ServiceGrafana {
    this.registerService(props.model);
    return new ServiceGrafana(this, props.model.name, {
      ...props,
      platform: { environment: this.environment, prometheusDataSourceUid: DATASOURCE_UID.prometheus(this.environment) },
    });
  }
}
