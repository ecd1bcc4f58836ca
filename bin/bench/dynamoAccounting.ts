import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Counts what reaches DynamoDB while a request runs, and prices it the way DynamoDB bills: reads
 * in 4 KB units (half a unit, eventually consistent), writes in 1 KB units, twice in a transaction.
 * Capacity is computed from item sizes because DynamoDB Local under-reports transactions; what it
 * does report is kept alongside.
 */

interface Sent {
  readonly command: string;
  readonly input: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
}

export interface Cost {
  readonly roundTrips: number;
  readonly commands: string[];
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Bytes of items DynamoDB read to answer. */
  readonly bytesRead: number;
  /** What DynamoDB Local said it consumed (read and write together). */
  readonly reportedUnits: number;
}

type Send = (
  this: DynamoDBDocumentClient,
  command: { input: Record<string, unknown>; constructor: { name: string } },
  ...rest: unknown[]
) => Promise<Record<string, unknown>>;

export const recordDynamoCommands = () => {
  const prototype = DynamoDBDocumentClient.prototype as unknown as { send: Send };
  const original = prototype.send;
  let sent: Sent[] = [];
  prototype.send = async function (command, ...rest) {
    command.input.ReturnConsumedCapacity ??= 'TOTAL';
    // The written item's size prices an update; the store ignores what comes back.
    if (command.constructor.name === 'UpdateCommand') command.input.ReturnValues ??= 'ALL_NEW';
    try {
      const output = await original.call(this, command, ...rest);
      sent.push({ command: command.constructor.name, input: command.input, output });
      return output;
    } catch (error) {
      sent.push({ command: command.constructor.name, input: command.input });
      throw error;
    }
  };
  return {
    /** The cost of what `run` sent, and DynamoDB's answers by command (to replay without I/O). */
    async measure(run: () => Promise<unknown>): Promise<{ cost: Cost; answers: Map<string, Record<string, unknown>> }> {
      sent = [];
      await run();
      return { cost: costOf(sent), answers: new Map(sent.map((entry) => [entry.command, entry.output ?? {}])) };
    },
    restore: () => {
      prototype.send = original;
    },
  };
};

const costOf = (sent: Sent[]): Cost => {
  let readUnits = 0;
  let writeUnits = 0;
  let bytesRead = 0;
  let reportedUnits = 0;
  for (const { command, input, output } of sent) {
    const reported = output?.ConsumedCapacity;
    for (const entry of Array.isArray(reported) ? reported : reported ? [reported] : [])
      reportedUnits += Number((entry as { CapacityUnits?: number }).CapacityUnits ?? 0);
    switch (command) {
      case 'GetCommand': {
        const size = itemSize(output?.Item);
        bytesRead += size;
        readUnits += readCost(size);
        break;
      }
      case 'BatchGetCommand': {
        const responses = Object.values((output?.Responses ?? {}) as Record<string, Record<string, unknown>[]>).flat();
        const requested = Object.values((input.RequestItems ?? {}) as Record<string, { Keys: unknown[] }>).reduce(
          (n, request) => n + request.Keys.length,
          0,
        );
        for (const item of responses) {
          bytesRead += itemSize(item);
          readUnits += readCost(itemSize(item));
        }
        readUnits += 0.5 * Math.max(0, requested - responses.length);
        break;
      }
      case 'QueryCommand': {
        const size = ((output?.Items ?? []) as Record<string, unknown>[]).reduce(
          (total, item) => total + itemSize(item),
          0,
        );
        bytesRead += size;
        readUnits += readCost(size);
        break;
      }
      case 'UpdateCommand':
        writeUnits += writeCost(itemSize(output?.Attributes));
        break;
      case 'PutCommand':
        writeUnits += writeCost(itemSize(input.Item));
        break;
      case 'TransactWriteCommand':
        for (const item of (input.TransactItems ?? []) as { Put?: { Item: unknown } }[])
          writeUnits += 2 * writeCost(itemSize(item.Put?.Item));
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
    reportedUnits,
  };
};

const readCost = (bytes: number) => 0.5 * Math.max(1, Math.ceil(bytes / 4096));
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
