/**
 * `mlobs review --plan`: with Terraform and the provider mirror present, the review attaches the
 * plan of the head's AWS stacks, run offline with the test-only override and stub STS.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { reviewCommand } from "../review/command";
import { GRAFANA_NOT_PLANNED } from "../review/plan";
import { rag, reviewWorkspace } from "./support/reviewWorkspace";
import { mirrorCliConfig } from "../toolkit/terraformMirror";
import { STUB_ACCOUNT, mockAwsProvider, terraformAvailability, writeStubRemoteStates } from "./support/terraform";

const { work, synth } = reviewWorkspace();

const tf = terraformAvailability();
if (!tf.ok) console.warn(`SKIPPED review --plan: ${tf.reason}`);
const describeTf = tf.ok ? describe : describe.skip;

/** Loopback STS stub on its own thread, so it answers while the plan runner blocks this one. */
function startStsWorker(): Promise<{ url: string; stop: () => Promise<number> }> {
  const body = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${STUB_ACCOUNT}:user/plan-test</Arn><UserId>AIDAPLANTESTUSER</UserId><Account>${STUB_ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     const server = require("node:http").createServer((req, res) => {
       req.resume();
       req.on("end", () => { res.writeHead(200, { "Content-Type": "text/xml" }); res.end(${JSON.stringify(body)}); });
     });
     server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));`,
    { eval: true },
  );
  return new Promise((ok) => worker.once("message", (port: number) => ok({ url: `http://127.0.0.1:${port}/`, stop: () => worker.terminate() })));
}

describeTf("mlobs review --plan (offline, test-only credentials)", () => {
  it("attaches the plan of each AWS stack per resource type and says the Grafana stack cannot be planned", async () => {
    const planBase = synth("plan-base", [rag()]);
    const r = rag();
    r.logs = { ...r.logs, errors: { retentionDays: 7 } };
    const planHead = synth("plan-head", [r]);
    const sts = await startStsWorker();
    const cache = join(work, "plugin-cache");
    mkdirSync(cache, { recursive: true });
    const cliConfig = join(work, "terraform.tfrc");
    writeFileSync(cliConfig, mirrorCliConfig((tf as { mirror: string }).mirror, cache));
    const lines: string[] = [];
    let code: number;
    try {
      code = <number>reviewCommand(
        { values: { "--base": planBase, "--head": planHead }, on: new Set(["--plan", "--allow-data-loss"]), positional: [] },
        (l) => lines.push(l),
        {
          env: { TF_CLI_CONFIG_FILE: cliConfig },
          override: mockAwsProvider({ sts: sts.url }),
          beforeInit: (stacksDir, stack) => writeStubRemoteStates(stacksDir, stack),
        },
      );
    } finally {
      await sts.stop();
    }
    const markdown = lines.join("\n");
    expect(code).toBe(0);
    expect(markdown).toContain("### terraform plan (head)");
    expect(markdown).toContain("**obs-prod-platform**");
    expect(markdown).toContain("**obs-prod-rag-assistant**");
    expect(markdown).toContain("| `aws_cloudwatch_log_group` | 4 | — | — | — |");
    expect(markdown).toContain("| `aws_cloudwatch_log_data_protection_policy` | 4 | — | — | — |");
    expect(markdown).not.toContain("The plan failed");
    expect(markdown).toContain(`**obs-prod-grafana**: ${GRAFANA_NOT_PLANNED}.`);
    // Nothing of the test-only override is left behind in the head's stacks.
    expect(() => readFileSync(join(planHead, "stacks", "obs-prod-platform", "mlobs_review_override.tf.json"))).toThrow();
  });
});
