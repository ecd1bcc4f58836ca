import { readConfig } from './config.js';
import { environment } from './environment.js';
import { createDocumentClient } from './store/client.js';
import type { Table } from './store/table.js';

/** What every handler shares, made once per cold start: the settings and the DynamoDB client. */
export const config = readConfig(environment());

export const table: Table = {
  db: createDocumentClient({
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
    ...(config.dynamoTimeoutMs ? { timeoutMs: config.dynamoTimeoutMs } : {}),
  }),
  name: config.tableName,
};
