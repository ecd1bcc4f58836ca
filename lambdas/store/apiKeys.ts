import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRepository, AuthStore, KeyUsageStore } from '../domain/ports.js';
import type { ApiKeyRecord } from '../domain/records.js';
import { auditPut } from './audit.js';
import { apiKeyKey, tenantApiKeyKey, tenantKey } from './keys.js';
import { batchGet, getAll, itemKeyAttributes, stripKeys, type Table } from './table.js';
import { tenantFromItem } from './tenants.js';
import { transactWrite, type TransactItem } from './transactions.js';
import { allOf, itemExists, setAttributes, type ConditionPart } from './updateExpressions.js';

/**
 * API key items (by the key's hash, the only form in which a key is stored) and each tenant's
 * pointer to its keys (by key id). Authentication, key usage and the back office all go through
 * this module.
 */

const apiKeyFromItem = (item: Record<string, unknown>): ApiKeyRecord =>
  stripKeys<ApiKeyRecord>(item, itemKeyAttributes);

/** The API key and its tenant in one BatchGetItem: authentication costs one round trip. */
export const createAuthStore = (table: Table): AuthStore => ({
  async findKeyAndTenant(keyHash, tenantId) {
    const found = await batchGet(table, [apiKeyKey(keyHash), tenantKey(tenantId)]);
    const key = found.find((item) => item.sk === 'APIKEY');
    const tenant = found.find((item) => item.sk === 'TENANT');
    return {
      ...(key ? { key: apiKeyFromItem(key) } : {}),
      ...(tenant ? { tenant: tenantFromItem(tenant) } : {}),
    };
  },
});

export const createKeyUsageStore = (table: Table): KeyUsageStore => ({
  async recordUse(keyHash, at) {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: apiKeyKey(keyHash),
        ...setAttributes({ lastUsedAt: at }, itemExists),
      }),
    );
  },
});

const isActive: ConditionPart = {
  expression: '#status = :active',
  names: { '#status': 'status' },
  values: { ':active': 'active' },
};
const notRotated: ConditionPart = {
  expression: 'attribute_not_exists(#expiresAt) OR #expiresAt = :noExpiry',
  names: { '#expiresAt': 'expiresAt' },
  values: { ':noExpiry': null },
};

export const createApiKeyRepository = (table: Table): ApiKeyRepository => {
  const findByHash = async (keyHash: string): Promise<ApiKeyRecord | undefined> => {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: apiKeyKey(keyHash) }));
    return Item ? apiKeyFromItem(Item) : undefined;
  };

  const keyPuts = (key: ApiKeyRecord): TransactItem[] => [
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
        // Status and rotation end are mirrored here for redeem, which finds the key by id alone.
        Item: {
          ...tenantApiKeyKey(key.tenantId, key.keyId),
          keyId: key.keyId,
          keyHash: key.keyHash,
          status: key.status,
          expiresAt: key.expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];

  /** The same change on the tenant's pointer to the key, which redeem checks. */
  const pointerUpdate = (key: ApiKeyRecord, attributes: Record<string, unknown>): TransactItem => ({
    Update: {
      TableName: table.name,
      Key: tenantApiKeyKey(key.tenantId, key.keyId),
      ...setAttributes(attributes, itemExists),
    },
  });

  return {
    async createApiKey(key, audit) {
      await transactWrite(table, [...keyPuts(key), ...(audit ? [auditPut(table, key.tenantId, audit)] : [])]);
    },

    async findApiKey(tenantId, keyId) {
      const { Item } = await table.db.send(
        new GetCommand({ TableName: table.name, Key: tenantApiKeyKey(tenantId, keyId) }),
      );
      return Item ? findByHash(String(Item.keyHash)) : undefined;
    },

    async listApiKeys(tenantId) {
      const { Items = [] } = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keys)',
          ExpressionAttributeValues: { ':pk': tenantKey(tenantId).pk, ':keys': 'KEY#' },
        }),
      );
      const keys = (
        await getAll(
          table,
          Items.map((item) => apiKeyKey(String(item.keyHash))),
        )
      ).map(apiKeyFromItem);
      return keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async revokeApiKey(key, revokedAt, audit) {
      return transactWrite(table, [
        {
          Update: {
            TableName: table.name,
            Key: apiKeyKey(key.keyHash),
            ...setAttributes({ status: 'revoked', revokedAt }, isActive),
          },
        },
        pointerUpdate(key, { status: 'revoked' }),
        auditPut(table, key.tenantId, audit),
      ]);
    },

    async rotateApiKey(old, oldExpiresAt, successor, audit) {
      return transactWrite(table, [
        {
          Update: {
            TableName: table.name,
            Key: apiKeyKey(old.keyHash),
            ...setAttributes({ expiresAt: oldExpiresAt }, allOf(isActive, notRotated)),
          },
        },
        pointerUpdate(old, { expiresAt: oldExpiresAt }),
        ...keyPuts(successor),
        auditPut(table, old.tenantId, audit),
      ]);
    },
  };
};
