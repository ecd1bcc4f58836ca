import { execFile } from 'node:child_process';
import { issueApiKey, revokeApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { systemClock } from '../../lambdas/domain/ports.js';
import { testTwinOf } from '../../lambdas/domain/testMode.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

/** `npm run smoke` against the local server, as an operator runs it after `cdk deploy`. */
const table = testTable();
const operator = { tenants: createTenantStore(table), clock: systemClock, actor: 'test-operator' };
jest.setTimeout(180_000);
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const smoke = (...args: string[]) =>
  new Promise<{ code: number; lines: string[] }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bin/smoke.ts', ...args],
      { env: { ...process.env, ATHOS_API_KEY: '' }, timeout: 170_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          lines: `${stdout}${stderr}`.trim().split('\n'),
        }),
    );
  });

/** A tenant with a test-mode key, and a few scored test calls to list and read. */
const testModeTenant = async () => {
  const { tenant } = await createTestTenant(table);
  const { apiKey, record } = await issueApiKey(operator, { tenantId: tenant.tenantId, mode: 'test' });
  await seedScoredCalls(table, [
    {
      tenantId: testTwinOf(tenant.tenantId),
      externalUserId: 'smoke_rep',
      externalAgencyId: 'smoke_agency',
      endedAt: new Date(),
    },
  ]);
  return { tenantId: tenant.tenantId, apiKey, keyId: record.keyId };
};

describe('npm run smoke', () => {
  it('checks every operation, filter and gateway-made error of a healthy stage, one verdict a line', async () => {
    const { apiKey } = await testModeTenant();

    const { code, lines } = await smoke('--url', api.baseUrl, '--api-key', apiKey);

    expect(lines.filter((line) => line.startsWith('✗'))).toEqual([]);
    expect(code).toBe(0);
    for (const step of [
      'mint',
      'redeem',
      'redeem again (single use)',
      'preflight on the redeem route',
      'list',
      'list to a date',
      'list by source',
      'list by rep',
      'list by agency',
      'list by rep and agency',
      'list the next page',
      'read a listed call',
      'read the redeemed call',
      'unknown route',
      'unknown method',
      'payload over 10 MB',
      'body that is not UTF-8',
      'wrong API key',
    ]) {
      expect(lines.some((line) => line.startsWith(`✓ ${step}:`))).toBe(true);
    }
    expect(lines.at(-1)).toMatch(/^smoke: \d+ passed, 0 failed$/);
  });

  it('fails, naming each failed step, and exits non-zero when the key is refused', async () => {
    const { apiKey, keyId } = await testModeTenant();
    await revokeApiKey(operator, { keyId });

    const { code, lines } = await smoke('--url', api.baseUrl, '--api-key', apiKey);

    expect(code).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^✗ mint: expected 200, got 401 API_KEY_REVOKED \(req_\S+\)$/));
    expect(lines.at(-1)).toMatch(/^smoke: \d+ passed, [1-9]\d* failed(, \d+ skipped)?$/);
  });

  it('refuses a live key, which would leave a session and a call in live data', async () => {
    const { apiKey } = await createTestTenant(table);

    const { code, lines } = await smoke('--url', api.baseUrl, '--api-key', apiKey);

    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('give a test-mode key (ath_test_…)');
  });

  it('says what it needs when the URL or the key is missing', async () => {
    const { code, lines } = await smoke('--url', api.baseUrl);

    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('--api-key');
  });
});
