export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Where handlers read their settings from: the process environment, as Lambda sets it. The local
 * harness runs the same handlers inside its own process; it hands them their environment here
 * instead of writing it into `process.env`, which the harness, the AWS SDK and every child
 * process would share.
 */
let current: Environment = process.env;

export const environment = (): Environment => current;

/** For the local harness, before it loads the handlers. Lambda never calls it. */
export const useEnvironment = (settings: Environment): void => {
  current = settings;
};
