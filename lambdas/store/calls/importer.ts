import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CallRecord } from '../../domain/records.js';
import { callKey, callTranscriptKey, listIndexKeys } from '../keys.js';
import type { Table } from '../table.js';

/** BatchWriteItem takes 25 items: 12 calls, each a call item and its transcript item. */
const callsPerBatch = 12;

/**
 * Writes calls that are already scored, as redeem and scoring together would have left them, with
 * BatchWriteItem: for demo data and benchmarks, where 100,000 calls must take minutes, not hours.
 * Kept apart from the call store so no handler bundle carries it.
 * @param onProgress called with the number written so far
 */
export const importScoredCalls = async (
  table: Table,
  calls: readonly (CallRecord & { endedAt: string })[],
  options: { concurrency?: number; onProgress?: (written: number) => void } = {},
): Promise<void> => {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < calls.length; i += callsPerBatch) {
    batches.push(
      calls.slice(i, i + callsPerBatch).flatMap(({ transcript, ...call }) => [
        { ...callKey(call.callId), ...call, ...listIndexKeys(call) },
        {
          ...callTranscriptKey(call.callId, call.tenantId),
          callId: call.callId,
          tenantId: call.tenantId,
          transcript: transcript ?? [],
        },
      ]),
    );
  }
  let written = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++] ?? [];
      await writeAll(table, batch);
      written += batch.length / 2;
      options.onProgress?.(written);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
};

/** One batch, retrying what DynamoDB leaves unprocessed under load, with a growing pause. */
const writeAll = async (table: Table, items: Record<string, unknown>[]) => {
  let pending = items.map((item) => ({ PutRequest: { Item: item } }));
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await sleep(Math.min(2_000, 50 * 2 ** attempt));
    const output = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending } }));
    pending = (output.UnprocessedItems?.[table.name] ?? []) as typeof pending;
  }
};
