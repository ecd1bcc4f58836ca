import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyUsageStore } from '../domain/ports.js';
import { apiKeyKey } from './keys.js';
import type { Table } from './table.js';

export const createKeyUsageStore = (table: Table): KeyUsageStore => ({
  async recordUse(keyHash, at) {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: apiKeyKey(keyHash),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: 'SET lastUsedAt = :at',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  },
});
