import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CallReader } from '../../domain/ports.js';
import type { CallRecord, Transcript } from '../../domain/records.js';
import { batchGet } from '../batchGet.js';
import { callKey, callTranscriptKey } from '../keys.js';
import { stripKeys, type Table } from '../table.js';
import { callKeyAttributes } from './callItems.js';

/** The call item alone (no transcript): what scoring and the detail's checks need. */
export const readCallItem = async (table: Table, callId: string): Promise<CallRecord | undefined> => {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.name, Key: callKey(callId) }));
  return Item ? stripKeys<CallRecord>(Item, callKeyAttributes) : undefined;
};

const withTranscript = (call: CallRecord, transcriptItem: Record<string, unknown> | undefined): CallRecord => {
  const transcript = transcriptItem?.transcript as Transcript | undefined;
  return transcript ? { ...call, transcript } : call;
};

export const createCallReader = (table: Table): CallReader => ({
  async findCall(callId) {
    const call = await readCallItem(table, callId);
    if (!call) return undefined;
    const { Item } = await table.db.send(
      new GetCommand({ TableName: table.name, Key: callTranscriptKey(callId, call.tenantId) }),
    );
    return withTranscript(call, Item);
  },

  // The transcript's key names the tenant (keys.ts): asked for with the caller's tenant, it exists
  // only for the caller's own scored call, so one BatchGetItem reads both without ever reading
  // another tenant's transcript.
  async findCallOfTenant(callId, tenantId) {
    const transcriptKey = callTranscriptKey(callId, tenantId);
    const items = await batchGet(table, [callKey(callId), transcriptKey]);
    const call = items.find((item) => item.sk === 'CALL');
    if (!call || call.tenantId !== tenantId) return undefined;
    return withTranscript(
      stripKeys<CallRecord>(call, callKeyAttributes),
      items.find((item) => item.sk === transcriptKey.sk),
    );
  },
});
