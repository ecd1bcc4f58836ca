import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CallReader } from '../../domain/ports.js';
import type { CallRecord } from '../../domain/records.js';
import { callKey } from '../keys.js';
import { stripKeys, type Table } from '../table.js';
import { callKeyAttributes } from './callItems.js';

export const createCallReader = (table: Table): CallReader => ({
  async findCall(callId) {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: callKey(callId) }));
    return Item ? stripKeys<CallRecord>(Item, callKeyAttributes) : undefined;
  },
});
