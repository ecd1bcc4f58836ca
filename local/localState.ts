import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KeyName } from '../lambdas/tokens/loadKeySet.js';

/**
 * What a local run keeps between starts, in the git-ignored `.data/`: DynamoDB Local's files, the
 * signing keys (so tokens and cursors survive a restart) and the demo tenant's API key (local demo
 * data only; a deployed stack never stores a key in clear).
 */
export const localDataDirectory = resolve('.data');
export const localTableName = 'athos-local';
/** Fixed, so the admin CLI finds the table of a running `npm start`. */
export const localDynamoPort = 8000;

export interface LocalState {
  readonly keys: Record<KeyName, string>;
  demo?: { readonly tenantId: string; readonly apiKey: string; readonly callId: string };
}

const statePath = join(localDataDirectory, 'local.json');

const newKeySet = () => JSON.stringify({ kid: 'local-1', key: randomBytes(32).toString('base64url') });

export const freshLocalState = (): LocalState => ({
  keys: { sessionToken: newKeySet(), connectionTicket: newKeySet(), cursor: newKeySet() },
});

export const readLocalState = (): LocalState | undefined =>
  existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as LocalState) : undefined;

export const writeLocalState = (state: LocalState): void => {
  mkdirSync(localDataDirectory, { recursive: true });
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
};

export const dynamoDataDirectory = (): string => {
  const directory = join(localDataDirectory, 'dynamodb');
  mkdirSync(directory, { recursive: true });
  return directory;
};
