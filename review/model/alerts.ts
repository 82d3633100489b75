/**
 * Alerts of one environment read back from the synthesized output, in the project's rule model:
 * Grafana-managed rules (`grafana_rule_group`) and any alerting rules in AMP rule namespaces.
 */
import { LABEL } from "../../alerts/conventions";
import { isAlert, type AlertRule } from "../../alerts/ruleModel";
import { serviceOfFolderTitle } from "../../service/names";
import { arr, byString, obj, referenceExpression, resourcesOf, str, type Json, type StackDoc, type SynthOutput } from "../synthOutput";
import { ruleRouteOf, type RouteTarget } from "./routing";
import { ruleNamespaces } from "./ruleNamespaces";

export interface AlertInfo {
  readonly environment: string;
  /** The `service` label, else the service the folder or namespace belongs to. */
  readonly service: string;
  readonly group: string;
  readonly rule: AlertRule;
  readonly source: "grafana" | "prometheus";
  /** `<stack>: <type>.<name>` of the resource holding the rule. */
  readonly address: string;
  /** Interval of the group, seconds (Grafana) or as written (Prometheus). */
  readonly interval: string;
  /** The runbook page its `runbook_url` names, when the synth wrote it next to the stack. */
  readonly runbook?: string;
  /**
   * The contact point and timings the rule names itself (a Grafana rule's `notification_settings`,
   * per-rule routing); the notification policy then never sees it. Undefined when the policy routes it.
   */
  readonly ruleRoute?: RouteTarget;
}

/** The page of an alert of `service` among the stack's runbook pages: the last segment of its runbook URL names it. */
function runbookOf(stack: StackDoc, service: string, rule: AlertRule): string | undefined {
  const url = rule.annotations.runbook_url;
  return url === undefined ? undefined : stack.runbooks.get(`${service}/${url.slice(url.lastIndexOf("/") + 1)}`);
}

/** Annotations Grafana adds for its own links; not part of what responders read. */
const GRAFANA_INTERNAL = /^__.*__$/;

const strings = (x: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(x)).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]));

/** The PromQL of a Grafana rule, plus its condition when it is more than "any series A returns". */
function grafanaExpr(rule: Json): string {
  const data = arr(rule.data).map((d) => obj(d));
  const model = (d: Json) => {
    try {
      return obj(JSON.parse(str(d.model) ?? "{}"));
    } catch {
      return {};
    }
  };
  const queries = data.filter((d) => str(d.datasource_uid) !== "__expr__").map((d) => str(model(d).expr) ?? "");
  const cond = data.find((d) => str(d.ref_id) === str(rule.condition));
  const condModel = cond && str(cond.datasource_uid) === "__expr__" ? model(cond) : undefined;
  const expression = condModel ? str(condModel.expression) : undefined;
  const trivial = expression !== undefined && /^\$(\w+) == \$\1$/.test(expression.trim());
  const condition =
    condModel && !trivial
      ? `\n# condition ${str(cond?.ref_id)}: ${expression ?? JSON.stringify(condModel.conditions ?? condModel.type ?? "")}`
      : "";
  return queries.join("\n# and\n") + condition;
}

/** Folder resource name -> service it holds, from the folder title (service/names.ts folderTitle). */
function folderServices(stack: StackDoc): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of resourcesOf(stack, "grafana_folder")) {
    const title = str(f.body.title) ?? f.name;
    m.set(f.name, serviceOfFolderTitle(title));
  }
  return m;
}

/** The folder a resource sits in (`folder_uid` / `folder` referencing `grafana_folder.<name>.uid`). */
export function folderOf(body: Json): string | undefined {
  const ref = referenceExpression(str(body.folder_uid) ?? str(body.folder) ?? "");
  const m = ref ? /^grafana_folder\.([^.]+)\.uid$/.exec(ref) : null;
  return m ? m[1] : undefined;
}

function grafanaAlerts(stack: StackDoc): AlertInfo[] {
  const folders = folderServices(stack);
  return resourcesOf(stack, "grafana_rule_group").flatMap((g) => {
    const folder = folderOf(g.body);
    const groupName = str(g.body.name) ?? g.name;
    return arr(g.body.rule).map((r0) => {
      const r = obj(r0);
      const labels = strings(r.labels);
      const annotations = Object.fromEntries(Object.entries(strings(r.annotations)).filter(([k]) => !GRAFANA_INTERNAL.test(k)));
      const forText = str(r.for);
      let expr: string | undefined;
      const rule: AlertRule = {
        alert: str(r.name) ?? "(unnamed)",
        // Read on first use: lint never reads queries (parsing every rule's model JSON was a tenth
        // of its time at 500 services), review only those of alerts it compares.
        get expr() {
          return (expr ??= grafanaExpr(r));
        },
        ...(forText && forText !== "0s" && forText !== "0" ? { for: forText } : {}),
        labels,
        annotations,
      };
      const service = labels[LABEL.service] ?? (folder ? folders.get(folder) : undefined) ?? "(no service)";
      const ruleRoute = ruleRouteOf(r);
      return {
        environment: stack.environment,
        service,
        group: groupName,
        rule,
        source: "grafana" as const,
        address: `${stack.name}: ${g.address}`,
        interval: `${typeof g.body.interval_seconds === "number" ? g.body.interval_seconds : 60}s`,
        runbook: runbookOf(stack, service, rule),
        ...(ruleRoute ? { ruleRoute } : {}),
      };
    });
  });
}

/** alertsOf per output and environment: lint's rules and review's sections all ask for them. */
const cache = new WeakMap<SynthOutput, Map<string, readonly AlertInfo[]>>();

/** Every alert of an environment, sorted by service, name and group (computed once per output). */
export function alertsOf(output: SynthOutput, environment: string): readonly AlertInfo[] {
  const byEnv = cache.get(output) ?? new Map<string, readonly AlertInfo[]>();
  cache.set(output, byEnv);
  let alerts = byEnv.get(environment);
  if (!alerts) byEnv.set(environment, (alerts = computeAlerts(output, environment)));
  return alerts;
}

/** Every alert of an environment grouped by service, services sorted by name. */
export function alertsByService(output: SynthOutput, environment: string): [string, AlertInfo[]][] {
  const byService = new Map<string, AlertInfo[]>();
  for (const a of alertsOf(output, environment)) {
    const list = byService.get(a.service);
    if (list) list.push(a);
    else byService.set(a.service, [a]);
  }
  return [...byService.entries()].sort(([a], [b]) => byString(a, b));
}

function computeAlerts(output: SynthOutput, environment: string): AlertInfo[] {
  const grafana = output.stacks.filter((s) => s.environment === environment && s.kind === "grafana").flatMap(grafanaAlerts);
  const prometheus = ruleNamespaces(output, environment, true).flatMap(({ resource, groups }) =>
    groups.flatMap((g) =>
      g.rules.filter(isAlert).map((rule) => ({
        environment,
        service: rule.labels[LABEL.service] ?? str(obj(resource.body.tags).service) ?? str(resource.body.name) ?? "(no service)",
        group: g.name,
        rule,
        source: "prometheus" as const,
        address: `${resource.stack.name}: ${resource.address}`,
        interval: g.interval,
      })),
    ),
  );
  // Keys built once per alert, not per comparison (10,000 alerts at 500 services).
  const keyed = [...grafana, ...prometheus].map((a) => ({ a, k: `${a.service}\u0000${a.rule.alert}\u0000${a.group}\u0000${a.source}` }));
  return keyed.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : 0)).map((x) => x.a);
}
