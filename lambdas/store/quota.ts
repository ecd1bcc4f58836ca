import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { QuotaStore, QuotaUsage } from '../domain/ports.js';
import { quotaKey } from './keys.js';
import type { Table } from './table.js';

/**
 * One counter item per tenant and month. `ADD` with a `< limit` condition is atomic in DynamoDB, so
 * parallel mints can never count past the limit, and a refused mint changes nothing.
 */
export const createQuotaStore = (table: Table): QuotaStore => ({
  async countSession(tenantId, month, limit) {
    try {
      await table.db.send(
        new UpdateCommand({
          TableName: table.name,
          Key: quotaKey(tenantId, month),
          UpdateExpression: 'ADD sessionsMinted :one',
          ...(limit === null
            ? { ExpressionAttributeValues: { ':one': 1 } }
            : {
                ConditionExpression: 'attribute_not_exists(sessionsMinted) OR sessionsMinted < :limit',
                ExpressionAttributeValues: { ':one': 1, ':limit': limit },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },
});

export const createQuotaUsage = (table: Table): QuotaUsage => ({
  async sessionsMinted(tenantId, month) {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: quotaKey(tenantId, month) }));
    return Number(Item?.sessionsMinted ?? 0);
  },
});
