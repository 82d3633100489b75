/**
 * `npm run synth` (or `cdktf synth`): synthesizes the example services in staging and prod into
 * cdktf.out/. `cdktf deploy <stack>` deploys one stack.
 *
 * State: local files under .state/ by default. A pipeline sets TF_STATE_BUCKET (and optionally
 * TF_STATE_REGION, TF_STATE_LOCK_TABLE, TF_STATE_KMS_KEY_ID) for the S3 backend with encryption
 * and locking. AWS_REGION picks the region (default eu-west-1).
 */
import { AnnotationMetadataEntryType } from "cdktf";
import { runMain } from "./cli/runMain";
import { backendFromEnvironment } from "./cli/synthCommand";
import { synthExampleApp } from "./examples/exampleApp";

runMain(() => {
  const region = process.env.AWS_REGION ?? "eu-west-1";
  const backend = backendFromEnvironment(process.env, region);
  // Atomic: an interrupted synth leaves the previous cdktf.out (or none), never a partial one.
  const { app, outdir } = synthExampleApp({ backend, region });
  for (const c of app.node.findAll())
    for (const m of c.node.metadata) if (m.type === AnnotationMetadataEntryType.WARN) process.stderr.write(`warning: ${c.node.path}: ${m.data}\n`);
  process.stdout.write(`synthesized ${app.node.children.length} stacks into ${outdir}\n`);
});
