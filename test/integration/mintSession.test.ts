import { decodeJwt, decodeProtectedHeader } from 'jose';
import { systemClock } from '../../lambdas/domain/ports.js';
import { issueApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createTestTenant, itemsOfTenant, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

const table = testTable();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const rep = { externalUserId: 'rep_8842', externalAgencyId: 'agency_chicago' };

const expectError = (
  response: { status: number; headers: Record<string, string | undefined>; body: any },
  status: number,
  code: string,
) => {
  expect(response.status).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(response.headers['x-athos-request-id']).toMatch(/^req_/);
  expect(response.body.error.requestId).toBe(response.headers['x-athos-request-id']);
};

describe('POST /session', () => {
  it('mints a five-minute HS256 session token naming the tenant and the rep', async () => {
    const { tenant, apiKey } = await createTestTenant(table);
    const before = Date.now();

    const response = await api.mint(apiKey, rep);

    expect(response.status).toBe(200);
    expect(response.headers['x-athos-request-id']).toMatch(/^req_[0-9a-f-]{36}$/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const claims = decodeJwt(response.body.token);
    expect(decodeProtectedHeader(response.body.token)).toMatchObject({
      alg: 'HS256',
      typ: 'JWT',
      kid: 'test-session-1',
    });
    expect(claims).toMatchObject({
      tid: tenant.tenantId,
      uid: 'rep_8842',
      aid: 'agency_chicago',
      iss: 'athos-external-api',
      aud: 'athos-roleplay',
    });
    expect(typeof claims.jti).toBe('string');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    const expiresAt = Date.parse(response.body.expiresAt);
    expect(expiresAt).toBe((claims.exp ?? 0) * 1000);
    expect(expiresAt - before).toBeGreaterThan(290_000);
  });

  it('mints without an agency', async () => {
    const { apiKey } = await createTestTenant(table);

    const response = await api.mint(apiKey, { externalUserId: 'rep_1' });

    expect(response.status).toBe(200);
    expect(decodeJwt(response.body.token).aid).toBeUndefined();
  });

  it('notes when the key was last used', async () => {
    const { tenant, apiKey } = await createTestTenant(table);
    const before = new Date().toISOString();

    await api.mint(apiKey, rep);

    const key = (await itemsOfTenant(table, tenant.tenantId)).find((item) => item.sk === 'APIKEY');
    expect(String(key?.lastUsedAt) >= before).toBe(true);
  });

  it('counts each minted session against the tenant month', async () => {
    const { tenant, apiKey } = await createTestTenant(table);

    await api.mint(apiKey, rep);
    await api.mint(apiKey, rep);

    const month = new Date().toISOString().slice(0, 7);
    const counter = (await itemsOfTenant(table, tenant.tenantId)).find((item) => item.sk === `QUOTA#${month}`);
    expect(counter?.sessionsMinted).toBe(2);
  });

  describe('API key', () => {
    it.each([
      ['no Authorization header', {}],
      ['a non-bearer scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
      ['a malformed key', { Authorization: 'Bearer ath_live_nope' }],
    ])('refuses %s with INVALID_API_KEY', async (_case, headers) => {
      const response = await api.call('POST', '/session', { json: rep, headers });
      expectError(response, 401, 'INVALID_API_KEY');
    });

    it('refuses a well-formed key that was never issued with INVALID_API_KEY', async () => {
      const { apiKey } = await createTestTenant(table);
      const { tenant } = await createTestTenant(table);
      const unissued = (await import('../../lambdas/domain/apiKeys.js')).generateApiKey(tenant.tenantId);
      expect(unissued).not.toBe(apiKey);

      expectError(await api.mint(unissued, rep), 401, 'INVALID_API_KEY');
    });

    it('refuses a key whose checksum is broken with INVALID_API_KEY', async () => {
      const { apiKey } = await createTestTenant(table);
      const last = apiKey.at(-1) === 'A' ? 'B' : 'A';

      expectError(await api.mint(apiKey.slice(0, -1) + last, rep), 401, 'INVALID_API_KEY');
    });

    it('refuses a revoked key with API_KEY_REVOKED', async () => {
      const { apiKey } = await createTestTenant(table, { keyStatus: 'revoked' });
      expectError(await api.mint(apiKey, rep), 401, 'API_KEY_REVOKED');
    });

    it('refuses a rotated key past its overlap with API_KEY_REVOKED', async () => {
      const { apiKey } = await createTestTenant(table, { keyExpiresAt: new Date(Date.now() - 1_000).toISOString() });
      expectError(await api.mint(apiKey, rep), 401, 'API_KEY_REVOKED');
    });

    it('accepts a rotated key during its overlap', async () => {
      const { apiKey } = await createTestTenant(table, { keyExpiresAt: new Date(Date.now() + 60_000).toISOString() });
      expect((await api.mint(apiKey, rep)).status).toBe(200);
    });
  });

  describe('tenant', () => {
    it('refuses an inactive tenant with TENANT_INACTIVE', async () => {
      const { apiKey } = await createTestTenant(table, { status: 'inactive' });
      expectError(await api.mint(apiKey, rep), 403, 'TENANT_INACTIVE');
    });

    it('refuses a caller outside the allowlist with IP_NOT_ALLOWED, whatever X-Forwarded-For says', async () => {
      const { tenant, apiKey } = await createTestTenant(table, { allowedCidrs: ['127.0.0.2/32'] });

      const response = await api.mint(apiKey, rep, {
        localAddress: '127.0.0.1',
        headers: { 'X-Forwarded-For': '127.0.0.2', Forwarded: 'for=127.0.0.2', 'X-Real-IP': '127.0.0.2' },
      });

      expectError(response, 403, 'IP_NOT_ALLOWED');
      expect((await itemsOfTenant(table, tenant.tenantId)).some((item) => String(item.sk).startsWith('QUOTA#'))).toBe(
        false,
      );
    });

    it('admits a caller inside the allowlist', async () => {
      const { apiKey } = await createTestTenant(table, { allowedCidrs: ['10.0.0.0/8', '127.0.0.2/32'] });
      expect((await api.mint(apiKey, rep, { localAddress: '127.0.0.2' })).status).toBe(200);
    });

    it('refuses a mint past the monthly quota with TENANT_QUOTA_EXCEEDED', async () => {
      const { apiKey } = await createTestTenant(table, { monthlySessionQuota: 2 });
      expect((await api.mint(apiKey, rep)).status).toBe(200);
      expect((await api.mint(apiKey, rep)).status).toBe(200);

      expectError(await api.mint(apiKey, rep), 403, 'TENANT_QUOTA_EXCEEDED');
    });

    it('writes nothing for a mint refused past the quota, not even the key use', async () => {
      const { tenant, apiKey } = await createTestTenant(table, { monthlySessionQuota: 1 });
      expect((await api.mint(apiKey, rep)).status).toBe(200);
      const { apiKey: secondKey } = await issueApiKey(
        { tenants: createTenantStore(table), clock: systemClock, actor: 'test' },
        { tenantId: tenant.tenantId },
      );
      const before = await itemsOfTenant(table, tenant.tenantId);

      expectError(await api.mint(secondKey, rep), 403, 'TENANT_QUOTA_EXCEEDED');

      expect(await itemsOfTenant(table, tenant.tenantId)).toEqual(before);
    });

    it('never lets parallel mints overrun the quota', async () => {
      const quota = 7;
      const { tenant, apiKey } = await createTestTenant(table, { monthlySessionQuota: quota });

      const responses = await Promise.all(Array.from({ length: 30 }, () => api.mint(apiKey, rep)));

      expect(responses.filter((response) => response.status === 200)).toHaveLength(quota);
      for (const refused of responses.filter((response) => response.status !== 200)) {
        expectError(refused, 403, 'TENANT_QUOTA_EXCEEDED');
      }
      const month = new Date().toISOString().slice(0, 7);
      const counter = (await itemsOfTenant(table, tenant.tenantId)).find((item) => item.sk === `QUOTA#${month}`);
      expect(counter?.sessionsMinted).toBe(quota);
    });
  });

  describe('body', () => {
    let apiKey: string;
    let tenantId: string;
    beforeAll(async () => {
      const created = await createTestTenant(table);
      apiKey = created.apiKey;
      tenantId = created.tenant.tenantId;
    });

    it.each([
      ['externalUserId is missing', { externalAgencyId: 'a' }, 'externalUserId is required'],
      ['externalUserId is empty', { externalUserId: '' }, 'externalUserId must not be empty'],
      ['externalUserId is a number', { externalUserId: 42 }, 'externalUserId must be a string'],
      ['externalUserId is null', { externalUserId: null }, 'externalUserId must be a string'],
      [
        'externalUserId is too long',
        { externalUserId: 'x'.repeat(257) },
        'externalUserId must be at most 256 characters',
      ],
      [
        'externalAgencyId is an object',
        { externalUserId: 'r', externalAgencyId: {} },
        'externalAgencyId must be a string',
      ],
      [
        'externalUserId is a lone surrogate',
        { externalUserId: '\ud800' },
        'externalUserId must be well-formed Unicode text',
      ],
      [
        'externalUserId holds a NUL',
        { externalUserId: 'rep\u0000_1' },
        'externalUserId must not contain control characters',
      ],
      [
        'externalUserId holds a line break',
        { externalUserId: 'rep_1\nX-Injected: yes' },
        'externalUserId must not contain control characters',
      ],
      [
        'externalAgencyId holds an escape',
        { externalUserId: 'rep_1', externalAgencyId: 'agency\u001b[31m' },
        'externalAgencyId must not contain control characters',
      ],
      [
        'externalAgencyId holds a C1 control',
        { externalUserId: 'rep_1', externalAgencyId: 'agency\u0085' },
        'externalAgencyId must not contain control characters',
      ],
    ])('answers 400 INVALID_REQUEST when %s, naming the field', async (_case, json, message) => {
      const response = await api.mint(apiKey, json);
      expectError(response, 400, 'INVALID_REQUEST');
      expect(response.body.error.message).toBe(message);
    });

    it.each<[string, { body?: string | Buffer; json?: unknown; headers?: Record<string, string> }, string]>([
      [
        'malformed JSON',
        { body: '{"externalUserId":', headers: { 'Content-Type': 'application/json' } },
        'request body is not valid JSON',
      ],
      [
        'an array',
        { body: '["rep"]', headers: { 'Content-Type': 'application/json' } },
        'request body must be a JSON object',
      ],
      [
        'a JSON string',
        { body: '"rep"', headers: { 'Content-Type': 'application/json' } },
        'request body must be a JSON object',
      ],
      ['no body', { headers: { 'Content-Type': 'application/json' } }, 'request body is not valid JSON'],
      [
        'form encoded',
        { body: 'externalUserId=rep', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
        'Content-Type must be application/json',
      ],
      [
        'text/plain',
        { body: '{"externalUserId":"rep"}', headers: { 'Content-Type': 'text/plain' } },
        'Content-Type must be application/json',
      ],
      [
        'oversized',
        { json: { externalUserId: 'rep', padding: 'x'.repeat(20_000) } },
        'request body must be at most 16384 bytes',
      ],
      [
        // Decoded leniently, the bad byte would become U+FFFD and pass as text.
        'a body that is not valid UTF-8',
        {
          body: Buffer.concat([Buffer.from('{"externalUserId":"rep_'), Buffer.from([0xff]), Buffer.from('"}')]),
          headers: { 'Content-Type': 'application/json' },
        },
        'request body is not valid UTF-8',
      ],
      [
        'a body cut inside a character',
        {
          body: Buffer.concat([
            Buffer.from('{"externalUserId":"rep_'),
            Buffer.from('é').subarray(0, 1),
            Buffer.from('"}'),
          ]),
          headers: { 'Content-Type': 'application/json' },
        },
        'request body is not valid UTF-8',
      ],
    ])('answers 400 INVALID_REQUEST for %s', async (_case, options, message) => {
      const response = await api.call('POST', '/session', {
        ...options,
        headers: { Authorization: `Bearer ${apiKey}`, ...options.headers },
      });
      expectError(response, 400, 'INVALID_REQUEST');
      expect(response.body.error.message).toBe(message);
    });

    it('counts nothing against the quota for a refused body', async () => {
      expect((await itemsOfTenant(table, tenantId)).some((item) => String(item.sk).startsWith('QUOTA#'))).toBe(false);
    });

    it('accepts text beyond ASCII, sent as UTF-8', async () => {
      const response = await api.mint(apiKey, {
        externalUserId: 'répresentant_Łódź_東京',
        externalAgencyId: 'agence ☀',
      });
      expect(response.status).toBe(200);
      expect(decodeJwt(response.body.token)).toMatchObject({ uid: 'répresentant_Łódź_東京', aid: 'agence ☀' });
    });

    it('accepts a JSON content type with a charset', async () => {
      const response = await api.call('POST', '/session', {
        body: JSON.stringify(rep),
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json; charset=utf-8' },
      });
      expect(response.status).toBe(200);
    });
  });
});
