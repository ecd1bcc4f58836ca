import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, AuditRecord, TenantRecord } from '../domain/records.js';
import { apiKeyKey, auditKey, quotaKey, tenantApiKeyKey, tenantKey, tenantRegistryKey } from './keys.js';
import { stripKeys, type Table } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What may change about a tenant after it is created. */
export type TenantChanges = Partial<Pick<TenantRecord, 'status' | 'allowedCidrs' | 'monthlySessionQuota'>>;

/**
 * Tenants and their API keys: written by onboarding and operator tooling, read by auth. Every
 * change is written in one transaction with its audit record, so no change goes unrecorded.
 */
export const createTenantStore = (table: Table) => {
  const auditPut = (tenantId: string, audit: AuditRecord): TransactItem => ({
    Put: {
      TableName: table.name,
      Item: { ...auditKey(tenantId, audit.at, randomBytes(4).toString('hex')), tenantId, ...audit },
    },
  });

  /** @returns false when a condition failed (nothing was written) */
  const transact = async (items: TransactItem[]): Promise<boolean> => {
    try {
      await table.db.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')
      ) {
        return false;
      }
      throw error;
    }
  };

  const batchGet = async <T>(keys: Record<string, unknown>[]): Promise<T[]> => {
    const found: T[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
      while (pending.length > 0) {
        const output = await table.db.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending } } }));
        for (const item of output.Responses?.[table.name] ?? []) found.push(stripKeys<T>(item, ['pk', 'sk']));
        pending = output.UnprocessedKeys?.[table.name]?.Keys ?? [];
      }
    }
    return found;
  };

  const findApiKeyByHash = async (keyHash: string): Promise<ApiKeyRecord | undefined> => {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: apiKeyKey(keyHash) }));
    return Item ? stripKeys<ApiKeyRecord>(Item, ['pk', 'sk']) : undefined;
  };

  const apiKeyPuts = (key: ApiKeyRecord): TransactItem[] => [
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

  /** The same change on the tenant's pointer to a key, which redeem checks. */
  const pointerUpdate = (
    key: ApiKeyRecord,
    updateExpression: string,
    names: Record<string, string> | undefined,
    values: Record<string, unknown>,
  ): TransactItem => ({
    Update: {
      TableName: table.name,
      Key: tenantApiKeyKey(key.tenantId, key.keyId),
      ConditionExpression: 'attribute_exists(pk)',
      UpdateExpression: updateExpression,
      ...(names ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    },
  });

  return {
    async createTenant(tenant: TenantRecord, audit?: AuditRecord): Promise<void> {
      await transact([
        {
          Put: {
            TableName: table.name,
            Item: { ...tenantKey(tenant.tenantId), ...tenant },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: table.name, Item: { ...tenantRegistryKey(tenant.tenantId), tenantId: tenant.tenantId } } },
        ...(audit ? [auditPut(tenant.tenantId, audit)] : []),
      ]);
    },

    async findTenant(tenantId: string): Promise<TenantRecord | undefined> {
      const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: tenantKey(tenantId) }));
      return Item ? stripKeys<TenantRecord>(Item, ['pk', 'sk']) : undefined;
    },

    async listTenants(): Promise<TenantRecord[]> {
      const ids: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await table.db.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'pk = :registry',
            ExpressionAttributeValues: { ':registry': 'TENANTS' },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) ids.push(String(item.tenantId));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      const tenants = await batchGet<TenantRecord>(ids.map(tenantKey));
      return tenants.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    /** @returns false when there is no such tenant (nothing is written then) */
    async updateTenant(
      tenantId: string,
      changes: TenantChanges,
      updatedAt: string,
      audit: AuditRecord,
    ): Promise<boolean> {
      const assignments = Object.entries({ ...changes, updatedAt }).filter(([, value]) => value !== undefined);
      return transact([
        {
          Update: {
            TableName: table.name,
            Key: tenantKey(tenantId),
            ConditionExpression: 'attribute_exists(pk)',
            UpdateExpression: `SET ${assignments.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ExpressionAttributeNames: Object.fromEntries(assignments.map(([name], i) => [`#f${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(assignments.map(([, value], i) => [`:v${i}`, value])),
          },
        },
        auditPut(tenantId, audit),
      ]);
    },

    /** The key item (found by hash at auth) and the tenant's pointer to it, both or neither. */
    async createApiKey(key: ApiKeyRecord, audit?: AuditRecord): Promise<void> {
      await transact([...apiKeyPuts(key), ...(audit ? [auditPut(key.tenantId, audit)] : [])]);
    },

    findApiKeyByHash,

    async findApiKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
      const { Item } = await table.db.send(
        new GetCommand({ TableName: table.name, Key: tenantApiKeyKey(tenantId, keyId) }),
      );
      return Item ? findApiKeyByHash(String(Item.keyHash)) : undefined;
    },

    async listApiKeys(tenantId: string): Promise<ApiKeyRecord[]> {
      const { Items = [] } = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keys)',
          ExpressionAttributeValues: { ':pk': tenantKey(tenantId).pk, ':keys': 'KEY#' },
        }),
      );
      const keys = await batchGet<ApiKeyRecord>(Items.map((item) => apiKeyKey(String(item.keyHash))));
      return keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    /** @returns false when the key was not active (nothing is written then) */
    async revokeApiKey(key: ApiKeyRecord, revokedAt: string, audit: AuditRecord): Promise<boolean> {
      return transact([
        {
          Update: {
            TableName: table.name,
            Key: apiKeyKey(key.keyHash),
            ConditionExpression: '#status = :active',
            UpdateExpression: 'SET #status = :revoked, revokedAt = :at',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'active', ':revoked': 'revoked', ':at': revokedAt },
          },
        },
        pointerUpdate(key, 'SET #status = :revoked', { '#status': 'status' }, { ':revoked': 'revoked' }),
        auditPut(key.tenantId, audit),
      ]);
    },

    /**
     * Gives the old key an end (the overlap) and creates its successor, together.
     * @returns false when the old key was not active or already rotated (nothing is written then)
     */
    async rotateApiKey(
      old: ApiKeyRecord,
      oldExpiresAt: string,
      successor: ApiKeyRecord,
      audit: AuditRecord,
    ): Promise<boolean> {
      return transact([
        {
          Update: {
            TableName: table.name,
            Key: apiKeyKey(old.keyHash),
            ConditionExpression: '#status = :active AND (attribute_not_exists(expiresAt) OR expiresAt = :none)',
            UpdateExpression: 'SET expiresAt = :expiresAt',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'active', ':none': null, ':expiresAt': oldExpiresAt },
          },
        },
        pointerUpdate(old, 'SET expiresAt = :expiresAt', undefined, { ':expiresAt': oldExpiresAt }),
        ...apiKeyPuts(successor),
        auditPut(old.tenantId, audit),
      ]);
    },

    /** Newest first. */
    async listAudit(tenantId: string, limit: number): Promise<AuditRecord[]> {
      const { Items = [] } = await table.db.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
          ExpressionAttributeValues: { ':pk': tenantKey(tenantId).pk, ':audit': 'AUDIT#' },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map(
        (item) => ({ at: item.at, actor: item.actor, action: item.action, details: item.details }) as AuditRecord,
      );
    },

    async sessionsMinted(tenantId: string, month: string): Promise<number> {
      const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: quotaKey(tenantId, month) }));
      return Number(Item?.sessionsMinted ?? 0);
    },
  };
};

export type TenantStore = ReturnType<typeof createTenantStore>;
