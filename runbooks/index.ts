/**
 * Runbook pages as a pure function of the service: one Markdown page per alert the rule groups
 * hold, named by the alert's runbook URL (`<runbookBaseUrl>/<slug>` -> `<slug>.md`, with the slug
 * from service/links.ts runbookSlug, the function the URL is built with). No I/O, clock or
 * randomness: the same model gives the same bytes. `mlobs runbooks` writes them; the Grafana
 * stack writes them next to its alert rules, where `mlobs review` reads them.
 */
import { serviceRuleGroups } from "../alerts";
import type { RuleContext } from "../alerts/alertMeta";
import { isAlert, type RuleGroup } from "../alerts/ruleModel";
import { runbookSlug } from "../service/links";
import type { ServiceModel } from "../service/model";
import { defaultLogGroupPrefix } from "../service/names";
import { ValidationError } from "../service/normalize";
import { playbookIndex, playbookOf } from "./catalogue";
import { versionsInPlay } from "./logQueries";
import { panelResolver, type DashboardJson } from "./panels";
import { serviceDashboards } from "../dashboards";
import { renderPage } from "./render";

export { RUNBOOK_MARKER } from "./render";

export interface RunbookContext extends RuleContext {
  /**
   * Prefix of the service's log group names, as its ServiceObservability was given.
   * @default `/observability/<environment>/<service>`
   */
  readonly logGroupPrefix?: string;
}

export interface RunbookPage {
  readonly alert: string;
  /** The alert's `runbook_url`. */
  readonly url: string;
  /** Last segment of the URL; the page's file is `<slug>.md`. */
  readonly slug: string;
  readonly markdown: string;
}

/** File name of a page: what its URL's last segment names, plus `.md`. */
export const pageFile = (slug: string) => `${slug}.md`;

/**
 * The pages of every alert in `groups` (by default the service's rule groups for `ctx`), sorted by
 * slug, citing panels of `dashboards` (by default the service's dashboards for `ctx`; the synth
 * passes those it built). Throws ValidationError when two alerts share a runbook URL (SLO names that differ only in
 * dashes), and a plain Error when an alert has no playbook (a bug: catalogue.ts lacks its family).
 */
export function serviceRunbooks(
  model: ServiceModel,
  ctx: RunbookContext,
  groups: readonly RuleGroup[] = serviceRuleGroups(model, ctx),
  dashboards: readonly DashboardJson[] = serviceDashboards(model, ctx),
): RunbookPage[] {
  const alerts = groups.flatMap((g) => g.rules.filter(isAlert));
  const index = playbookIndex(model);
  const panel = panelResolver(model, ctx, dashboards);
  const logGroupPrefix = ctx.logGroupPrefix ?? defaultLogGroupPrefix(ctx.environment, model.name);
  const page = { model, environment: ctx.environment, logGroupPrefix, panel, versions: versionsInPlay(model) };
  const pages = new Map<string, RunbookPage>();
  for (const a of alerts) {
    const slug = runbookSlug(a.alert);
    const clash = pages.get(slug);
    if (clash)
      throw new ValidationError([
        { path: `${model.name}: slos`, message: `alerts ${clash.alert} and ${a.alert} share the runbook page ${a.annotations.runbook_url}; rename one SLO so their names differ in more than dashes` },
      ]);
    pages.set(slug, { alert: a.alert, url: a.annotations.runbook_url ?? "", slug, markdown: renderPage(page, a, playbookOf(index, model, a.alert)) });
  }
  return [...pages.values()].sort((x, y) => (x.slug < y.slug ? -1 : x.slug > y.slug ? 1 : 0));
}
