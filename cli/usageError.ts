/**
 * A command line the CLI cannot run: exit 2. A malformed command line (unknown command or option,
 * a missing argument) is followed by the usage; a well-formed one whose values are wrong (an
 * environment no service lists, a file that exists) only by a pointer to it: the message says the fix.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Print the whole usage after the message. */
    readonly showUsage = false,
  ) {
    super(message);
  }
}

/** A malformed command line: unknown command or option, a missing argument or required flag. */
export const commandLineError = (message: string) => new UsageError(message, true);
