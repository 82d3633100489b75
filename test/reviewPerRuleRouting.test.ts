/**
 * `mlobs review` of a service routed per rule (`alerting.routing: per-rule`): its Grafana rules
 * name their contact point in `notification_settings` and bypass the notification policy, so the
 * review must read the route from the rule, not from the policy (where such a service would fall to
 * the default receiver). Both layouts: one repository (buildObservabilityApp, the service beside
 * policy-routed ones) and a team's own two stacks (`mlobs synth --team`, no policy at all).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { buildTeamServiceStacks } from "../constructs/teamStacks";
import { loadReviewInput } from "../review/changedStacks";
import { loadSynthOutput } from "../review/load";
import { renderReview } from "../review/render";
import { buildReview } from "../review/review";
import { normalizeService } from "../service/normalize";
import { fraud, rag, reviewWorkspace, type Description, type Json } from "./support/reviewWorkspace";

const { work, synth, mutated } = reviewWorkspace();

const perRule = (d: Description): Description => ({ ...d, alerting: { ...d.alerting, routing: "per-rule" } });
const pagedByEmail = (d: Description): Description => ({ ...d, alerting: { ...d.alerting, page: { type: "email", addresses: ["nobody@example.com"] } } });

/** A team's two stacks of one service in prod, as `mlobs synth --env prod --team` writes them (routed per rule). */
function synthTeam(name: string, service: Description): string {
  const outdir = join(work, name, "cdktf.out");
  mkdirSync(join(work, name), { recursive: true });
  const app = new App({ outdir });
  buildTeamServiceStacks(app, { environment: { name: "prod", region: "eu-west-1" }, service: normalizeService(service) });
  app.synth();
  return outdir;
}

/** Reviews two outputs read whole, and checks the CLI's way (only differing stacks parsed) says the same. */
function review(base: string, head: string) {
  const markdown = renderReview(buildReview(loadSynthOutput(base), loadSynthOutput(head)));
  const fast = loadReviewInput(base, head);
  expect(renderReview(buildReview(fast.base, fast.head, undefined, fast.scope))).toBe(markdown);
  const section = markdown.split("### Security-relevant changes")[1]?.split(/\n### /)[0] ?? "";
  return { markdown, section };
}

/** The alert table's row of one alert. */
const alertRow = (markdown: string, alert: string) => markdown.split("\n").find((l) => l.startsWith(`| \`${alert}\` |`)) ?? "";

const BANNER = "> [!CAUTION]\n> **1 security-relevant change** (paging;";
const NO_LONGER_PAGES = "they no longer page anyone";

describe("mlobs review: a service routed per rule", () => {
  const base = synth("one-repo", [rag(), perRule(fraud())]);

  it("names the contact point the rule sends an alert to, not the policy's default receiver", () => {
    const f = perRule(fraud());
    f.slos!.find((s) => s.name === "availability")!.objectivePercent = 99.9;
    const { markdown } = review(base, synth("objective-changed", [rag(), f]));
    expect(alertRow(markdown, "MlObsAvailabilityErrorBudgetBurnFast")).toMatch(/^\| `MlObsAvailabilityErrorBudgetBurnFast` \| changed \| page \| fraud-scoring-page \| threshold /);
    expect(alertRow(markdown, "MlObsAvailabilityErrorBudgetBurnSlow")).toContain("| ticket | fraud-scoring-ticket (muted fraud-scoring-outside-business-hours) |");
    expect(markdown).not.toContain("catch-all");
  });

  it("rules whose page contact point is changed to the ticket one are a paging change, addressed at the rules", () => {
    const head = mutated("rules-to-ticket", base, "obs-prod-fraud-scoring-grafana", (json) => {
      for (const g of Object.values(json.resource.grafana_rule_group as Record<string, Json>))
        for (const r of g.rule as Json[]) if (r.notification_settings.contact_point === "fraud-scoring-page") r.notification_settings.contact_point = "fraud-scoring-ticket";
    });
    const { markdown, section } = review(base, head);
    expect(markdown).toContain(BANNER);
    expect(section).toMatch(/\d+ page alert\(s\) rerouted from fraud-scoring-page to fraud-scoring-ticket \(email\)/);
    expect(section).toContain("`obs-prod-fraud-scoring-grafana: grafana_rule_group.");
    expect(section).toContain(NO_LONGER_PAGES);
  });

  describe.each([
    { layout: "a policy-routed service (one repository)", receiver: "risk-ml-page", pair: () => [synth("policy", [rag(), fraud()]), synth("policy-email", [rag(), pagedByEmail(fraud())])] },
    { layout: "a per-rule routed service (one repository)", receiver: "fraud-scoring-page", pair: () => [base, synth("per-rule-email", [rag(), perRule(pagedByEmail(fraud()))])] },
    { layout: "a per-rule routed service (--team stacks)", receiver: "fraud-scoring-page", pair: () => [synthTeam("team", fraud()), synthTeam("team-email", pagedByEmail(fraud()))] },
  ])("its page contact point changed from Opsgenie to email, for $layout", ({ receiver, pair }) => {
    const [before, after] = pair();
    const { markdown, section } = review(before, after);

    it("raises the paging caution: the page alerts no longer page anyone", () => {
      expect(markdown).toContain(BANNER);
      expect(section).toMatch(new RegExp(`\\| \\d+ page alert\\(s\\) still go to ${receiver}, which now reaches email instead of opsgenie: [^|]*MlObsAvailabilityErrorBudgetBurnFast`));
      expect(section).toContain(NO_LONGER_PAGES);
      expect(section).toMatch(new RegExp(`<br>\`obs-prod-[a-z-]*grafana: grafana_contact_point\\.[^\`]*${receiver}[^\`]*\``));
    });

    it("shows who is paged before and after", () => {
      expect(markdown).toMatch(new RegExp(`\\| page \\| \\d+ \\| ${receiver}: Opsgenie [^|]+ \\| ${receiver}: email nobody@example.com \\|`));
    });
  });
});
