import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, TenantRecord } from '../domain/records.js';
import { apiKeyKey, tenantApiKeyKey, tenantKey } from './keys.js';
import { stripKeys, type Table } from './table.js';

/** Tenants and their API keys: written by onboarding (seed, operator tooling), read by auth. */
export const createTenantStore = (table: Table) => ({
  async createTenant(tenant: TenantRecord): Promise<void> {
    await table.db.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...tenantKey(tenant.tenantId), ...tenant },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async findTenant(tenantId: string): Promise<TenantRecord | undefined> {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: tenantKey(tenantId) }));
    return Item ? stripKeys<TenantRecord>(Item, ['pk', 'sk']) : undefined;
  },

  /** The key item (found by hash at auth) and the tenant's pointer to it, both or neither. */
  async createApiKey(key: ApiKeyRecord): Promise<void> {
    await table.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table.name,
              Item: { ...apiKeyKey(key.keyHash), ...key },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: table.name,
              Item: { ...tenantApiKeyKey(key.tenantId, key.keyId), keyId: key.keyId, keyHash: key.keyHash },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  },
});

export type TenantStore = ReturnType<typeof createTenantStore>;
