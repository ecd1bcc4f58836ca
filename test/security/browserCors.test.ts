import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

/**
 * CORS as a browser enforces it: Debian's Chromium (installed by .ci/run) loads a page from one
 * origin that calls the API on another, as the SDK does from a reseller's app.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const table = testTable();
let pageServer: Server;
let api: TestApi;
let apiBase: string;
let browser: Browser;
let page: Page;
let apiKey: string;
let callId: string;

const pageHtml = `<!doctype html><meta charset="utf-8"><title>reseller app</title>
<script>
  window.callApi = async (base, method, path, headers, body) => {
    try {
      const response = await fetch(base + path, { method, headers, body });
      return { status: response.status, requestId: response.headers.get('X-Athos-Request-Id'), body: await response.json() };
    } catch (error) {
      return { blocked: String(error) };
    }
  };
</script>`;

beforeAll(async () => {
  pageServer = createServer((_request, response) =>
    response.writeHead(200, { 'Content-Type': 'text/html' }).end(pageHtml),
  );
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  const pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

  // The API on another port is another origin; it allows exactly the page's.
  api = await startTestApi({ allowedOrigins: [pageOrigin] });
  apiBase = api.baseUrl;
  ({ apiKey } = await createTestTenant(table));
  const { tenant } = await createTestTenant(table);
  [callId = ''] = await seedScoredCalls(table, [
    { tenantId: tenant.tenantId, externalUserId: 'rep_1', endedAt: new Date() },
  ]);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  await page.goto(pageOrigin);
  // Chromium's first start on a busy machine can take most of a minute by itself.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await new Promise<void>((resolve) => pageServer?.close(() => resolve()));
});

type Outcome = {
  status?: number;
  requestId?: string | null;
  body?: { error?: { code: string; requestId: string } };
  blocked?: string;
};
const fromPage = (method: string, path: string, headers: Record<string, string>, body?: string): Promise<Outcome> =>
  page.evaluate(
    ([base, m, p, h, b]) =>
      (globalThis as unknown as { callApi: (...args: unknown[]) => Promise<Outcome> }).callApi(base, m, p, h, b),
    [apiBase, method, path, headers, body] as const,
  );

const mintToken = async () => (await api.mint(apiKey, { externalUserId: 'rep_1' })).body.token as string;
const json = { 'Content-Type': 'application/json' };

describe('in a real browser, on another origin', () => {
  it('a page redeems a session token and reads X-Athos-Request-Id', async () => {
    const outcome = await fromPage(
      'POST',
      '/roleplay/session',
      { ...json, Authorization: `Bearer ${await mintToken()}` },
      '{"drillKey":"ma-full-sale"}',
    );

    expect(outcome.status).toBe(200);
    expect(outcome.requestId).toMatch(/^req_/);
  });

  it('a page reads the error code of a failing redeem', async () => {
    const token = await mintToken();
    await fromPage(
      'POST',
      '/roleplay/session',
      { ...json, Authorization: `Bearer ${token}` },
      '{"drillKey":"ma-full-sale"}',
    );

    const again = await fromPage(
      'POST',
      '/roleplay/session',
      { ...json, Authorization: `Bearer ${token}` },
      '{"drillKey":"ma-full-sale"}',
    );

    expect(again.status).toBe(401);
    expect(again.body?.error?.code).toBe('TOKEN_ALREADY_USED');
    expect(again.requestId).toBe(again.body?.error?.requestId);
  });

  it.each([
    ['mint', 'POST', '/session', '{"externalUserId":"rep_1"}'],
    ['list', 'GET', '/calls?from=2020-01-01T00:00:00Z', undefined],
    ['get', 'GET', '/calls/CALL_ID', undefined],
  ])('the browser blocks a page from calling %s with an API key', async (_case, method, path, body) => {
    const outcome = await fromPage(
      method,
      path.replace('CALL_ID', callId),
      { ...(body ? json : {}), Authorization: `Bearer ${apiKey}` },
      body,
    );

    expect(outcome.blocked).toMatch(/TypeError/);
  });
});
