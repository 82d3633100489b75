/** A command line the CLI cannot run (missing argument, unknown option): exit 2 with the usage. */
export class UsageError extends Error {}
