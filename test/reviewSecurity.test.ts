/**
 * `mlobs review` calls out security-relevant changes: crafted mutations of a real synthesized
 * output (the example services in prod), each the kind of edit a hostile pull request makes,
 * produce the "Security-relevant changes" section under a caution banner, in words; an unchanged
 * output produces neither. Reviewed both ways (whole outputs, and only the differing stacks as the
 * CLI reads them), which must agree.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { parse } from "yaml";
import { synthAtomically } from "../constructs/atomicSynth";
import { buildObservabilityApp } from "../constructs/stacks";
import { EXAMPLE_DEFAULT_RECEIVER, EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { loadReviewInput } from "../review/changedStacks";
import { loadSynthOutput } from "../review/load";
import { renderReview } from "../review/render";
import { buildReview } from "../review/review";
import { normalizeService } from "../service/normalize";
import type { ServiceDescription } from "../service/types";

type Json = Record<string, any>;

const ROOT = join(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "obs-review-security-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base = join(work, "base", "cdktf.out");
synthAtomically(base, (staging) => {
  const app = new App({ outdir: staging });
  const services = EXAMPLE_SERVICE_FILES.map((f) => normalizeService(parse(readFileSync(f, "utf8")) as ServiceDescription));
  buildObservabilityApp(app, { services, environments: [{ name: "prod", region: "eu-west-1", defaultReceiver: EXAMPLE_DEFAULT_RECEIVER }] });
  return app;
});

let n = 0;
/** A copy of the base output with some stacks' cdk.tf.json edited. */
function mutate(edits: Record<string, (json: Json) => void>): string {
  const out = join(work, `head-${++n}`, "cdktf.out");
  mkdirSync(join(work, `head-${n}`), { recursive: true });
  cpSync(base, out, { recursive: true });
  for (const [stack, edit] of Object.entries(edits)) {
    const file = join(out, "stacks", stack, "cdk.tf.json");
    const json = JSON.parse(readFileSync(file, "utf8")) as Json;
    edit(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
  }
  return out;
}

function review(head: string) {
  const whole = buildReview(loadSynthOutput(base), loadSynthOutput(head));
  const markdown = renderReview(whole);
  const fast = loadReviewInput(base, head);
  expect(renderReview(buildReview(fast.base, fast.head, undefined, fast.scope))).toBe(markdown);
  const section = markdown.split("### Security-relevant changes")[1]?.split(/\n### /)[0] ?? "";
  return { review: whole, markdown, section };
}

const only = <T>(xs: Record<string, T>): T => {
  const vs = Object.values(xs);
  if (vs.length !== 1) throw new Error(`expected one, found ${vs.length}`);
  return vs[0];
};
const keyPolicy = (json: Json): Json => only(json.data.aws_iam_policy_document as Record<string, Json>);
const pageRoutes = (json: Json): Json[] =>
  only(json.resource.grafana_notification_policy as Record<string, Json>).policy.flatMap((team: Json) => team.policy.filter((p: Json) => p.matcher.some((m: Json) => m.label === "severity" && m.value === "page")));

const BANNER = "> [!CAUTION]\n> **";

describe("mlobs review: security-relevant changes", () => {
  it("an unchanged output has no security section and no banner", () => {
    const { review: r, markdown } = review(mutate({}));
    expect(r.security).toEqual([]);
    expect(markdown).not.toContain("Security-relevant changes");
    expect(markdown).not.toContain("[!CAUTION]");
  });

  it("the KMS key policy's principal widened to * (in the aws_iam_policy_document data source): anyone can decrypt", () => {
    const head = mutate({
      "obs-prod-platform": (json) => {
        keyPolicy(json).statement[0].principals = [{ type: "AWS", identifiers: ["*"] }];
      },
    });
    const { markdown, section } = review(head);
    expect(markdown).toContain(`${BANNER}1 security-relevant change** (KMS key;`);
    expect(markdown).not.toContain("differs only in metadata");
    expect(section).toContain("key policy widened: anyone (`*`) may now kms:*");
    expect(section).toContain("anyone can decrypt the environment's logs, metrics and traces");
    expect(section).toContain("obs-prod-platform: aws_kms_key.");
  });

  it("kms:Decrypt granted to another account is named with the account", () => {
    const head = mutate({
      "obs-prod-platform": (json) => {
        keyPolicy(json).statement.push({ sid: "Partner", actions: ["kms:Decrypt"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::999999999999:root"] }], resources: ["*"] });
      },
    });
    const { section } = review(head);
    expect(section).toContain("key policy widened: arn:aws:iam::999999999999:root may now kms:Decrypt");
    expect(section).toContain("these principals can decrypt the environment's logs, metrics and traces");
  });

  it("a new statement the existing grants already cover, or a renamed sid, is not called out", () => {
    const head = mutate({
      "obs-prod-platform": (json) => {
        const p = keyPolicy(json);
        p.statement[0].sid = "RootAdministers";
        p.statement.push({ ...p.statement[0], sid: "Again", actions: ["kms:Decrypt"] });
      },
    });
    expect(review(head).review.security).toEqual([]);
  });

  it("key rotation off and a shorter deletion window are in the security section", () => {
    const head = mutate({
      "obs-prod-platform": (json) => {
        const key = only(json.resource.aws_kms_key as Record<string, Json>);
        key.enable_key_rotation = false;
        key.deletion_window_in_days = 7;
      },
    });
    const { section, review: r } = review(head);
    expect(section).toContain("key rotation turned off");
    expect(section).toContain("deletion window 30 → 7 days");
    expect(r.safety).toEqual([]);
  });

  it("the Grafana role's trust policy opened to any AWS principal, and an admin policy attached", () => {
    const head = mutate({
      "obs-prod-platform": (json) => {
        const role = only(json.resource.aws_iam_role as Record<string, Json>);
        const trust = JSON.parse(role.assume_role_policy);
        trust.Statement.push({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
        role.assume_role_policy = JSON.stringify(trust);
        const [first] = Object.values(json.resource.aws_iam_role_policy_attachment as Record<string, Json>);
        json.resource.aws_iam_role_policy_attachment.admin = { role: first.role, policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" };
      },
    });
    const { section } = review(head);
    expect(section).toContain("trust policy widened: anyone (`*`) may now sts:AssumeRole");
    expect(section).toContain("anyone can assume the role");
    expect(section).toContain("policy attached: arn:aws:iam::aws:policy/AdministratorAccess");
  });

  it("every page alert of a service removed: paging disabled", () => {
    const head = mutate({
      "obs-prod-rag-assistant-grafana": (json) => {
        for (const g of Object.values(json.resource.grafana_rule_group as Record<string, Json>)) g.rule = g.rule.filter((r: Json) => r.labels.severity !== "page");
      },
    });
    const { markdown, section } = review(head);
    expect(markdown).toContain(`${BANNER}1 security-relevant change** (paging;`);
    expect(section).toMatch(/paging disabled: none of its \d+ page alerts remain \(\d+ removed: /);
    expect(section).toContain("an outage of the service pages nobody");
  });

  it("one page alert lowered to ticket is named", () => {
    const head = mutate({
      "obs-prod-fraud-scoring-grafana": (json) => {
        const rules = Object.values(json.resource.grafana_rule_group as Record<string, Json>).flatMap((g) => g.rule as Json[]);
        rules.find((r) => r.labels.severity === "page")!.labels.severity = "ticket";
      },
    });
    const { section } = review(head);
    expect(section).toContain("severity page → ticket");
    expect(section).toContain("instead of paging");
  });

  it("page severity routed to the ticket contact point: page alerts no longer page anyone", () => {
    const head = mutate({
      "obs-prod-grafana": (json) => {
        for (const route of pageRoutes(json)) route.contact_point = route.contact_point.replace(/-page$/, "-ticket");
      },
    });
    const { section } = review(head);
    expect(section).toMatch(/\d+ page alert\(s\) rerouted from search-ai-page to search-ai-ticket \(slack\)/);
    expect(section).toMatch(/rerouted from risk-ml-page to risk-ml-ticket \(email\)/);
    expect(section).toContain("they no longer page anyone");
  });

  it("a PII identifier dropped from a tier's masking policy, and a tier's policy removed", () => {
    const head = mutate({
      "obs-prod-rag-assistant": (json) => {
        const policies = json.resource.aws_cloudwatch_log_data_protection_policy as Record<string, Json>;
        const [errorsKey] = Object.keys(policies).filter((k) => k.includes("errors"));
        const [debugKey] = Object.keys(policies).filter((k) => k.includes("debug"));
        const doc = JSON.parse(policies[errorsKey].policy_document);
        for (const s of doc.Statement) s.DataIdentifier = s.DataIdentifier.filter((d: string) => !d.endsWith("/EmailAddress"));
        policies[errorsKey].policy_document = JSON.stringify(doc);
        delete policies[debugKey];
      },
    });
    const { section } = review(head);
    expect(section).toContain("PII masking weakened: no longer masks EmailAddress");
    expect(section).toMatch(/log group \/observability\/prod\/rag-assistant\/debug \(debug tier\).*PII masking removed/);
  });

  it("security changes alone exit 0 through the CLI, with the banner", () => {
    const head = mutate({
      "obs-prod-platform": (json) => {
        keyPolicy(json).statement[0].principals = [{ type: "AWS", identifiers: ["*"] }];
      },
    });
    const r = spawnSync(process.execPath, ["bin/mlobs.js", "review", "--base", base, "--head", head], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("### Security-relevant changes");
    expect(r.stdout).toContain("> [!CAUTION]");
  });
});
