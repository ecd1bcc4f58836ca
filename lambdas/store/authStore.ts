import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { AuthStore } from '../domain/ports.js';
import type { ApiKeyRecord, TenantRecord } from '../domain/records.js';
import { serviceUnavailable } from './faults.js';
import { apiKeyKey, tenantKey } from './keys.js';
import { stripKeys, type Table } from './table.js';

const keyAttributes = ['pk', 'sk'] as const;

/** The API key and its tenant in one BatchGetItem: authentication costs one round trip. */
export const createAuthStore = (table: Table): AuthStore => ({
  async findKeyAndTenant(keyHash, tenantId) {
    let keys: Record<string, unknown>[] = [apiKeyKey(keyHash), tenantKey(tenantId)];
    const found: Record<string, unknown>[] = [];
    // BatchGetItem may leave keys unprocessed under load; one more try, then it is a 503.
    for (let attempt = 0; attempt < 2 && keys.length > 0; attempt++) {
      const output: BatchGetCommandOutput = await table.db.send(
        new BatchGetCommand({ RequestItems: { [table.name]: { Keys: keys } } }),
      );
      found.push(...(output.Responses?.[table.name] ?? []));
      keys = output.UnprocessedKeys?.[table.name]?.Keys ?? [];
    }
    if (keys.length > 0) throw serviceUnavailable(new Error('BatchGetItem left keys unprocessed'));

    const key = found.find((item) => item.sk === 'APIKEY');
    const tenant = found.find((item) => item.sk === 'TENANT');
    return {
      ...(key ? { key: stripKeys<ApiKeyRecord>(key, keyAttributes) } : {}),
      ...(tenant ? { tenant: stripKeys<TenantRecord>(tenant, keyAttributes) } : {}),
    };
  },
});
