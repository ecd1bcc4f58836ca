import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Table, TransactItem } from './table.js';

export type { TransactItem };

/**
 * Writes every item or none.
 * @returns false when one of the items' conditions failed (nothing was written then)
 */
export const transactWrite = async (table: Table, items: TransactItem[]): Promise<boolean> => {
  try {
    await table.db.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed')
    ) {
      return false;
    }
    throw error;
  }
};
