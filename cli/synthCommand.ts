/**
 * `mlobs synth <service.yaml...> [--env ENV,...] [--out DIR] [--region REGION] [--team]`: the same
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
import { generationIssues } from "./generationCheck";

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
}

/** Why `--env` cannot be honoured for these services, or undefined. */
export function environmentProblem(services: readonly ServiceModel[], asked: readonly string[]): string | undefined {
  const listed = [...new Set(services.flatMap((s) => s.environments))].sort();
  const unknown = asked.filter((e) => !listed.includes(e));
  return unknown.length > 0 ? `--env ${unknown.join(",")}: no service lists it; they list ${listed.join(", ")}` : undefined;
}

/** Synthesizes validated services; returns the stack names and the warnings (burn-rate windows out of reach) to print. */
export function synthServices(services: readonly ServiceModel[], o: SynthOptions): { stacks: string[]; warnings: string[] } {
  const issues = generationIssues(services);
  if (issues.length > 0) throw new ValidationError(issues);
  const environments = o.environments.length > 0 ? o.environments : [...new Set(services.flatMap((s) => s.environments))].sort();
  // Atomic: an interrupted synth leaves the previous output (or none), never a partial one.
  const { app } = synthAtomically(o.outdir, (staging) => {
    const a = new App({ outdir: staging });
    const backend = backendFromEnvironment(process.env, o.region);
    if (o.layout === "team") {
      for (const name of environments)
        for (const service of services) if (service.environments.includes(name)) buildTeamServiceStacks(a, { environment: { name, region: o.region }, service, backend });
    } else buildObservabilityApp(a, { services, backend, environments: environments.map((name) => ({ name, region: o.region })) });
    return a;
  });
  const warnings: string[] = [];
  for (const c of app.node.findAll())
    for (const m of c.node.metadata) if (m.type === AnnotationMetadataEntryType.WARN) warnings.push(`${c.node.path}: ${m.data}`);
  return { stacks: app.node.children.map((c) => c.node.id), warnings };
}
