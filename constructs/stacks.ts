import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { ServiceModel } from "../service/model";
import { ObservabilityPlatform, type ObservabilityPlatformProps } from "./ObservabilityPlatform";
import { ServiceObservability } from "./ServiceObservability";

/** Where Terraform keeps state. */
export type StateBackendConfig =
  | {
      readonly kind: "local";
      /**
       * Folder for state files, relative to each stack's working directory (`cdktf.out/stacks/<stack>`),
       * so synthesized output does not depend on where the project is checked out.
       * @default "../../../.state" (a `.state/` folder at the project root)
       */
      readonly dir?: string;
    }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly region: string;
      /** @default "observability" */
      readonly keyPrefix?: string;
      /** KMS key for state encryption. @default - the bucket's default encryption (SSE-S3) */
      readonly kmsKeyId?: string;
      /** DynamoDB lock table, for pipelines on Terraform < 1.10. @default - S3 native lock files */
      readonly dynamodbTable?: string;
    };

export interface EnvironmentConfig {
  /** Environment name, e.g. `prod`. */
  readonly name: string;
  /** AWS region of the environment. */
  readonly region: string;
  /** Platform settings for this environment. @default - the platform's defaults */
  readonly platform?: Omit<ObservabilityPlatformProps, "environment">;
}

export interface ObservabilityAppProps {
  readonly environments: readonly EnvironmentConfig[];
  readonly services: readonly ServiceModel[];
  /** @default { kind: "local" } */
  readonly backend?: StateBackendConfig;
}

/** Stack ids follow one rule so pipelines can target them: `obs-<env>-platform`, `obs-<env>-<service>`. */
export const stackId = (env: string, part: string) => `obs-${env}-${part}`;

function configureStack(stack: TerraformStack, id: string, env: EnvironmentConfig, backend: StateBackendConfig): void {
  new AwsProvider(stack, "aws", {
    region: env.region,
    defaultTags: [{ tags: { "managed-by": "ml-observability-stack", environment: env.name } }],
  });
  if (backend.kind === "local") {
    new LocalBackend(stack, { path: `${backend.dir ?? "../../../.state"}/${id}.tfstate` });
  } else {
    const s3 = new S3Backend(stack, {
      bucket: backend.bucket,
      key: `${backend.keyPrefix ?? "observability"}/${id}.tfstate`,
      region: backend.region,
      encrypt: true,
      kmsKeyId: backend.kmsKeyId,
      dynamodbTable: backend.dynamodbTable,
    });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21 predates the option, so set it raw.
    if (!backend.dynamodbTable) s3.addOverride("use_lockfile", true);
  }
}

/** AWS side of one environment: the platform. */
export class PlatformStack extends TerraformStack {
  readonly platform: ObservabilityPlatform;
  constructor(scope: Construct, env: EnvironmentConfig, backend: StateBackendConfig) {
    const id = stackId(env.name, "platform");
    super(scope, id);
    configureStack(this, id, env, backend);
    this.platform = new ObservabilityPlatform(this, "platform", { environment: env.name, ...env.platform });
  }
}

/** AWS side of one service in one environment; reads the platform through cross-stack references. */
export class ServiceStack extends TerraformStack {
  readonly service: ServiceObservability;
  constructor(scope: Construct, env: EnvironmentConfig, backend: StateBackendConfig, platform: ObservabilityPlatform, model: ServiceModel) {
    const id = stackId(env.name, model.name);
    super(scope, id);
    configureStack(this, id, env, backend);
    this.service = new ServiceObservability(this, "service", { platform, service: model });
  }
}

/** Builds every stack: per environment a platform stack, then one stack per service deployed there. */
export function buildObservabilityApp(scope: Construct, props: ObservabilityAppProps) {
  const backend = props.backend ?? { kind: "local" };
  const seen = new Set<string>();
  for (const s of props.services) {
    if (seen.has(s.name)) throw new Error(`service "${s.name}" is given twice; service names must be unique`);
    seen.add(s.name);
  }
  return props.environments.map((env) => {
    const platformStack = new PlatformStack(scope, env, backend);
    const serviceStacks = props.services
      .filter((s) => s.environments.includes(env.name))
      .map((s) => {
        const stack = new ServiceStack(scope, env, backend, platformStack.platform, s);
        stack.addDependency(platformStack);
        return stack;
      });
    return { environment: env.name, platformStack, serviceStacks };
  });
}
