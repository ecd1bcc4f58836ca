import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { newCallId } from '../../lambdas/domain/ids.js';
import { randomBase64Url } from '../../lambdas/domain/random.js';
import type { DocumentClient } from '../../lambdas/store/client.js';
import type { Sent } from './meter.js';

/**
 * The yardstick for CPU and load: a handler that makes exactly the DynamoDB calls the real handler
 * made for the same operation (recorded from it, see meter.ts), through a client with the same
 * settings, and nothing else: no middleware, no validation, no tokens, no logging. Whatever the
 * real handler costs beyond it is what our code adds to the SDK's own work.
 */
export const operations = ['mint', 'redeem', 'list', 'get'] as const;
export type Operation = (typeof operations)[number];
export type Plans = Record<Operation, Sent[]>;

const commands: Record<string, new (input: never) => object> = {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
};

/**
 * The calls of one request. A redeem writes a token use and a call that must be new each time, so
 * its recorded ids are swapped for fresh ones; the rest repeat as recorded.
 */
export const callsFor = (plans: Plans, operation: Operation): Sent[] => {
  const recorded = plans[operation];
  if (operation !== 'redeem') return recorded;
  const text = JSON.stringify(recorded);
  const [transaction] = recorded as unknown as {
    input: { ClientRequestToken: string; TransactItems: { Put: { Item: Record<string, string> } }[] };
  }[];
  const tokenUse = String(transaction?.input.TransactItems[0]?.Put.Item.pk);
  const callId = String(transaction?.input.TransactItems[1]?.Put.Item.callId);
  const requestToken = String(transaction?.input.ClientRequestToken);
  return JSON.parse(
    text
      .replaceAll(tokenUse, `JTI#${randomBase64Url(18)}`)
      .replaceAll(callId, newCallId())
      .replaceAll(requestToken, randomBase64Url(27).slice(0, 36)),
  ) as Sent[];
};

/** Sends the calls in order, as the real handler does, and answers with the last one's result. */
export const runReference = async (db: DocumentClient, calls: readonly Sent[]) => {
  let output: Record<string, unknown> = {};
  for (const { command, input } of calls) {
    const Command = commands[command];
    if (!Command) throw new Error(`the reference cannot send ${command}`);
    output = (await db.send(new Command(input as never) as never)) as Record<string, unknown>;
  }
  return { statusCode: 200, body: JSON.stringify(output.Items ?? output.Responses ?? output.Attributes ?? {}) };
};
