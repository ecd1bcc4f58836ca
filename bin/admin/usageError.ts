/** A mistake in how the CLI was called: exit code 2, and nothing was touched. */
export class UsageError extends Error {}
