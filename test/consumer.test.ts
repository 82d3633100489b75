/**
 * The package as a product team gets it: `npm pack` (which builds dist/ through `prepack`), installed
 * into a fresh folder next to nothing else of this repository, then the README's own examples
 * (extracted from README.md, not copied) compiled and run:
 *  - TypeScript, strict, `skipLibCheck: false`, with the default module resolution and with node16;
 *  - plain JavaScript (CommonJS);
 *  - the installed `mlobs` bin on an example description;
 * and the synthesized AWS stack through `terraform validate`, offline.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initStack, startStubSts, terraformAvailability } from "./support/terraform";

const ROOT = join(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "mlobs-consumer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The code block right after `<!-- consumer-test: NAME -->` in the README. */
function readmeExample(name: string): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const m = new RegExp(`<!-- consumer-test: ${name.replace(".", "\\.")} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no example marked <!-- consumer-test: ${name} -->`);
  return `${m[1]}\n`;
}

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
};
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const TSCONFIG_BASE = { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true, skipLibCheck: false, types: ["node"], outDir: "out" };

describe("the packed package in a fresh app", () => {
  let app = "";
  let tarball = "";

  beforeAll(() => {
    const pack = execFileSync(npm, ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" }, maxBuffer: 64 * 1024 * 1024 });
    // `npm pack --json` prints the build's output first, then the JSON array.
    tarball = join(work, (JSON.parse(pack.slice(pack.indexOf("[\n"))) as { filename: string }[])[0].filename);
    app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer-app", version: "1.0.0", private: true }));
    const devDeps = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).devDependencies as Record<string, string>;
    // From the npm cache that `npm ci` filled; the registry only for what it lacks.
    const install = run(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball, `typescript@${devDeps.typescript}`, `@types/node@${devDeps["@types/node"]}`], app);
    if (install.code !== 0) throw new Error(`npm install of the packed package failed:\n${install.out}`);
    copyFileSync(join(ROOT, "examples", "rag-assistant.yaml"), join(app, "rag-assistant.yaml"));
  });

  it("ships compiled JavaScript, typings and the bin, and no TypeScript sources or tests", () => {
    const files = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/dist/cli/mlobs.js");
    expect(files).toContain("package/bin/mlobs.js");
    expect(files).toContain("package/service/service-description.schema.json");
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => f.startsWith("package/test/") || f.startsWith("package/bench/"))).toEqual([]);
  });

  it.each([
    ["default (node10) resolution", {}],
    ["node16 resolution", { module: "node16", moduleResolution: "node16" }],
  ])("the README's TypeScript example compiles strict with skipLibCheck false, %s, and synthesizes", (_name, options) => {
    const dir = join(app, `ts-${Object.keys(options).length ? "node16" : "default"}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.ts"), readmeExample("main.ts"));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...TSCONFIG_BASE, ...options }, files: ["main.ts"] }));
    const tsc = run(process.execPath, [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", dir], dir);
    expect(tsc.out.trim()).toBe("");
    expect(tsc.code).toBe(0);
    const synth = run(process.execPath, [join(dir, "out", "main.js")], dir, { CDKTF_OUTDIR: join(dir, "cdktf.out") });
    expect(synth.code).toBe(0);
    expect(readdirSync(join(dir, "cdktf.out", "stacks"))).toEqual(["observability-prod"]);
  });

  it("the README's JavaScript example runs and synthesizes the description file's service", () => {
    const dir = join(app, "js");
    mkdirSync(dir);
    writeFileSync(join(dir, "main.js"), readmeExample("main.js"));
    copyFileSync(join(app, "rag-assistant.yaml"), join(dir, "rag-assistant.yaml"));
    const synth = run(process.execPath, ["main.js"], dir, { CDKTF_OUTDIR: join(dir, "cdktf.out") });
    expect(synth.out).not.toMatch(/Error/);
    expect(synth.code).toBe(0);
    const stack = JSON.parse(readFileSync(join(dir, "cdktf.out", "stacks", "observability-prod", "cdk.tf.json"), "utf8"));
    expect(Object.keys(stack.resource.aws_cloudwatch_log_group).filter((k) => k.startsWith("rag-assistant_logs_"))).toHaveLength(4);
  });

  it("the installed mlobs bin validates an example (compiled JavaScript, no ts-node)", () => {
    const r = run(join(app, "node_modules", ".bin", "mlobs"), ["validate", "rag-assistant.yaml"], app);
    expect(r.out).toContain("ok: rag-assistant");
    expect(r.code).toBe(0);
    expect(readdirSync(join(app, "node_modules")).includes("ts-node")).toBe(false);
  });

  const tf = terraformAvailability();
  (tf.ok ? it : it.skip)("the synthesized AWS stack passes terraform validate", async () => {
    const sts = await startStubSts();
    try {
      const dir = join(app, "ts-default");
      const runTf = { stacksDir: join(dir, "cdktf.out", "stacks"), workDir: join(work, "tf"), mirror: (tf as { mirror: string }).mirror, stsUrl: sts.url };
      mkdirSync(runTf.workDir, { recursive: true });
      await initStack(runTf, "observability-prod");
      const r = run("terraform", ["validate", "-no-color"], join(runTf.stacksDir, "observability-prod"), { TF_CLI_CONFIG_FILE: join(runTf.workDir, "terraform.tfrc") });
      expect(r.out).toContain("Success");
      expect(r.code).toBe(0);
    } finally {
      await sts.stop();
    }
  });

  it("publishes (a dry run)", () => {
    const r = run(npm, ["publish", "--dry-run", "--ignore-scripts", tarball], work);
    expect(r.code).toBe(0);
    expect(r.out).toContain("ml-observability-stack");
  });
});
