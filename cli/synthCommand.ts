/**
 * `mlobs synth <service.yaml...> [--env ENV,...] [--out DIR] [--region REGION] (--default-receiver NAME | --default-receiver-file FILE | --team)`: the same
 * stacks `npm run synth` writes (or, with --team, only the services' own stacks against a platform
 * deployed elsewhere), from description files alone, so a team with no TypeScript of its own gets a
 * `cdktf.out` to lint, review and deploy. Validates first (as `mlobs validate` does), so a bad
 * description exits 2 before anything is written.
 *
 * State backend from the environment, as the example app's main.ts reads it: local state unless
 * TF_STATE_BUCKET is set (then S3 with TF_STATE_REGION, TF_STATE_LOCK_TABLE, TF_STATE_KMS_KEY_ID).
 */
import { AnnotationMetadataEntryType, App } from "cdktf";
import { synthAtomically } from "../constructs/atomicSynth";
import { buildObservabilityApp, type StateBackendConfig } from "../constructs/stacks";
import { buildTeamServiceStacks } from "../constructs/teamStacks";
import type { ServiceModel } from "../service/model";
import { ValidationError } from "../service/normalize";
import { defaultReceiverProblem, type DefaultReceiver } from "../alerts/routing";
import { generationIssues } from "./generationCheck";
import { DEFAULT_RECEIVER_REQUIRED } from "./defaultReceiverFlags";
import { UsageError } from "./usageError";

/** The state backend a pipeline asks for through its environment variables. */
export function backendFromEnvironment(env: NodeJS.ProcessEnv, region: string): StateBackendConfig {
  const bucket = env.TF_STATE_BUCKET;
  return bucket
    ? { kind: "s3", bucket, region: env.TF_STATE_REGION ?? region, dynamodbTable: env.TF_STATE_LOCK_TABLE, kmsKeyId: env.TF_STATE_KMS_KEY_ID }
    : { kind: "local" };
}

export interface SynthOptions {
  /**
   * `platform`: the whole layout of one repository (platform, shared Grafana, every service).
   * `team`: only each service's own AWS and Grafana stacks, against a platform deployed elsewhere
   * (read through its SSM parameters), alerts routed per rule.
   */
  readonly layout: "platform" | "team";
  /** Environments to synthesize (each must be listed by a service); every one a service lists when empty. */
  readonly environments: readonly string[];
  readonly outdir: string;
  readonly region: string;
  /**
   * Platform layout only, and required there: where each environment's notification policy sends
   * alerts whose team no service routes. A name must be a team's contact point (`<team>-page` or
   * `<team>-ticket`) in every environment's policy; a receiver of its own becomes "catch-all".
   */
  readonly defaultReceiver?: DefaultReceiver;
}

/** Why `--env` cannot be honoured for these services, or undefined. */
export function environmentProblem(services: readonly ServiceModel[], asked: readonly string[]): string | undefined {
  const listed = [...new Set(services.flatMap((s) => s.environments))].sort();
  const unknown = asked.filter((e) => !listed.includes(e));
  return unknown.length > 0 ? `--env ${unknown.join(",")}: no service lists it; they list ${listed.join(", ")}` : undefined;
}

/** The environments to synthesize: those asked, else every one a service lists. */
function environmentsOf(services: readonly ServiceModel[], asked: readonly string[]): string[] {
  return asked.length > 0 ? [...asked] : [...new Set(services.flatMap((s) => s.environments))].sort();
}

/**
 * Why `--default-receiver` cannot be honoured, or undefined: it is required by the platform
 * layout (its notification policy needs a root), meaningless with --team (no policy is written),
 * and must name a team contact point of every environment's policy.
 */
export function defaultReceiverFlagProblem(services: readonly ServiceModel[], o: Pick<SynthOptions, "layout" | "environments" | "defaultReceiver">): string | undefined {
  const name = o.defaultReceiver;
  if (o.layout === "team")
    return name === undefined
      ? undefined
      : "--default-receiver and --default-receiver-file are for the platform layout: with --team every rule names its own contact point and no notification policy is written; remove them";
  if (name === undefined) return `without --team, the notification policy needs ${DEFAULT_RECEIVER_REQUIRED}`;
  if (typeof name !== "string") return undefined;
  for (const env of environmentsOf(services, o.environments)) {
    const policyRouted = services.filter((s) => s.environments.includes(env) && s.alerting.routing === "policy");
    const problem = defaultReceiverProblem(policyRouted, name, `the ${env} notification policy (teams of the services routed by policy)`);
    if (problem) return `--default-receiver ${problem}`;
  }
  return undefined;
}

/** Synthesizes validated services; returns the stack names and the warnings (burn-rate windows out of reach) to print. */
export function synthServices(services: readonly ServiceModel[], o: SynthOptions): { stacks: string[]; warnings: string[] } {
  const issues = generationIssues(services);
  if (issues.length > 0) throw new ValidationError(issues);
  const environments = environmentsOf(services, o.environments);
  const receiverProblem = defaultReceiverFlagProblem(services, o);
  if (receiverProblem) throw new UsageError(receiverProblem);
  // Atomic: an interrupted synth leaves the previous output (or none), never a partial one.
  const { app } = synthAtomically(o.outdir, (staging) => {
    const a = new App({ outdir: staging });
    const backend = backendFromEnvironment(process.env, o.region);
    if (o.layout === "team") {
      for (const name of environments)
        for (const service of services) if (service.environments.includes(name)) buildTeamServiceStacks(a, { environment: { name, region: o.region }, service, backend });
    } else {
      const defaultReceiver = o.defaultReceiver ?? ""; // checked above: given in this layout
      buildObservabilityApp(a, { services, backend, environments: environments.map((name) => ({ name, region: o.region, defaultReceiver })) });
    }
    return a;
  });
  const warnings: string[] = [];
  for (const c of app.node.findAll())
    for (const m of c.node.metadata) if (m.type === AnnotationMetadataEntryType.WARN) warnings.push(`${c.node.path}: ${m.data}`);
  return { stacks: app.node.children.map((c) => c.node.id), warnings };
}
