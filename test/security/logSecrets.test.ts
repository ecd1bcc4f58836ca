import { createTestTenant, testTable } from '../support/fixtures.js';
import { captureStdout } from '../support/capturedStdout.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

/**
 * What reaches CloudWatch from a mint and a redeem: every line the handlers write at `info`,
 * captured from stdout. The handlers read their log level when they load, so it is set first.
 */
process.env.LOG_LEVEL = 'info';
const output = captureStdout();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  output.start();
});
afterAll(async () => {
  output.stop();
  await api.close();
});

describe('the log lines of a mint and a redeem', () => {
  it('carry the tenant and the request ids, never the API key, the session token or the connection ticket', async () => {
    const { apiKey, tenant } = await createTestTenant(testTable());
    const mark = output.mark();

    const minted = await api.mint(apiKey, { externalUserId: 'rep_1' });
    const redeemed = await api.redeem(minted.body.token, { drillKey: 'ma-full-sale', difficulty: 'Advanced' });
    const replayed = await api.redeem(minted.body.token, { drillKey: 'ma-full-sale', difficulty: 'Advanced' });

    expect([minted.status, redeemed.status, replayed.status]).toEqual([200, 200, 401]);
    const text = output.textSince(mark);
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = lines.filter((line) => line.message === 'request');
    expect(requestLines.map((line) => [line.operation, line.status, line.tenantId, line.requestId])).toEqual([
      ['mintSession', 200, tenant.tenantId, minted.headers['x-athos-request-id']],
      ['redeemSession', 200, tenant.tenantId, redeemed.headers['x-athos-request-id']],
      ['redeemSession', 401, tenant.tenantId, replayed.headers['x-athos-request-id']],
    ]);
    const { token } = minted.body as { token: string };
    const { connectionTicket } = redeemed.body as { connectionTicket: string };
    for (const secret of [apiKey, apiKey.slice(-20), token, ...token.split('.'), connectionTicket]) {
      expect(text).not.toContain(secret);
    }
    for (const part of connectionTicket.split('.')) expect(text).not.toContain(part);
  });
});
