import { Athos, AthosError, AthosTimeoutError } from '../../clients/node/src/index.js';
import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';
import { errorAnswer, startFaultProxy, type FaultProxy, type ProxyStep } from './support/faultProxy.js';

const table = testTable();
let api: TestApi;
let apiKey: string;
let tenantId: string;
let callId: string;
beforeAll(async () => {
  api = await startTestApi();
  ({
    apiKey,
    tenant: { tenantId },
  } = await createTestTenant(table));
  [callId] = (await seedScoredCalls(table, [
    { tenantId, externalUserId: 'rep_a', endedAt: new Date('2026-06-01T12:00:00Z') },
  ])) as [string];
});
afterAll(() => api.close());

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** A client behind a proxy that takes the first steps given, then passes every request on. */
const clientBehind = async (steps: ProxyStep[], options: { maxRetries?: number; timeoutMs?: number } = {}) => {
  proxy = await startFaultProxy(api.baseUrl, (_request, n) => steps[n] ?? { forward: true });
  return { client: new Athos({ apiKey, baseUrl: proxy.baseUrl, ...options }), proxy };
};

const unavailable = (retryAfter?: string) =>
  errorAnswer(503, 'SERVICE_UNAVAILABLE', retryAfter === undefined ? {} : { 'Retry-After': retryAfter });

const failureOf = async (call: Promise<unknown>): Promise<unknown> => {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
};

describe('reads', () => {
  it('are retried after a 503 with Retry-After, waiting at least as long as it says', async () => {
    const { client, proxy } = await clientBehind([unavailable('1'), unavailable('1')]);

    const page = await client.calls.list({ from: '2026-01-01T00:00:00Z' });

    expect(page.data.map((call) => call.id)).toEqual([callId]);
    expect(proxy.seen).toHaveLength(3);
    const [first, second, third] = proxy.seen.map((request) => request.receivedAt) as [number, number, number];
    // Timers may fire a millisecond early by the clock the proxy reads.
    expect(second - first).toBeGreaterThanOrEqual(990);
    expect(third - second).toBeGreaterThanOrEqual(990);
  });

  it.each<[string, ProxyStep]>([
    ['a 500', errorAnswer(500, 'INTERNAL_ERROR')],
    ['a 502 from a load balancer', { status: 502, body: 'Bad Gateway' }],
    ['a throttled 429', errorAnswer(429, 'SERVICE_UNAVAILABLE', { 'Retry-After': '0' })],
  ])('are retried after %s', async (_case, step) => {
    const { client, proxy } = await clientBehind([step]);

    const call = await client.calls.get(callId);

    expect(call.id).toBe(callId);
    expect(proxy.seen).toHaveLength(2);
  });

  it('are retried after a timeout', async () => {
    const { client, proxy } = await clientBehind([{ hang: true }], { timeoutMs: 1_000 });

    const call = await client.calls.get(callId);

    expect(call.id).toBe(callId);
    expect(proxy.seen).toHaveLength(2);
  });

  it('give up after maxRetries retries with the last answer’s error', async () => {
    const { client, proxy } = await clientBehind(
      Array.from({ length: 10 }, () => unavailable('0')),
      {
        maxRetries: 3,
      },
    );

    const error = await failureOf(client.calls.get(callId));

    expect(error).toBeInstanceOf(AthosError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', requestId: 'req_proxy_503' });
    expect(proxy.seen).toHaveLength(4);
  });

  it('are not retried with maxRetries 0, per client or per call', async () => {
    const { client, proxy } = await clientBehind([unavailable('0'), unavailable('0')], { maxRetries: 0 });
    await expect(client.calls.get(callId)).rejects.toMatchObject({ status: 503 });
    expect(proxy.seen).toHaveLength(1);

    const retrying = new Athos({ apiKey, baseUrl: proxy.baseUrl });
    await expect(retrying.calls.get(callId, { maxRetries: 0 })).rejects.toMatchObject({ status: 503 });
    expect(proxy.seen).toHaveLength(2);
  });

  it('are not retried after an answer that will not change (404)', async () => {
    const { client, proxy } = await clientBehind([]);

    await expect(client.calls.get('athos_call_nope')).rejects.toMatchObject({ code: 'CALL_NOT_FOUND' });
    expect(proxy.seen).toHaveLength(1);
  });

  it('stop waiting for a retry when the signal aborts', async () => {
    const { client, proxy } = await clientBehind([unavailable('30')]);
    const controller = new AbortController();
    const reason = new Error('shutting down');

    const pending = failureOf(client.calls.get(callId, { signal: controller.signal }));
    while (proxy.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(reason);

    expect(await pending).toBe(reason);
    expect(proxy.seen).toHaveLength(1);
  });
});

describe('session mints', () => {
  it('are retried after a 503 with Retry-After, and mint one token', async () => {
    const { client, proxy } = await clientBehind([unavailable('0'), unavailable('0')]);

    const session = await client.sessions.create({ externalUserId: 'rep_a' });

    expect(session.token).toEqual(expect.any(String));
    expect(proxy.seen).toHaveLength(3);
  });

  it('are retried after a throttled 429', async () => {
    const { client, proxy } = await clientBehind([errorAnswer(429, 'SERVICE_UNAVAILABLE', { 'Retry-After': '0' })]);

    await expect(client.sessions.create({ externalUserId: 'rep_a' })).resolves.toHaveProperty('token');
    expect(proxy.seen).toHaveLength(2);
  });

  it.each<[string, ProxyStep]>([
    ['a 503 without Retry-After', unavailable()],
    ['a 500', errorAnswer(500, 'INTERNAL_ERROR')],
    ['a 502 from a load balancer', { status: 502, body: 'Bad Gateway' }],
  ])('are not retried after %s, which may come after a token was minted', async (_case, step) => {
    const { client, proxy } = await clientBehind([step]);

    await expect(client.sessions.create({ externalUserId: 'rep_a' })).rejects.toBeInstanceOf(AthosError);
    expect(proxy.seen).toHaveLength(1);
  });

  it('are not retried after a timeout, which may come after a token was minted', async () => {
    const { client, proxy } = await clientBehind([{ hang: true }], { timeoutMs: 500 });

    await expect(client.sessions.create({ externalUserId: 'rep_a' })).rejects.toBeInstanceOf(AthosTimeoutError);
    expect(proxy.seen).toHaveLength(1);
  });
});
