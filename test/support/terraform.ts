/**
 * Test-only harness for running real Terraform offline on synthesized stacks:
 *  - a CLI config that installs providers from the machine's filesystem mirror (no network);
 *  - a `*_override.tf.json` with mock credentials and the provider's skip_* flags, pointing STS and
 *    SSM at a loopback stub (the platform reads its account id through aws_caller_identity; a team's
 *    stack reads the platform's published parameters through aws_ssm_parameter);
 *  - stub state files for cross-stack references (`terraform_remote_state`), built from the
 *    upstream stack's synthesized outputs.
 * None of this ships in the project's own code.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { findProviderMirror, MIRRORED_AWS_VERSION, mirrorCliConfig } from "../../toolkit/terraformMirror";

const run = promisify(execFile);
export const STUB_ACCOUNT = "111111111111";
export const STUB_REGION = "eu-west-1";

export type Availability = { ok: true; mirror: string } | { ok: false; reason: string };

/** Where the provider mirror is: $TF_PLUGIN_MIRROR, else the folder holding registry.terraform.io. */
export function terraformAvailability(): Availability {
  const which = (cmd: string) =>
    (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, cmd)));
  if (!which("terraform")) return { ok: false, reason: "terraform is not on the PATH (install Terraform 1.11.x)" };
  const mirror = findProviderMirror();
  if (mirror) return { ok: true, mirror };
  return {
    ok: false,
    reason: `no filesystem mirror holding registry.terraform.io/hashicorp/aws/${MIRRORED_AWS_VERSION} (set TF_PLUGIN_MIRROR to the folder that contains registry.terraform.io)`,
  };
}

const STS_BODY = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::${STUB_ACCOUNT}:user/plan-test</Arn>
    <UserId>AIDAPLANTESTUSER</UserId>
    <Account>${STUB_ACCOUNT}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

/** A loopback stub of the AWS APIs a plan calls: STS GetCallerIdentity and SSM GetParameter. */
export interface AwsStub {
  readonly url: string;
  /** SSM parameter names asked for, in order (known or not). */
  readonly ssmRequests: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts the stub: STS (query protocol) answers GetCallerIdentity; SSM (JSON protocol, told apart
 * by its `X-Amz-Target: AmazonSSM.*` header) answers GetParameter for `ssmParameters`, and
 * ParameterNotFound, as AWS does, for any other name.
 */
export async function startStubSts(options: { ssmParameters?: Readonly<Record<string, string>> } = {}): Promise<AwsStub> {
  const ssmRequests: string[] = [];
  const parameters = options.ssmParameters ?? {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      if (!target.startsWith("AmazonSSM.")) {
        res.writeHead(200, { "Content-Type": "text/xml" });
        res.end(STS_BODY);
        return;
      }
      const json = (status: number, body: object) => {
        res.writeHead(status, { "Content-Type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(body));
      };
      if (target !== "AmazonSSM.GetParameter") return json(400, { __type: "InvalidAction", message: `the stub answers GetParameter only, not ${target}` });
      const name = String((JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { Name?: string }).Name ?? "");
      ssmRequests.push(name);
      const value = parameters[name];
      if (value === undefined) return json(400, { __type: "ParameterNotFound", message: `Parameter ${name} not found.` });
      json(200, {
        Parameter: {
          ARN: `arn:aws:ssm:${STUB_REGION}:${STUB_ACCOUNT}:parameter${name}`,
          DataType: "text",
          LastModifiedDate: 1767225600,
          Name: name,
          Type: "String",
          Value: value,
          Version: 1,
        },
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, ssmRequests, stop: () => new Promise((ok) => server.close(() => ok())) };
}

/** A plausible value for an upstream output or a published parameter, judged from the expression it holds. */
export function stubValue(expression: string): string {
  if (/aws_kms_key\..*\.arn/.test(expression)) return `arn:aws:kms:${STUB_REGION}:${STUB_ACCOUNT}:key/00000000-0000-4000-8000-000000000000`;
  if (/aws_kms_key\..*\.(key_id|id)/.test(expression)) return "00000000-0000-4000-8000-000000000000";
  if (/prometheus_endpoint/.test(expression)) return `https://aps-workspaces.${STUB_REGION}.amazonaws.com/workspaces/ws-00000000-0000-4000-8000-000000000000/`;
  if (/aws_prometheus_workspace\..*\.arn/.test(expression)) return `arn:aws:aps:${STUB_REGION}:${STUB_ACCOUNT}:workspace/ws-00000000-0000-4000-8000-000000000000`;
  if (/aws_prometheus_workspace\..*\.id/.test(expression)) return "ws-00000000-0000-4000-8000-000000000000";
  if (/aws_region/.test(expression)) return STUB_REGION;
  if (/url|endpoint/.test(expression)) return "https://g-0000000000.grafana-workspace.eu-west-1.amazonaws.com";
  return "stub";
}

type StackJson = {
  output?: Record<string, { value: string }>;
  data?: { terraform_remote_state?: Record<string, { backend: string; config: { path: string } }> };
};

/** Writes stub state (format 4) for every local remote-state source the stack reads. */
export function writeStubRemoteStates(stacksDir: string, stack: string): void {
  const json = JSON.parse(readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8")) as StackJson;
  for (const [name, src] of Object.entries(json.data?.terraform_remote_state ?? {})) {
    if (src.backend !== "local") continue;
    const upstream = name.replace(/^cross-stack-reference-input-/, "");
    const upstreamJson = JSON.parse(readFileSync(join(stacksDir, upstream, "cdk.tf.json"), "utf8")) as StackJson;
    const outputs = Object.fromEntries(
      Object.entries(upstreamJson.output ?? {}).map(([k, o]) => [k, { value: stubValue(o.value), type: "string", sensitive: true }]),
    );
    const file = resolve(join(stacksDir, stack), src.config.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ version: 4, terraform_version: "1.11.4", serial: 1, lineage: `stub-${upstream}`, outputs, resources: [], check_results: null }),
    );
  }
}

export interface PlanResult {
  readonly stack: string;
  /** Planned actions per resource type, e.g. { aws_cloudwatch_log_group: { create: 4 } }. */
  readonly actions: Record<string, Record<string, number>>;
  readonly creates: number;
}

/** How to run Terraform offline for the stacks under one work folder. */
export interface TerraformRun {
  readonly stacksDir: string;
  /** Holds the CLI config and the shared plugin cache. */
  readonly workDir: string;
  readonly mirror: string;
  /** URL of the loopback stub (startStubSts), for STS and SSM. */
  readonly stsUrl: string;
}

function terraform(run0: TerraformRun, stack: string) {
  const cache = join(run0.workDir, "plugin-cache");
  mkdirSync(cache, { recursive: true });
  const cliConfig = join(run0.workDir, "terraform.tfrc");
  writeFileSync(cliConfig, mirrorCliConfig(run0.mirror, cache));
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  const cwd = join(run0.stacksDir, stack);
  return async (...args: string[]) => {
    try {
      return (await run("terraform", args, { cwd, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(`terraform ${args[0]} failed in ${stack}:\n${err.stderr ?? ""}\n${(err.stdout ?? "").slice(-4000)}`);
    }
  };
}

/** The test-only AWS provider override: mock credentials, the skip flags, AWS APIs at the loopback stub. */
export function mockAwsProvider(endpoints: Readonly<Record<string, string>>) {
  return {
    provider: {
      aws: {
        access_key: "test-only-mock",
        secret_key: "test-only-mock",
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        max_retries: 1,
        endpoints: [endpoints],
      },
    },
  };
}

/**
 * Writes the test-only override and stub states, then `terraform init` from the mirror.
 * Run inits one at a time: concurrent inits race on the shared plugin cache.
 */
export async function initStack(r: TerraformRun, stack: string): Promise<void> {
  writeFileSync(join(r.stacksDir, stack, "test_provider_override.tf.json"), JSON.stringify(mockAwsProvider({ sts: r.stsUrl, ssm: r.stsUrl })));
  writeStubRemoteStates(r.stacksDir, stack);
  await terraform(r, stack)("init", "-input=false", "-no-color");
}

/** `terraform validate` and `plan` of an initialized stack; throws with Terraform's output on failure. */
export async function validateAndPlan(r: TerraformRun, stack: string): Promise<PlanResult> {
  const tf = terraform(r, stack);
  await tf("validate", "-no-color");
  await tf("plan", "-input=false", "-no-color", "-lock=false", "-out=plan.tfplan");
  const plan = JSON.parse(await tf("show", "-json", "plan.tfplan")) as {
    resource_changes?: { type: string; change: { actions: string[] } }[];
  };
  const actions: Record<string, Record<string, number>> = {};
  let creates = 0;
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change.actions.join("+");
    actions[rc.type] ??= {};
    actions[rc.type][a] = (actions[rc.type][a] ?? 0) + 1;
    if (a === "create") creates++;
  }
  return { stack, actions, creates };
}

/** Inits every stack (one at a time), then validates and plans them two at a time. */
export async function planAll(r: TerraformRun, stacks: readonly string[]): Promise<Map<string, PlanResult>> {
  for (const s of stacks) await initStack(r, s);
  const results = new Map<string, PlanResult>();
  // Two at a time: the machine has two cores and each plan loads the AWS provider schema.
  for (let i = 0; i < stacks.length; i += 2) {
    const done = await Promise.all(stacks.slice(i, i + 2).map((s) => validateAndPlan(r, s)));
    for (const d of done) results.set(d.stack, d);
  }
  return results;
}

/** Stack folder names under a synthesized output directory. */
export function stackNames(outdir: string): string[] {
  return readdirSync(join(outdir, "stacks")).sort();
}
