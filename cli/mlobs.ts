/**
 * `mlobs`: the project's command line, for work that needs no Terraform. Each command's usage and
 * summary live in COMMANDS below, which `mlobs --help` prints:
 *   validate      check descriptions; every problem with its field path, notes on burn-rate
 *                 windows an objective puts out of reach
 *   rules         write Prometheus rule files (recording rules and alerts)
 *   dashboards    write the dashboards as Grafana JSON files
 *   runbooks      write one Markdown runbook page per alert, where its runbook_url points
 *   alertmanager  write the routing tree as Alertmanager config
 *   synth         synthesize the stacks (cdktf.out) from descriptions alone
 *   init          write a starter description that validates as written
 *   review        PR-comment Markdown of what changes between two outputs
 *   lint          policy checks on synthesized output
 *   logs check    check structured log records against the log contract
 *   simulate      replay the field's incidents and a healthy month against the generated rules
 * Exit codes: 0 ok, 1 a check failed (lint, data-loss review), 2 bad input (descriptions, usage).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { httpsUrlProblem } from "../service/inputLimits";
import { loadServicesFiles } from "../service/load";
import { ValidationError } from "../service/normalize";
import { dashboardFiles } from "../dashboards/files";
import { sloNotes } from "../alerts/sloNotes";
import { generationIssues } from "./generationCheck";
import { initCommand } from "./initCommand";
import { environmentProblem, synthServices } from "./synthCommand";
import { commandLineError, UsageError } from "./usageError";
import { environmentOf, serviceRuleFile } from "./ruleFiles";
import { RUNBOOKS_USAGE, runbooksCommand } from "./runbooksCommand";
import { ALERTMANAGER_FLAGS, ALERTMANAGER_USAGE, alertmanagerCommand } from "./alertmanagerCommand";
import { DEFAULT_RECEIVER_FLAGS, defaultReceiverFromFlags } from "./defaultReceiverFlags";
import { lintCommand } from "../lint/command";
import { REVIEW_USAGE, reviewCommand } from "../review/command";
import { LOGS_CHECK_USAGE, logsCommand } from "./logsCheck";
import { SIMULATE_USAGE, simulateCommand } from "./simulateCommand";

export { UsageError } from "./usageError";

export interface Command {
  readonly summary: string;
  readonly usage: string;
  /** The exit code; a command that runs engines concurrently (simulate) returns it as a promise. */
  run(args: readonly string[], out: (line: string) => void): number | Promise<number>;
}

/** Splits `--flag value` pairs from positional arguments. */
export function parseArgs(args: readonly string[], flags: readonly string[], switches: readonly string[] = []) {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const on = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (switches.includes(a)) on.add(a);
    else if (flags.includes(a)) {
      const v = args[++i];
      if (v === undefined || v.startsWith("--")) throw commandLineError(`${a} needs a value`);
      values[a] = v;
    } else if (a.startsWith("--")) throw commandLineError(`unknown option ${a}; options are ${[...flags, ...switches].join(", ") || "none"}`);
    else positional.push(a);
  }
  return { positional, values, on };
}

/** `parseArgs` for a command that reads description files: at least one must be given. */
function descriptionArgs(args: readonly string[], flags: readonly string[], switches: readonly string[] = []) {
  const parsed = parseArgs(args, flags, switches);
  if (parsed.positional.length === 0) throw commandLineError("give at least one description file");
  return parsed;
}

/** The value of a flag the command cannot run without (`--out DIR`). */
function requiredFlag(values: Readonly<Record<string, string>>, flag: string, metavar: string): string {
  const v = values[flag];
  if (!v) throw commandLineError(`${flag} ${metavar} is required`);
  return v;
}

export const COMMANDS: Record<string, Command> = {
  validate: {
    summary: "check service descriptions, print the normalized services and notes (burn-rate windows an objective puts out of reach)",
    usage: "mlobs validate <service.yaml|json>...",
    run(args, out) {
      const { positional } = descriptionArgs(args, []);
      const services = loadServicesFiles(positional);
      const issues = generationIssues(services);
      if (issues.length > 0) throw new ValidationError(issues);
      for (const s of services) {
        out(`ok: ${s.name} (team ${s.team}, ${s.slos.length} SLOs, ${s.stages.length} stages, environments ${s.environments.join(", ")})`);
        for (const note of sloNotes(s)) out(`note: ${s.name}: ${note}`);
      }
      return 0;
    },
  },
  rules: {
    summary: "write each service's Prometheus rule file (SLOs, causes, signals)",
    usage: "mlobs rules <service.yaml>... --out DIR [--env ENV] [--grafana-url URL]",
    run(args, out) {
      const { positional, values } = descriptionArgs(args, ["--out", "--env", "--grafana-url"]);
      const dir = requiredFlag(values, "--out", "DIR");
      const grafanaUrl = values["--grafana-url"];
      const urlProblem = grafanaUrl === undefined ? undefined : httpsUrlProblem(grafanaUrl, "https://grafana.example.com");
      if (urlProblem) throw new UsageError(`--grafana-url ${urlProblem}`);
      const services = loadServicesFiles(positional);
      const files = services.map((s) => ({
        path: join(dir, `${s.name}.rules.yaml`),
        text: serviceRuleFile(s, { environment: environmentOf(s, values["--env"]), grafanaUrl }),
      }));
      // Everything is generated (and checked) before anything is written: nothing half-applies.
      mkdirSync(dir, { recursive: true });
      for (const f of files) {
        writeFileSync(f.path, f.text);
        out(`wrote ${f.path}`);
      }
      return 0;
    },
  },
  dashboards: {
    summary: "write the operational, quality and drift dashboards as Grafana JSON",
    usage: "mlobs dashboards <service.yaml>... --out DIR [--env ENV]",
    run(args, out) {
      const { positional, values } = descriptionArgs(args, ["--out", "--env"]);
      const dir = requiredFlag(values, "--out", "DIR");
      const files = loadServicesFiles(positional).flatMap((s) => dashboardFiles([s], environmentOf(s, values["--env"])));
      for (const f of files) {
        const path = join(dir, f.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content);
        out(`wrote ${path}`);
      }
      return 0;
    },
  },
  runbooks: {
    summary: "write one Markdown runbook page per alert, at the path its runbook_url names (publish the folder at runbookBaseUrl)",
    usage: RUNBOOKS_USAGE,
    run: (args, out) => runbooksCommand(descriptionArgs(args, ["--out", "--env", "--grafana-url"]), out),
  },
  alertmanager: {
    summary: "write the routed notification policy as Alertmanager config",
    usage: ALERTMANAGER_USAGE,
    run: (args, out) => alertmanagerCommand(descriptionArgs(args, ALERTMANAGER_FLAGS), out),
  },
  synth: {
    summary: "synthesize the stacks of the described services into a cdktf.out (for lint, review and cdktf deploy), no TypeScript needed",
    usage: "mlobs synth <service.yaml>... (--default-receiver NAME | --default-receiver-file FILE | --team) [--env ENV[,ENV]] [--out DIR] [--region REGION]",
    run(args, out) {
      const { positional, values, on } = descriptionArgs(args, ["--env", "--out", "--region", ...DEFAULT_RECEIVER_FLAGS], ["--team"]);
      const environments = (values["--env"] ?? "").split(",").map((e) => e.trim()).filter(Boolean);
      const outdir = values["--out"] ?? "cdktf.out";
      const services = loadServicesFiles(positional);
      const envProblem = environmentProblem(services, environments);
      if (envProblem) throw new UsageError(envProblem);
      const { stacks, warnings } = synthServices(services, {
        layout: on.has("--team") ? "team" : "platform",
        environments,
        outdir,
        region: values["--region"] ?? process.env.AWS_REGION ?? "eu-west-1",
        defaultReceiver: defaultReceiverFromFlags(values),
      });
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      out(`synthesized ${stacks.length} stacks into ${outdir}: ${stacks.join(", ")}`);
      return 0;
    },
  },
  init: {
    summary: "write a starter service description that validates as written (with the schema comment for editor completion)",
    usage: "mlobs init <service.yaml> [--name NAME] [--team TEAM] [--kind KIND] [--force]",
    run: (args, out) => initCommand(parseArgs(args, ["--name", "--team", "--kind"], ["--force"]), out),
  },
  review: {
    summary: "PR-comment Markdown of what changes between two cdktf.out (exit 1 on data loss)",
    usage: REVIEW_USAGE,
    run: (args, out) => reviewCommand(parseArgs(args, ["--base", "--head", "--out", "--cache"], ["--allow-data-loss", "--plan"]), out),
  },
  lint: {
    summary: "policy checks on a cdktf.out: alert fatigue, secrets, cardinality, owners, PII masking",
    usage: "mlobs lint <cdktf.out> [--paging-budget N]",
    run: (args, out) => lintCommand(parseArgs(args, ["--paging-budget"]), out),
  },
  logs: {
    summary: "check structured JSON log records (one a line) against the log contract: fields, ids, personal data, credentials",
    usage: LOGS_CHECK_USAGE,
    run: (args, out) => logsCommand(parseArgs(args, []), out),
  },
  simulate: {
    summary: "replay the field's incidents and a healthy month against the generated rules: when users notice, first ticket and page, SVG timelines",
    usage: SIMULATE_USAGE,
    run: (args, out) => simulateCommand(args, out),
  },
};

function help(): string {
  const rows = Object.entries(COMMANDS).map(([, c]) => `  ${c.usage.padEnd(58)} ${c.summary}`);
  return ["usage: mlobs <command> [arguments]", "", "commands:", ...rows, "", "exit codes: 0 ok, 1 a check failed, 2 bad input"].join("\n");
}

/** Exit code 2 and one line for bad input; anything else is a bug and keeps its trace. */
function failure(e: unknown): number {
  if (e instanceof ValidationError) {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  if (e instanceof UsageError) {
    process.stderr.write(e.showUsage ? `error: ${e.message}\n\n${help()}\n` : `error: ${e.message}\n(mlobs help: the commands and their options)\n`);
    return 2;
  }
  throw e;
}

/** Entry point; returns the exit code (a promise for async commands) and sets process.exitCode, instead of throwing. */
export function main(argv: readonly string[]): number | Promise<number> {
  const [name, ...rest] = argv;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let code: number;
  try {
    if (!name) {
      process.stderr.write(`${help()}\n`);
      code = 2;
    } else if (name === "help" || name === "--help" || name === "-h") {
      out(help());
      code = 0;
    } else {
      const cmd = COMMANDS[name];
      if (!cmd) throw commandLineError(`unknown command "${name}"`);
      const result = cmd.run(rest, out);
      if (typeof result !== "number")
        return result.catch(failure).then((c) => (process.exitCode = c));
      code = result;
    }
  } catch (e) {
    code = failure(e);
  }
  process.exitCode = code;
  return code;
}
