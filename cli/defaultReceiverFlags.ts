/**
 * `--default-receiver NAME` / `--default-receiver-file FILE`: where alerts go whose team no service
 * routes, for the commands that write a routing tree's root (`alertmanager`, and `synth` without
 * --team). No default: a root receiver without an integration would drop those alerts unseen.
 */
import type { DefaultReceiver } from "../alerts/routing";
import { loadReceiverFile } from "../service/load";
import { UsageError } from "./usageError";

export const DEFAULT_RECEIVER_FLAGS = ["--default-receiver", "--default-receiver-file"];
export const DEFAULT_RECEIVER_USAGE = "(--default-receiver NAME | --default-receiver-file FILE)";

/** What to say when neither flag is given, after `<what> needs`. */
export const DEFAULT_RECEIVER_REQUIRED =
  "a default receiver for alerts whose team no service routes: --default-receiver NAME names a team's receiver (<team>-page or <team>-ticket), or --default-receiver-file FILE reads a receiver of its own (YAML or JSON shaped as a description's alerting.page: type, and secret, channel or addresses)";

/** The default receiver the flags give: a name as written, or the receiver of its own in the file, checked; undefined when neither flag is given. */
export function defaultReceiverFromFlags(values: Readonly<Record<string, string>>): DefaultReceiver | undefined {
  const name = values["--default-receiver"];
  const file = values["--default-receiver-file"];
  if (name !== undefined && file !== undefined) throw new UsageError("give --default-receiver NAME or --default-receiver-file FILE, not both");
  return file !== undefined ? loadReceiverFile(file) : name;
}
