import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { currentTraceId, traceAwsCalls, traceCall } from '../../lambdas/observability/tracing.js';
import { createDocumentClient } from '../../lambdas/store/client.js';
import { dynamoEndpoint, testTableName } from '../support/testSettings.js';

const root = '1-5759e988-bd862e3fe1be46a994272793';
const lambdaSegment = '53995c3f42cd8ad8';
const traced = `Root=${root};Parent=${lambdaSegment};Sampled=1`;

interface Datagram {
  readonly header: unknown;
  readonly document: Record<string, any>;
}

/** A stand-in for the X-Ray daemon Lambda runs: it hands over the datagrams it receives, in order. */
const startDaemon = async () => {
  const socket = createSocket('udp4');
  const received: Datagram[] = [];
  let wake: (() => void) | undefined;
  socket.on('message', (message) => {
    const [header = '', document = ''] = message.toString('utf8').split('\n');
    received.push({ header: JSON.parse(header), document: JSON.parse(document) });
    wake?.();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    next: async (): Promise<Datagram> => {
      while (received.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return received.shift() as Datagram;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};

let daemon: Awaited<ReturnType<typeof startDaemon>>;
// A traced client with a probe on what it sends; the store's own client is checked below.
const client = traceAwsCalls(
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint: dynamoEndpoint(),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);
const db = DynamoDBDocumentClient.from(client);
const headersSent: (string | undefined)[] = [];
client.middlewareStack.add(
  (next) => async (args) => {
    headersSent.push((args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id']);
    return next(args);
  },
  { step: 'finalizeRequest', name: 'testTraceHeaderProbe' },
);
const key = (id: string) => ({ pk: `TRACE#${id}`, sk: 'TRACE' });

beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(() => daemon.close());
beforeEach(() => {
  process.env.AWS_XRAY_DAEMON_ADDRESS = daemon.address;
  process.env._X_AMZN_TRACE_ID = traced;
});
afterEach(() => {
  delete process.env.AWS_XRAY_DAEMON_ADDRESS;
  delete process.env._X_AMZN_TRACE_ID;
  delete (globalThis as { awslambda?: unknown }).awslambda;
});

describe('X-Ray subsegments', () => {
  it('record each DynamoDB call under the invocation’s segment, and pass the subsegment on', async () => {
    await db.send(new GetCommand({ TableName: testTableName, Key: key('missing') }));

    const { header, document } = await daemon.next();

    expect(header).toEqual({ format: 'json', version: 1 });
    expect(document).toMatchObject({
      name: 'DynamoDB',
      namespace: 'aws',
      type: 'subsegment',
      trace_id: root,
      parent_id: lambdaSegment,
      aws: { operation: 'GetItem', region: 'us-east-1', table_name: testTableName, retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(document.id).toMatch(/^[0-9a-f]{16}$/);
    expect(document.end_time).toBeGreaterThanOrEqual(document.start_time);
    expect(document).not.toHaveProperty('fault');
    expect(document).not.toHaveProperty('error');
    expect(headersSent.at(-1)).toBe(`Root=${root};Parent=${document.id};Sampled=1`);
  });

  it('flag a call DynamoDB refused as an error, with its cause', async () => {
    await db.send(new PutCommand({ TableName: testTableName, Item: key('taken') }));
    await daemon.next();

    await expect(
      db.send(
        new PutCommand({
          TableName: testTableName,
          Item: key('taken'),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toThrow();

    const { document } = await daemon.next();
    expect(document).toMatchObject({
      aws: { operation: 'PutItem' },
      http: { response: { status: 400 } },
      error: true,
      cause: { exceptions: [{ type: 'ConditionalCheckFailedException', remote: true }] },
    });
    expect(document).not.toHaveProperty('fault');
  });

  it('are not sent for an invocation X-Ray does not sample, nor where no daemon listens', async () => {
    process.env._X_AMZN_TRACE_ID = `Root=${root};Parent=${lambdaSegment};Sampled=0`;
    await db.send(new PutCommand({ TableName: testTableName, Item: key('unsampled') }));
    process.env._X_AMZN_TRACE_ID = traced;
    delete process.env.AWS_XRAY_DAEMON_ADDRESS;
    await db.send(new PutCommand({ TableName: testTableName, Item: key('no-daemon') }));
    process.env.AWS_XRAY_DAEMON_ADDRESS = daemon.address;
    await db.send(new GetCommand({ TableName: testTableName, Key: key('sampled') }));

    // Datagrams on the loopback arrive in order: the first one is the sampled call's.
    const { document } = await daemon.next();
    expect(document.aws.operation).toBe('GetItem');
  });

  it('are recorded for the store’s own client too', async () => {
    const store = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint() });
    await store.send(new GetCommand({ TableName: testTableName, Key: key('store') }));
    store.destroy();

    const { document } = await daemon.next();
    expect(document).toMatchObject({ name: 'DynamoDB', trace_id: root, aws: { operation: 'GetItem' } });
  });

  it('time calls made without an SDK client, such as a secret read through the extension', async () => {
    const answer = await traceCall(
      { name: 'SecretsManager', aws: { operation: 'GetSecretValue' }, metadata: { via: 'extension' } },
      async () => ({ status: 503 }),
      (result) => result.status,
    );

    expect(answer).toEqual({ status: 503 });
    const { document } = await daemon.next();
    expect(document).toMatchObject({
      name: 'SecretsManager',
      parent_id: lambdaSegment,
      aws: { operation: 'GetSecretValue' },
      metadata: { athos: { via: 'extension' } },
      http: { response: { status: 503 } },
      fault: true,
    });
  });
});

describe('the trace id of log lines', () => {
  it('comes from the runtime’s invoke store when it keeps one, else from _X_AMZN_TRACE_ID', () => {
    expect(currentTraceId()).toBe(root);

    const otherRoot = '1-66a0b1c2-0123456789abcdef01234567';
    (globalThis as { awslambda?: unknown }).awslambda = {
      InvokeStore: { getXRayTraceId: () => `Root=${otherRoot};Parent=${lambdaSegment};Sampled=1` },
    };
    expect(currentTraceId()).toBe(otherRoot);

    delete (globalThis as { awslambda?: unknown }).awslambda;
    delete process.env._X_AMZN_TRACE_ID;
    expect(currentTraceId()).toBeUndefined();
  });
});
