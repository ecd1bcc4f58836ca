import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../../lambdas/store/client.js';
import { tableDefinition } from '../../lambdas/store/tableDefinition.js';

/**
 * Watches what reaches DynamoDB while code runs, without changing it: each request goes out exactly
 * as the code built it (no ReturnConsumedCapacity, no ReturnValues added). Capacity is priced
 * afterwards the way DynamoDB bills, by reading the same items again on the side, unwatched: a
 * Query's index entries with every key attribute they carry, whole items for GetItem and
 * BatchGetItem whatever their projection, 4 KB read units (half for eventually consistent reads),
 * 1 KB write units (twice in a transaction) plus one write per index entry written.
 */

export interface Sent {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

export interface Cost {
  readonly roundTrips: number;
  readonly commands: string[];
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Bytes of items (or index entries) DynamoDB read to answer. */
  readonly bytesRead: number;
  /** What DynamoDB Local itself reports for the same reads (it prices index entries its own way). */
  readonly reportedReadUnits: number;
}

type Send = (
  this: DynamoDBDocumentClient,
  command: { input: Record<string, unknown>; constructor: { name: string } },
  ...rest: unknown[]
) => Promise<Record<string, unknown>>;

export const watchDynamoCommands = () => {
  const prototype = DynamoDBDocumentClient.prototype as unknown as { send: Send };
  const original = prototype.send;
  let sent: Sent[] | undefined;
  prototype.send = function (command, ...rest) {
    sent?.push({ command: command.constructor.name, input: structuredClone(command.input) });
    return original.call(this, command, ...rest);
  };
  /** Sends on the side, outside any recording: not counted. */
  const unwatched = (db: DocumentClient, command: object) =>
    db.send(command as never) as unknown as Promise<Record<string, unknown>>;

  return {
    /** What `run` sent, in order. */
    async record(run: () => Promise<unknown>): Promise<Sent[]> {
      sent = [];
      try {
        await run();
        return sent;
      } finally {
        sent = undefined;
      }
    },
    /** The cost of what `run` sent, priced with `db` after it finished. */
    async measure(db: DocumentClient, run: () => Promise<unknown>): Promise<Cost> {
      return priceOf(await this.record(run), (command) => unwatched(db, command));
    },
    restore: () => {
      prototype.send = original;
    },
  };
};

type SendAside = (command: object) => Promise<Record<string, unknown>>;

const priceOf = async (sent: readonly Sent[], aside: SendAside): Promise<Cost> => {
  let readUnits = 0;
  let writeUnits = 0;
  let bytesRead = 0;
  let reportedReadUnits = 0;
  const itemAt = async (tableName: string, key: unknown) =>
    (await aside(new GetCommand({ TableName: tableName, Key: key as Record<string, unknown> }))).Item as
      Record<string, unknown> | undefined;
  const written = (item: Record<string, unknown> | undefined, times: number) => {
    writeUnits += times * (writeCost(itemSize(item)) + indexWrites(item));
  };

  for (const { command, input } of sent) {
    const consistent = input.ConsistentRead === true;
    switch (command) {
      case 'GetCommand': {
        const size = itemSize(await itemAt(String(input.TableName), input.Key));
        bytesRead += size;
        readUnits += readCost(size, consistent);
        break;
      }
      case 'BatchGetCommand':
        for (const [tableName, request] of Object.entries(
          input.RequestItems as Record<string, { Keys: unknown[]; ConsistentRead?: boolean }>,
        )) {
          for (const key of request.Keys) {
            const size = itemSize(await itemAt(tableName, key));
            bytesRead += size;
            readUnits += readCost(size, request.ConsistentRead === true);
          }
        }
        break;
      case 'QueryCommand': {
        const output = await aside(new QueryCommand(entriesRead(input)));
        const size = ((output.Items ?? []) as Record<string, unknown>[]).reduce((sum, item) => sum + itemSize(item), 0);
        bytesRead += size;
        readUnits += readCost(size, consistent);
        reportedReadUnits += Number((output.ConsumedCapacity as { CapacityUnits?: number })?.CapacityUnits ?? 0);
        break;
      }
      case 'PutCommand':
        written(input.Item as Record<string, unknown>, 1);
        break;
      case 'UpdateCommand':
        written(await itemAt(String(input.TableName), input.Key), 1);
        break;
      case 'TransactWriteCommand':
        for (const entry of input.TransactItems as {
          Put?: { Item: Record<string, unknown> };
          Update?: { TableName: string; Key: unknown };
        }[]) {
          if (entry.Put) written(entry.Put.Item, 2);
          if (entry.Update) written(await itemAt(entry.Update.TableName, entry.Update.Key), 2);
        }
        break;
      default:
        break;
    }
  }
  return {
    roundTrips: sent.length,
    commands: sent.map((entry) => entry.command.replace(/Command$/, '')),
    readUnits,
    writeUnits,
    bytesRead,
    reportedReadUnits,
  };
};

/**
 * The same Query, returning every attribute of every entry it reads: no projection (which does not
 * lower the bill) and no filter (whose rows are billed too), the same key condition, Limit and
 * start key. Names and values only the projection or filter used are dropped, as DynamoDB refuses
 * unused ones.
 */
const entriesRead = (input: Record<string, unknown>) => {
  const { ProjectionExpression: _projection, FilterExpression: _filter, ...rest } = input;
  const condition = String(input.KeyConditionExpression);
  const used = <T>(entries: Record<string, T> | undefined) =>
    Object.fromEntries(Object.entries(entries ?? {}).filter(([name]) => new RegExp(`${name}\\b`).test(condition)));
  return {
    ...rest,
    ExpressionAttributeNames: used(input.ExpressionAttributeNames as Record<string, string>),
    ExpressionAttributeValues: used(input.ExpressionAttributeValues as Record<string, unknown>),
    Select: input.IndexName ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES',
    ReturnConsumedCapacity: 'TOTAL',
  } as ConstructorParameters<typeof QueryCommand>[0];
};

/** One write per index whose partition key the item carries, priced by the entry's size. */
const indexWrites = (item: Record<string, unknown> | undefined): number => {
  if (!item) return 0;
  let units = 0;
  for (const index of tableDefinition.indexes) {
    if (item[index.partitionKey] === undefined) continue;
    const entry: Record<string, unknown> = {};
    for (const name of [
      tableDefinition.partitionKey,
      tableDefinition.sortKey,
      index.partitionKey,
      index.sortKey,
      ...tableDefinition.indexProjection,
    ])
      if (item[name] !== undefined) entry[name] = item[name];
    units += writeCost(itemSize(entry));
  }
  return units;
};

const readCost = (bytes: number, consistent: boolean) => (consistent ? 1 : 0.5) * Math.max(1, Math.ceil(bytes / 4096));
const writeCost = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

/** DynamoDB's item size: attribute names plus values, as its documentation counts them. */
export const itemSize = (item: unknown): number => {
  if (!item || typeof item !== 'object') return 0;
  return Object.entries(item).reduce((total, [name, value]) => total + Buffer.byteLength(name) + valueSize(value), 0);
};

const valueSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return (
      Math.ceil(
        String(Math.abs(value))
          .replace(/[.e+-]/g, '')
          .replace(/^0+/, '').length / 2,
      ) + 1
    );
  if (value instanceof Uint8Array) return value.length;
  if (Array.isArray(value)) return 3 + value.reduce((total: number, element) => total + 1 + valueSize(element), 0);
  return (
    3 +
    Object.entries(value).reduce(
      (total, [name, element]) => total + 1 + Buffer.byteLength(name) + valueSize(element),
      0,
    )
  );
};
