import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { requestsFor } from '../../local/apiRequests.js';
import { createTestTenant, testTable } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';
import { signSessionToken } from '../support/tokens.js';

const table = testTable();
let invoke: Invoke;
let apiKey: string;
let tenantId: string;
let keyId: string;
beforeAll(async () => {
  invoke = await loadTestHandlers();
  ({
    apiKey,
    keyId,
    tenant: { tenantId },
  } = await createTestTenant(table));
});

/** Errors shaped as the SDK throws them, after its own retries. */
const awsError = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(
    new Error(`${name}: table athos-test is on fire at arn:aws:dynamodb:eu-west-1:123456789012:table/athos-test`),
    {
      name,
      $fault: 'server',
      $metadata: { httpStatusCode: 400 },
      ...extra,
    },
  );

const faults: [string, () => Error][] = [
  ['throttling', () => awsError('ThrottlingException', { $retryable: { throttling: true } })],
  [
    'ProvisionedThroughputExceeded',
    () =>
      new ProvisionedThroughputExceededException({
        message: 'Rate of requests exceeds the allowed throughput',
        $metadata: { httpStatusCode: 400 },
      }),
  ],
  ['a 500', () => awsError('InternalServerError', { $metadata: { httpStatusCode: 500 } })],
  ['a 503', () => awsError('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } })],
  ['a request timeout', () => awsError('TimeoutError', { $metadata: {} })],
  ['a dropped connection', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
];

const mint = () => invoke(requestsFor(apiKey).mint());
const redeem = (token: string) => invoke(requestsFor(apiKey).redeem(token));

/**
 * The handlers' log lines. The logger reads LOG_LEVEL once, when the handlers load (below), so it
 * is set here; stdout is captured for the whole file so the lines can be read and do not clutter.
 */
process.env.LOG_LEVEL = 'info';
const written: string[] = [];
let stdout: jest.SpyInstance;
beforeAll(() => {
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterAll(() => stdout.mockRestore());
const logLinesSince = (mark: number): Record<string, unknown>[] =>
  written
    .slice(mark)
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('AWS faults', () => {
  // Made in beforeAll, after the file's own setup: the tenant must really be written.
  let database: ReturnType<typeof mockClient>;
  beforeAll(() => {
    database = mockClient(DynamoDBDocumentClient);
  });
  afterEach(() => database.reset());
  afterAll(() => database.restore());

  it.each(faults)(
    'answer %s with 503 SERVICE_UNAVAILABLE and Retry-After, telling nothing of AWS',
    async (_case, fault) => {
      database.on(BatchGetCommand).rejects(fault());

      const response = await mint();

      expect(response.status).toBe(503);
      expect(response.headers['Retry-After']).toBe('2');
      expect(response.body.error).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'The service is briefly unavailable; retry after a short wait',
        requestId: response.headers['X-Athos-Request-Id'],
      });
    },
  );

  it('answer an unknown error with 500 INTERNAL_ERROR: no stack, no table name, no AWS message', async () => {
    database.on(BatchGetCommand).rejects(awsError('ValidationException', { $fault: 'client' }));

    const response = await mint();

    expect(response.status).toBe(500);
    expect(response.body.error).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'Internal error',
      requestId: response.headers['X-Athos-Request-Id'],
    });
    expect(JSON.stringify(response)).not.toMatch(/athos-test|ValidationException|arn:aws|at .*\.ts|on fire/);
  });

  it('log every line with the request id, and never an API key or a token', async () => {
    database.on(BatchGetCommand).rejects(awsError('ValidationException', { $fault: 'client' }));
    const { token } = await signSessionToken({ tenantId, keyId, externalUserId: 'rep_1' });
    const mark = written.length;

    const result = [await mint(), await redeem(token)];

    const lines = logLinesSince(mark);

    expect(lines.length).toBeGreaterThanOrEqual(2);
    const requestIds = result.map((response) => response.headers['X-Athos-Request-Id']);
    for (const line of lines) expect(requestIds).toContain(line.requestId);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]);
    expect(lines.find((line) => line.status === 500)).toMatchObject({
      level: 'error',
      errorName: 'ValidationException',
    });
  });
});

describe('a redeem whose transaction is cancelled', () => {
  it.each([
    ['a conflict', 'TransactionConflict'],
    ['throttling', 'ThrottlingError'],
  ])('for %s answers 503, and leaves the token redeemable', async (_case, reason) => {
    const { token } = await signSessionToken({ tenantId, keyId, externalUserId: 'rep_1' });
    const database = mockClient(DynamoDBDocumentClient);
    database.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: reason }, { Code: 'None' }],
      }),
    );
    let failed;
    try {
      failed = await redeem(token);
    } finally {
      database.restore();
    }
    expect([failed.status, failed.body.error.code, failed.headers['Retry-After']]).toEqual([
      503,
      'SERVICE_UNAVAILABLE',
      '2',
    ]);

    expect((await redeem(token)).status).toBe(200);
  });
});

describe('a redeem whose first attempt is still in flight when the SDK has given up retrying', () => {
  it('answers 503, not TOKEN_ALREADY_USED: that attempt may yet fail and leave the token unused', async () => {
    const { token } = await signSessionToken({ tenantId, keyId, externalUserId: 'rep_1' });
    const database = mockClient(DynamoDBDocumentClient);
    database
      .on(TransactWriteCommand)
      .rejects(new TransactionInProgressException({ message: 'Transaction is in progress', $metadata: {} }));
    let inFlight;
    try {
      inFlight = await redeem(token);
    } finally {
      database.restore();
    }

    expect([inFlight.status, inFlight.body.error.code, inFlight.headers['Retry-After']]).toEqual([
      503,
      'SERVICE_UNAVAILABLE',
      '2',
    ]);
    expect((await redeem(token)).status).toBe(200);
  });
});
