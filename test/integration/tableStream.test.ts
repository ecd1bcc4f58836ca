import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lambdas/store/client.js';
import { ensureTable } from '../../local/ensureTable.js';
import { startTableStreamSource, type TableStreamSource } from '../../local/tableStream.js';
import { dynamoEndpoint } from '../support/testSettings.js';
import { eventually } from '../support/eventually.js';

/**
 * The local stand-in for Lambda's stream event source, on DynamoDB Local's stream. DynamoDB Local
 * numbers stream records across all its tables: when another table is written between the source
 * taking its iterator of an empty shard and its first read, the shard's first record comes after a
 * gap, and DynamoDB Local refuses that iterator (TrimmedDataAccessException). The source once
 * retried it forever, delivering nothing more: on a busy CI machine, where test files write their
 * own tables at once, a webhook test waited in vain.
 */

const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint() });
const realFetch = globalThis.fetch;
let source: TableStreamSource | undefined;

afterEach(async () => {
  globalThis.fetch = realFetch;
  await source?.stop();
  source = undefined;
});
afterAll(() => db.destroy());

const targetOf = (init: RequestInit | undefined) => new Headers(init?.headers).get('X-Amz-Target') ?? '';

const newTable = async () => {
  const tableName = `athos-stream-${randomBytes(4).toString('hex')}`;
  await ensureTable(dynamoEndpoint(), tableName);
  const put = (pk: string) => db.send(new PutCommand({ TableName: tableName, Item: { pk, sk: 'ITEM' } }));
  return [tableName, put] as const;
};

it('reads the first records of a shard whose first iterator DynamoDB Local came to refuse', async () => {
  const [tableName, put] = await newTable();
  const [, putElsewhere] = await newTable();
  // The race, made certain: as soon as the source has its iterator, another table is written, then this one.
  let raced = false;
  globalThis.fetch = async (input, init) => {
    const response = await realFetch(input, init);
    if (!raced && targetOf(init).endsWith('.GetShardIterator')) {
      raced = true;
      await putElsewhere('OTHER#1');
      await put('TEST#first');
    }
    return response;
  };
  const handled: string[] = [];
  source = await startTableStreamSource({
    dynamoEndpoint: dynamoEndpoint(),
    tableName,
    filter: { eventName: 'INSERT', keyPrefix: 'TEST#' },
    handler: async ({ Records }) => {
      handled.push(...Records.map((record) => String(record.dynamodb?.Keys?.pk?.S)));
    },
    idleMs: 20,
  });

  const handledOf = (pk: string) => async () => handled.includes(pk) || undefined;
  await eventually(handledOf('TEST#first'), { what: 'the raced record handled' });
  await put('TEST#second');
  await eventually(handledOf('TEST#second'), { what: 'the next record handled' });
  expect(raced).toBe(true);
  expect(handled).toEqual(['TEST#first', 'TEST#second']);
});
