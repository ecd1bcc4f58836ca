import { Agent, get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApi, type TestApi } from '../support/testApi.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('the gateway itself', () => {
  it.each([
    ['GET', '/nope'],
    ['DELETE', '/calls'],
    ['GET', '/session'],
    ['PUT', '/roleplay/session'],
    ['GET', '/calls/a/b'],
  ])('answers %s %s with a 404 envelope and the bare gateway request id', async (method, path) => {
    const response = await api.call(method, path);

    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: {
        code: 'INVALID_REQUEST',
        message: 'No route matches this method and path',
        requestId: response.headers['x-athos-request-id'],
      },
    });
    expect(response.headers['x-athos-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a payload over API Gateway limit with 413 INVALID_REQUEST', async () => {
    const response = await api.call('POST', '/session', { body: Buffer.alloc(10 * 1024 * 1024 + 1, 'x') });

    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('INVALID_REQUEST');
  });

  it.each(['__proto__=x', 'constructor=x&__proto__=y&__proto__=z', 'toString=1'])(
    'survives the query %s',
    async (query) => {
      const response = await api.call('GET', `/calls?from=2026-01-01T00:00:00Z&${query}`, {
        headers: { Authorization: 'Bearer nope' },
      });
      expect([response.status, response.body.error.code]).toEqual([401, 'INVALID_API_KEY']);
    },
  );

  it('survives a header named __proto__', async () => {
    const response = await api.call('GET', '/calls?from=2026-01-01T00:00:00Z', {
      headers: { Authorization: 'Bearer nope', __proto__: 'x' } as Record<string, string>,
    });
    expect(response.status).toBe(401);
  });

  it('serves the OpenAPI document', async () => {
    const response = await api.call('GET', '/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths).sort()).toEqual([
      '/calls',
      '/calls/{callId}',
      '/roleplay/session',
      '/session',
    ]);
  });

  it('keeps a pooled keep-alive connection open through an idle pause, as a load balancer does', async () => {
    // A client pool reuses an idle connection it believes open; a server that closed it first
    // fails that request ("fetch failed"). Node's own default closes after 5 s of idle.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const fetchSpec = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const request = get(`${api.baseUrl}/openapi.json`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, reused: request.reusedSocket }));
        });
        request.on('error', reject);
      });
    try {
      expect(await fetchSpec()).toEqual({ status: 200, reused: false });
      await sleep(6_000);
      expect(await fetchSpec()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
