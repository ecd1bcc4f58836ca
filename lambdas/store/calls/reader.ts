import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CallReader } from '../../domain/ports.js';
import type { CallRecord, Transcript } from '../../domain/records.js';
import { callKey, callKeyAttributes } from '../keys.js';
import { stripKeys, type Table } from '../table.js';

/** A call with its transcript: both items of the call's partition in one Query. */
export const createCallReader = (table: Table): CallReader => ({
  async findCall(callId) {
    const { Items = [] } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': callKey(callId).pk },
      }),
    );
    const call = Items.find((item) => item.sk === 'CALL');
    if (!call) return undefined;
    const transcript = Items.find((item) => item.sk === 'TRANSCRIPT')?.transcript as Transcript | undefined;
    return { ...stripKeys<CallRecord>(call, callKeyAttributes), ...(transcript ? { transcript } : {}) };
  },
});
