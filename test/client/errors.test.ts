import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { generateApiKey } from '../../lambdas/domain/apiKeys.js';
import { newTenantId } from '../../lambdas/domain/ids.js';
import {
  Athos,
  AthosConnectionError,
  AthosError,
  AthosTimeoutError,
  type ErrorCode,
} from '../../clients/node/src/index.js';
import { errorCodeValues } from '../../clients/node/src/generated/openapi.js';
import { createTestTenant, testTable, type TestTenantOptions } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';
import { startFaultProxy } from './support/faultProxy.js';

const table = testTable();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const clientFor = async (tenant: TestTenantOptions = {}) =>
  new Athos({ apiKey: (await createTestTenant(table, tenant)).apiKey, baseUrl: api.baseUrl, maxRetries: 0 });

/** Awaits a call that must fail, and returns what it threw. */
const failureOf = async (call: Promise<unknown>): Promise<unknown> => {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
};

const from = '2026-01-01T00:00:00Z';

/** Each code the API can answer a client operation with, provoked for real. */
const provoked: [ErrorCode, number, () => Promise<unknown>][] = [
  [
    'INVALID_API_KEY',
    401,
    async () =>
      new Athos({ apiKey: generateApiKey(newTenantId()), baseUrl: api.baseUrl }).sessions.create({
        externalUserId: 'rep_a',
      }),
  ],
  ['API_KEY_REVOKED', 401, async () => (await clientFor({ keyStatus: 'revoked' })).calls.list({ from })],
  ['TENANT_INACTIVE', 403, async () => (await clientFor({ status: 'inactive' })).calls.get('athos_call_x')],
  [
    'IP_NOT_ALLOWED',
    403,
    async () => (await clientFor({ allowedCidrs: ['192.0.2.0/24'] })).sessions.create({ externalUserId: 'rep_a' }),
  ],
  [
    'TENANT_QUOTA_EXCEEDED',
    403,
    async () => {
      const client = await clientFor({ monthlySessionQuota: 1 });
      await client.sessions.create({ externalUserId: 'rep_a' });
      return client.sessions.create({ externalUserId: 'rep_a' });
    },
  ],
  ['INVALID_REQUEST', 400, async () => (await clientFor()).calls.list({ from: 'last tuesday' })],
  ['CALL_NOT_FOUND', 404, async () => (await clientFor()).calls.get('athos_call_GZ1DjOkZv_VEPoE-CJ8mp')],
  [
    'SERVICE_UNAVAILABLE',
    503,
    async () => {
      const client = await clientFor();
      const database = mockClient(DynamoDBDocumentClient);
      database
        .onAnyCommand()
        .rejects(
          Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true } }),
        );
      try {
        return await client.calls.list({ from });
      } finally {
        database.restore();
      }
    },
  ],
  [
    'INTERNAL_ERROR',
    500,
    async () => {
      const client = await clientFor();
      const database = mockClient(DynamoDBDocumentClient);
      database.onAnyCommand().rejects(new Error('something nobody planned for'));
      try {
        return await client.sessions.create({ externalUserId: 'rep_a' });
      } finally {
        database.restore();
      }
    },
  ],
];

/** Answered only by POST /roleplay/session, which the browser SDK calls, never this client. */
const redeemOnly: ErrorCode[] = ['INVALID_TOKEN', 'TOKEN_EXPIRED', 'TOKEN_ALREADY_USED', 'DRILL_NOT_FOUND'];

describe('API errors', () => {
  it.each(provoked)('%s arrives as an AthosError with status %i and the request id', async (code, status, call) => {
    const error = await failureOf(call());

    expect(error).toBeInstanceOf(AthosError);
    expect(error).toMatchObject({ name: 'AthosError', code, status, requestId: expect.stringMatching(/^req_/) });
    expect((error as AthosError).message).not.toBe('');
  });

  it('covers every code of the contract a client operation can be answered with', () => {
    expect([...provoked.map(([code]) => code), ...redeemOnly].sort()).toEqual([...errorCodeValues].sort());
  });

  it('keeps the server’s message, and never the API key', async () => {
    const apiKey = (await createTestTenant(table, { keyStatus: 'revoked' })).apiKey;
    const error = await failureOf(new Athos({ apiKey, baseUrl: api.baseUrl }).calls.list({ from }));

    expect((error as AthosError).message).toBe('API key has been revoked');
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(apiKey);
  });
});

describe('failures without an Athos answer', () => {
  it('a refused connection is an AthosConnectionError naming the reason', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new Athos({ apiKey: generateApiKey(newTenantId()), baseUrl: `http://127.0.0.1:${port}` });

    const error = await failureOf(client.sessions.create({ externalUserId: 'rep_a' }));

    expect(error).toBeInstanceOf(AthosConnectionError);
    expect(error).not.toBeInstanceOf(AthosError);
    expect(error).not.toBeInstanceOf(AthosTimeoutError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('no answer within timeoutMs is an AthosTimeoutError, itself an AthosConnectionError', async () => {
    const proxy = await startFaultProxy(api.baseUrl, () => ({ hang: true }));
    try {
      const client = new Athos({ apiKey: generateApiKey(newTenantId()), baseUrl: proxy.baseUrl, timeoutMs: 200 });

      const error = await failureOf(client.sessions.create({ externalUserId: 'rep_a' }));

      expect(error).toBeInstanceOf(AthosTimeoutError);
      expect(error).toBeInstanceOf(AthosConnectionError);
      expect(error).toMatchObject({ name: 'AthosTimeoutError', timeoutMs: 200 });
    } finally {
      await proxy.close();
    }
  });

  it('an answer from something other than Athos gets the code its status implies', async () => {
    const proxy = await startFaultProxy(api.baseUrl, () => ({
      status: 502,
      headers: { 'Content-Type': 'text/html' },
      body: '<html>Bad Gateway</html>',
    }));
    try {
      const client = new Athos({ apiKey: generateApiKey(newTenantId()), baseUrl: proxy.baseUrl, maxRetries: 0 });

      const error = await failureOf(client.calls.list({ from }));

      expect(error).toBeInstanceOf(AthosError);
      expect(error).toMatchObject({ status: 502, code: 'SERVICE_UNAVAILABLE', requestId: undefined });
    } finally {
      await proxy.close();
    }
  });

  it('a success answer that is not JSON is an AthosError, not a crash in your code', async () => {
    const proxy = await startFaultProxy(api.baseUrl, () => ({ status: 200, body: 'OK' }));
    try {
      const client = new Athos({ apiKey: generateApiKey(newTenantId()), baseUrl: proxy.baseUrl });

      const error = await failureOf(client.calls.get('athos_call_x'));

      expect(error).toMatchObject({ name: 'AthosError', status: 200, code: 'INTERNAL_ERROR' });
    } finally {
      await proxy.close();
    }
  });

  it('an aborted signal ends the call with the signal’s reason', async () => {
    const proxy = await startFaultProxy(api.baseUrl, () => ({ hang: true }));
    try {
      const client = new Athos({ apiKey: generateApiKey(newTenantId()), baseUrl: proxy.baseUrl });
      const controller = new AbortController();
      const reason = new Error('the rep closed the page');

      const pending = failureOf(client.calls.get('athos_call_x', { signal: controller.signal }));
      await waitFor(() => proxy.seen.length === 1);
      controller.abort(reason);

      expect(await pending).toBe(reason);
      expect(proxy.seen).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});

const waitFor = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
};
