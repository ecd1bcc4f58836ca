import { BatchGetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { serviceUnavailable } from '../domain/errors.js';
import type { DocumentClient } from './client.js';

/** Where the repositories read and write: the shared client and the table's name. */
export interface Table {
  readonly db: DocumentClient;
  readonly name: string;
}

/** Every item's own address; records never carry it. */
export const itemKeyAttributes = ['pk', 'sk'] as const;

/** Repositories return records without the table's addressing attributes. */
export const stripKeys = <T>(item: Record<string, unknown>, keyAttributes: readonly string[]): T => {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!keyAttributes.includes(name)) record[name] = value;
  }
  return record as T;
};

/** One item of a TransactWriteItems request. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Every item of `keys` that exists, however many and however long DynamoDB takes: for the back
 * office, where completeness matters more than a bounded wait. Order is not kept.
 */
export const getAll = async (table: Table, keys: readonly Record<string, unknown>[]) => {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] = keys.slice(i, i + 100);
    while (pending.length > 0) {
      const output = await table.db.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending } } }));
      found.push(...(output.Responses?.[table.name] ?? []));
      pending = output.UnprocessedKeys?.[table.name]?.Keys ?? [];
    }
  }
  return found;
};

/**
 * A few items by key in one BatchGetItem, for the API's reads, where the wait must stay bounded.
 * DynamoDB may leave keys unprocessed under load: one more try for those, then it is a 503.
 * Missing items are simply absent from the result.
 */
export const batchGet = async (table: Table, keys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> => {
  const found: Record<string, unknown>[] = [];
  let pending = keys;
  for (let attempt = 0; attempt < 2 && pending.length > 0; attempt++) {
    const output = await table.db.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending } } }));
    found.push(...(output.Responses?.[table.name] ?? []));
    pending = output.UnprocessedKeys?.[table.name]?.Keys ?? [];
  }
  if (pending.length > 0) throw serviceUnavailable(new Error('BatchGetItem left keys unprocessed'));
  return found;
};
