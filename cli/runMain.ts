import { ValidationError } from "../service/normalize";

/**
 * Runs a program's body; a ValidationError (bad description) prints its field-path list and exits 2,
 * without a stack trace. Anything else is a bug and keeps its trace.
 */
export function runMain(body: () => void): void {
  try {
    body();
  } catch (e) {
    if (e instanceof ValidationError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}
