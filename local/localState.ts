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
  /** The key set that seals webhook signing secrets (KMS does in AWS); made on first start. */
  webhookSealingKeys?: string;
  demo?: { readonly tenantId: string; readonly apiKey: string; readonly callId: string };
}

const statePath = join(localDataDirectory, 'local.json');

export const newKeySet = () => JSON.stringify({ kid: 'local-1', key: randomBytes(32).toString('base64url') });

/**
 * An in-memory run keeps nothing, so the admin CLI cannot read its sealing key: it uses this one,
 * as the CLI does when `.data/` holds none. Its data is thrown away, so a known key costs nothing.
 */
export const inMemoryWebhookSealingKeys = JSON.stringify({
  kid: 'in-memory',
  key: 'in-memory-run-webhook-sealing-key-not-secret',
});

export const freshLocalState = (): LocalState => ({
  keys: { sessionToken: newKeySet(), connectionTicket: newKeySet(), cursor: newKeySet() },
  webhookSealingKeys: newKeySet(),
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

/** Where `npm start` keeps its position in the table's stream, beside the table it belongs to. */
export const webhookStreamCheckpointFile = join(localDataDirectory, 'webhook-stream.json');
