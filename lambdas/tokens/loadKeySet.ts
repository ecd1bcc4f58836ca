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

const fetchSecret = async (secretArn: string): Promise<string> => {
  // Loaded on demand: only deployed functions read Secrets Manager.
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({ maxAttempts: 3 });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!SecretString) throw new Error(`Secret ${secretArn} has no string value`);
  return SecretString;
};

/**
 * A key set. In AWS it comes from Secrets Manager (`<NAME>_SECRET_ARN`); locally it may be given
 * inline (`<NAME>_KEYS`), which the stack never does. Callers keep the result (see `once`): it is
 * fetched on first use, never at module load.
 */
export const loadKeySet = async (name: KeyName, env: NodeJS.ProcessEnv = process.env): Promise<KeySet> => {
  const settings = keySetSettings(name);
  const inline = env[settings.inline];
  if (inline) return parseKeySet(settings.inline, inline);
  const secretArn = env[settings.secretArn];
  if (secretArn) return parseKeySet(settings.secretArn, await fetchSecret(secretArn));
  throw new Error(`Invalid configuration: set ${settings.secretArn}`);
};
