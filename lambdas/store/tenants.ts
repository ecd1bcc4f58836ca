import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TenantRepository } from '../domain/ports.js';
import type { TenantRecord } from '../domain/records.js';
import { auditPut } from './audit.js';
import { tenantKey, tenantRegistryKey } from './keys.js';
import { getAll, itemKeyAttributes, stripKeys, type Table } from './table.js';
import { transactWrite } from './transactions.js';
import { itemExists, setAttributes } from './updateExpressions.js';

/** Tenant items, and the registry entry that lets operators list them with a Query. */

export const tenantFromItem = (item: Record<string, unknown>): TenantRecord =>
  stripKeys<TenantRecord>(item, itemKeyAttributes);

export const createTenantRepository = (table: Table): TenantRepository => ({
  async createTenant(tenant, audit) {
    await transactWrite(table, [
      {
        Put: {
          TableName: table.name,
          Item: { ...tenantKey(tenant.tenantId), ...tenant },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: table.name, Item: { ...tenantRegistryKey(tenant.tenantId), tenantId: tenant.tenantId } } },
      ...(audit ? [auditPut(table, tenant.tenantId, audit)] : []),
    ]);
  },

  async findTenant(tenantId) {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: tenantKey(tenantId) }));
    return Item ? tenantFromItem(Item) : undefined;
  },

  async listTenants() {
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
    const tenants = (await getAll(table, ids.map(tenantKey))).map(tenantFromItem);
    return tenants.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  },

  async updateTenant(tenantId, changes, updatedAt, audit) {
    return transactWrite(table, [
      {
        Update: {
          TableName: table.name,
          Key: tenantKey(tenantId),
          ...setAttributes({ ...changes, updatedAt }, itemExists),
        },
      },
      auditPut(table, tenantId, audit),
    ]);
  },
});
