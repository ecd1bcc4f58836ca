import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CallReader } from '../../domain/ports.js';
import type { CallRecord, Transcript } from '../../domain/records.js';
import { callKey, callKeyAttributes, callTranscriptKey } from '../keys.js';
import { batchGet, stripKeys, type Table } from '../table.js';

/** The call item and, when its owner's transcript item is among `items`, the transcript with it. */
const callWithTranscript = (items: readonly Record<string, unknown>[], callId: string, tenantId?: string) => {
  const call = items.find((item) => item.sk === callKey(callId).sk);
  if (!call || (tenantId !== undefined && call.tenantId !== tenantId)) return undefined;
  const transcriptSk = callTranscriptKey(callId, String(call.tenantId)).sk;
  const transcript = items.find((item) => item.sk === transcriptSk)?.transcript as Transcript | undefined;
  return { ...stripKeys<CallRecord>(call, callKeyAttributes), ...(transcript ? { transcript } : {}) };
};

export const createCallReader = (table: Table): CallReader => ({
  // Operators and the pipeline: the call's whole partition in one Query, whoever owns it.
  async findCall(callId) {
    const { Items = [] } = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': callKey(callId).pk },
      }),
    );
    return callWithTranscript(Items, callId);
  },

  // The transcript's key names the tenant (keys.ts): asked for with the caller's tenant, it exists
  // only for the caller's own call, so one BatchGetItem reads both without ever reading another
  // tenant's transcript.
  async findCallOfTenant(callId, tenantId) {
    const items = await batchGet(table, [callKey(callId), callTranscriptKey(callId, tenantId)]);
    return callWithTranscript(items, callId, tenantId);
  },
});
