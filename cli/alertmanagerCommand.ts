/**
 * `mlobs alertmanager <service.yaml>... --out FILE (--default-receiver NAME | --default-receiver-file FILE) [--smtp-* ...]`:
 * the routing tree as Alertmanager config, with the message template next to it. Every flag is
 * checked, and the config generated, before anything is written; an email receiver without an SMTP
 * relay (its own `smtp`, or the `--smtp-*` flags) is an error, never a placeholder relay.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultReceiverProblem } from "../alerts/routing";
import { loadServicesFiles } from "../service/load";
import { DEFAULT_RECEIVER_FLAGS, DEFAULT_RECEIVER_REQUIRED, DEFAULT_RECEIVER_USAGE, defaultReceiverFromFlags } from "./defaultReceiverFlags";
import { TEMPLATE_FILE, alertmanagerFiles } from "./ruleFiles";
import { SMTP_FLAGS, SMTP_USAGE, smtpFromFlags } from "./smtpFlags";
import { commandLineError, UsageError } from "./usageError";

export const ALERTMANAGER_USAGE = `mlobs alertmanager <service.yaml>... --out FILE ${DEFAULT_RECEIVER_USAGE} ${SMTP_USAGE}`;
export const ALERTMANAGER_FLAGS = ["--out", ...DEFAULT_RECEIVER_FLAGS, ...SMTP_FLAGS];

export interface AlertmanagerArgs {
  readonly positional: readonly string[];
  readonly values: Readonly<Record<string, string>>;
}

export function alertmanagerCommand({ positional, values }: AlertmanagerArgs, out: (line: string) => void): number {
  const file = values["--out"];
  if (!file) throw commandLineError("--out FILE is required");
  const defaultReceiver = defaultReceiverFromFlags(values);
  if (defaultReceiver === undefined) throw new UsageError(`the Alertmanager config needs ${DEFAULT_RECEIVER_REQUIRED}`);
  const smtp = smtpFromFlags(values);
  const services = loadServicesFiles(positional);
  const problem = typeof defaultReceiver === "string" ? defaultReceiverProblem(services, defaultReceiver) : undefined;
  if (problem) throw new UsageError(`--default-receiver ${problem}`);
  const { config, template } = alertmanagerFiles(services, { defaultReceiver, smtp });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, config);
  writeFileSync(join(dirname(file), TEMPLATE_FILE), template);
  out(`wrote ${file} and ${join(dirname(file), TEMPLATE_FILE)}`);
  return 0;
}
