import { requestsFor } from '../../local/apiRequests.js';
import { loadHandlers } from '../../local/app.js';
import { inProcessInvoker } from '../../local/invokeInProcess.js';
import { createTestTenant, itemsOfTenant, testTable } from '../support/fixtures.js';
import { assertMatchesOpenApi } from '../support/openApiValidator.js';
import { startStallingProxy, type StallingProxy } from '../support/stallingProxy.js';
import { dynamoEndpoint, testKeys, testTableName } from '../support/testSettings.js';

/**
 * The handlers talk to DynamoDB Local through a proxy that stalls requests or loses their answers
 * on a real socket, as a network or an overloaded endpoint does. Every answer must still come, in
 * time, as the contract's 503 with Retry-After, and a redeem must never be half done.
 *
 * The request timeout is 3 s here (1.5 s in AWS): DynamoDB Local on a loaded two-core machine can
 * take longer than 1.5 s to answer a request it did receive.
 */
const table = testTable();
let proxy: StallingProxy;
let invoke: (request: Parameters<ReturnType<typeof inProcessInvoker>>[0]) => Promise<{
  status: number;
  headers: Record<string, string>;
  body: any;
}>;

beforeAll(async () => {
  proxy = await startStallingProxy(dynamoEndpoint());
  const raw = inProcessInvoker(
    await loadHandlers({
      dynamoEndpoint: proxy.endpoint,
      tableName: testTableName,
      keys: testKeys,
      dynamoTimeoutMs: 3_000,
    }),
  );
  invoke = async (request) => {
    const { route, result } = await raw(request);
    const body = JSON.parse(result.body) as unknown;
    assertMatchesOpenApi(route.path, request.method, result.statusCode, body);
    return { status: result.statusCode, headers: (result.headers ?? {}) as Record<string, string>, body };
  };
});
afterEach(() => proxy.behave());
afterAll(() => proxy.close());

const expectRetryable503 = (response: Awaited<ReturnType<typeof invoke>>) => {
  expect([response.status, response.body.error.code, response.headers['Retry-After']]).toEqual([
    503,
    'SERVICE_UNAVAILABLE',
    '2',
  ]);
  expect(response.body.error.requestId).toBe(response.headers['X-Athos-Request-Id']);
};

const callsOf = async (tenantId: string) =>
  (await itemsOfTenant(table, tenantId)).filter((item) => String(item.pk).startsWith('CALL#'));

describe('a DynamoDB that stops answering', () => {
  it('during authentication (before the operation runs): mint answers 503 with Retry-After', async () => {
    const { apiKey } = await createTestTenant(table);
    proxy.misbehave({ fault: 'stall' });

    expectRetryable503(await invoke(requestsFor(apiKey).mint()));
  }, 60_000);

  it('inside the operation (the quota count): mint answers 503 with Retry-After', async () => {
    const { apiKey } = await createTestTenant(table);
    proxy.misbehave({ fault: 'stall', operations: ['UpdateItem'] });

    expectRetryable503(await invoke(requestsFor(apiKey).mint()));
  }, 60_000);

  it('for a list page: 503 with Retry-After, and the same request then succeeds', async () => {
    const { apiKey } = await createTestTenant(table);
    proxy.misbehave({ fault: 'stall', operations: ['Query'] });

    expectRetryable503(await invoke(requestsFor(apiKey).list()));

    proxy.behave();
    expect((await invoke(requestsFor(apiKey).list())).status).toBe(200);
  }, 60_000);
});

describe('a redeem whose transaction may have committed when the client gave up', () => {
  const mintedToken = async () => {
    const { apiKey, tenant } = await createTestTenant(table);
    const minted = await invoke(requestsFor(apiKey).mint());
    expect(minted.status).toBe(200);
    return { apiKey, tenantId: tenant.tenantId, token: minted.body.token as string };
  };

  it('that never reached DynamoDB: 503, and the token stays redeemable', async () => {
    const { apiKey, tenantId, token } = await mintedToken();
    proxy.misbehave({ fault: 'stall', operations: ['TransactWriteItems'] });

    expectRetryable503(await invoke(requestsFor(apiKey).redeem(token)));
    expect(await callsOf(tenantId)).toHaveLength(0);

    proxy.behave();
    expect((await invoke(requestsFor(apiKey).redeem(token))).status).toBe(200);
  }, 60_000);

  it('whose first answer was lost: the SDK retry finds the committed call and answers 200, once', async () => {
    const { apiKey, tenantId, token } = await mintedToken();
    proxy.misbehave({ fault: 'lose-answer', operations: ['TransactWriteItems'], times: 1 });

    const redeemed = await invoke(requestsFor(apiKey).redeem(token));

    expect(redeemed.status).toBe(200);
    const calls = await callsOf(tenantId);
    expect(calls.map((call) => call.callId)).toEqual([redeemed.body.callId]);
    const again = await invoke(requestsFor(apiKey).redeem(token));
    expect([again.status, again.body.error.code]).toEqual([401, 'TOKEN_ALREADY_USED']);
  }, 60_000);

  it('whose every answer was lost: 503; the client retry then sees TOKEN_ALREADY_USED, and one call exists', async () => {
    const { apiKey, tenantId, token } = await mintedToken();
    proxy.misbehave({ fault: 'lose-answer', operations: ['TransactWriteItems'] });

    expectRetryable503(await invoke(requestsFor(apiKey).redeem(token)));

    proxy.behave();
    const retried = await invoke(requestsFor(apiKey).redeem(token));
    expect([retried.status, retried.body.error.code]).toEqual([401, 'TOKEN_ALREADY_USED']);
    expect(await callsOf(tenantId)).toHaveLength(1);
  }, 60_000);
});
