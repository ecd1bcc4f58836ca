import type { DynamoDBDocumentClient, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** Where the repositories read and write: the shared client and the table's name. */
export interface Table {
  readonly db: DynamoDBDocumentClient;
  readonly name: string;
}

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
