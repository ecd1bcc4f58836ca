import type { AuthStore } from '../domain/ports.js';
import type { ApiKeyRecord, TenantRecord } from '../domain/records.js';
import { batchGet } from './batchGet.js';
import { apiKeyKey, tenantKey } from './keys.js';
import { stripKeys, type Table } from './table.js';

const keyAttributes = ['pk', 'sk'] as const;

/** The API key and its tenant in one BatchGetItem: authentication costs one round trip. */
export const createAuthStore = (table: Table): AuthStore => ({
  async findKeyAndTenant(keyHash, tenantId) {
    const found = await batchGet(table, [apiKeyKey(keyHash), tenantKey(tenantId)]);
    const key = found.find((item) => item.sk === 'APIKEY');
    const tenant = found.find((item) => item.sk === 'TENANT');
    return {
      ...(key ? { key: stripKeys<ApiKeyRecord>(key, keyAttributes) } : {}),
      ...(tenant ? { tenant: stripKeys<TenantRecord>(tenant, keyAttributes) } : {}),
    };
  },
});
