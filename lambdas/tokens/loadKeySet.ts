import { serviceUnavailable } from '../domain/errors.js';
import { environment, type Environment } from '../environment.js';
import { traceCall } from '../observability/tracing.js';
import { parseKeySet, type KeySet } from './keySet.js';

export type KeyName = 'sessionToken' | 'connectionTicket' | 'cursor';

const settingPrefix: Record<KeyName, string> = {
  sessionToken: 'SESSION_TOKEN',
  connectionTicket: 'CONNECTION_TICKET',
  cursor: 'CURSOR',
};

/** The environment settings that point at a key set, for the stack and the local server to set. */
export const keySetSettings = (name: KeyName) => ({
  secretArn: `${settingPrefix[name]}_SECRET_ARN`,
  inline: `${settingPrefix[name]}_KEYS`,
});

/** Far above the extension's usual few milliseconds, far below the handler's deadline. */
const extensionTimeoutMs = 3_000;

/**
 * Reads a secret through the AWS Parameters and Secrets Lambda Extension, which the stack adds to
 * every function: it serves Secrets Manager on localhost with its own cache, so no Secrets Manager
 * client has to ride in each bundle.
 */
const fetchSecret = async (secretArn: string, env: Environment): Promise<string> => {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
  let response: Response;
  try {
    response = await traceCall(
      {
        name: 'SecretsManager',
        aws: { operation: 'GetSecretValue' },
        metadata: { via: 'parameters-and-secrets-extension' },
      },
      () =>
        fetch(`http://localhost:${port}/secretsmanager/get?secretId=${encodeURIComponent(secretArn)}`, {
          headers: { 'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '' },
          signal: AbortSignal.timeout(extensionTimeoutMs),
        }),
      (answer) => answer.status,
    );
  } catch (error) {
    // The extension not up yet, stuck, or gone: a retry may well succeed.
    throw serviceUnavailable(error);
  }
  const failure = new Error(`the secrets extension answered ${response.status} for ${secretArn}`);
  // 5xx and throttling pass; anything else (no such secret, no permission) is the stack's to fix.
  if (response.status >= 500 || response.status === 429) throw serviceUnavailable(failure);
  if (!response.ok) throw failure;
  const { SecretString } = (await response.json()) as { SecretString?: string };
  if (!SecretString) throw new Error(`secret ${secretArn} has no string value`);
  return SecretString;
};

/**
 * A key set. In AWS it comes from Secrets Manager (`<NAME>_SECRET_ARN`); locally it may be given
 * inline (`<NAME>_KEYS`), which the stack never does. Callers keep the result for a while (see
 * `cached.ts`): it is fetched on first use, never at module load.
 */
export const loadKeySet = async (name: KeyName, env: Environment = environment()): Promise<KeySet> => {
  const settings = keySetSettings(name);
  const inline = env[settings.inline];
  if (inline) return parseKeySet(settings.inline, inline);
  const secretArn = env[settings.secretArn];
  if (secretArn) return parseKeySet(settings.secretArn, await fetchSecret(secretArn, env));
  throw new Error(`Invalid configuration: set ${settings.secretArn}`);
};
