import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { serviceUnavailable } from './faults.js';
import type { Table } from './table.js';

/**
 * A few items by key in one BatchGetItem. DynamoDB may leave keys unprocessed under load: one more
 * try for those, then it is a 503. Missing items are simply absent from the result.
 */
export const batchGet = async (table: Table, keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> => {
  const found: Record<string, unknown>[] = [];
  let pending = keys;
  for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
    const output: BatchGetCommandOutput = await table.db.send(
      new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending } } }),
    );
    found.push(...(output.Responses?.[table.name] ?? []));
    pending = output.UnprocessedKeys?.[table.name]?.Keys ?? [];
  }
  if (pending.length > 0) throw serviceUnavailable(new Error('BatchGetItem left keys unprocessed'));
  return found;
};
