/**
 * `mlobs init`: a starter service description that validates as written, with the schema comment
 * that gives editors completion and the three SLOs most services start from. Pure: the command
 * writes the text.
 */
import { NAME_PATTERN } from "../service/descriptionSchema";

export const STARTER_KINDS = ["rag-pipeline", "llm-gateway", "model-endpoint", "agent", "custom"] as const;
export type StarterKind = (typeof STARTER_KINDS)[number];

export interface StarterOptions {
  readonly name: string;
  readonly team: string;
  readonly kind: StarterKind;
  /** Path of the JSON Schema as the file's folder sees it. */
  readonly schemaPath: string;
}

/**
 * Problems with the options, in the terms of where each came from (empty when they are fine): the
 * flags by default; `derived` says the name came from the file name and the team from the name, so
 * a bad file name is reported once, as such.
 */
export function starterProblems(o: { name: string; team: string; kind: string }, derived: { name?: boolean; team?: boolean } = {}): string[] {
  const problems: string[] = [];
  const slug = "2-40 lower-case letters, digits and dashes, starting with a letter";
  const nameOk = NAME_PATTERN.test(o.name);
  if (!nameOk)
    problems.push(
      derived.name
        ? `the file name gives the service name ${JSON.stringify(o.name.slice(0, 60))}, which is not one; use ${slug} (name the file so, or pass --name)`
        : `--name ${JSON.stringify(o.name.slice(0, 60))} is not a service name; use ${slug}`,
    );
  if (!NAME_PATTERN.test(o.team) && !(derived.team && !nameOk)) problems.push(`--team ${JSON.stringify(o.team.slice(0, 60))} is not a team name; use ${slug}`);
  if (!(STARTER_KINDS as readonly string[]).includes(o.kind)) problems.push(`--kind ${JSON.stringify(o.kind.slice(0, 60))} is not one of ${STARTER_KINDS.join(", ")}`);
  return problems;
}

/** The starter description's text. */
export function starterDescription(o: StarterOptions): string {
  const genAi = o.kind === "rag-pipeline" || o.kind === "llm-gateway" || o.kind === "agent";
  return [
    `# yaml-language-server: $schema=${o.schemaPath}`,
    `# Starter description written by \`mlobs init\`; check it with \`mlobs validate\`. Every field not`,
    `# written here has a documented default (see the schema). Replace the example owner, secrets and URLs.`,
    `name: ${o.name}`,
    `team: ${o.team}`,
    `owner: ${o.team}@example.com`,
    `kind: ${o.kind}`,
    `environments: [staging, prod]`,
    `slos:`,
    `  - name: availability`,
    `    objectivePercent: 99.9`,
    `    availability: {}`,
    `  - name: latency`,
    `    objectivePercent: 99`,
    `    latency: { thresholdSeconds: ${genAi ? "5.12" : "0.64"} }   # must be a bucket boundary of the latency histogram`,
    ...(genAi
      ? [
          `models:`,
          `  - { name: gpt-4o-mini, provider: openai, inputPricePer1kTokens: 0.00015, outputPricePer1kTokens: 0.0006 }`,
          `cost: { hourlyBudgetUsd: 10 }`,
        ]
      : []),
    ...(o.kind === "agent"
      ? [`agent:                      # loop and runaway-tool tickets; see the schema for every limit`, `  maxStepsPerTask: 16         # a bucket boundary of the steps-per-task histogram`, `  maxToolCallsPerTask: 20`]
      : []),
    `alerting:`,
    `  # References only (ssm:/... or secretsmanager:...), never the secret itself.`,
    `  page: { type: pagerduty, secret: "ssm:/observability/${o.team}/pagerduty-routing-key" }`,
    `  ticket: { type: email, addresses: [${o.team}@example.com] }`,
    `  runbookBaseUrl: https://runbooks.example.com/${o.team}`,
    "",
  ].join("\n");
}
