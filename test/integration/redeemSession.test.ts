import { decodeJwt } from 'jose';
import { findDrill } from '../../lambdas/domain/drills.js';
import {
  issueApiKey,
  revokeApiKey,
  rotateApiKey,
  setTenantStatus,
} from '../../lambdas/backoffice/tenantAdministration.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { createTestTenant, itemsOfTenant, testTable } from '../support/fixtures.js';
import { startTestApi, type ApiResponse, type TestApi } from '../support/testApi.js';
import { signSessionToken } from '../support/tokens.js';

const table = testTable();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ allowedOrigins: ['https://app.reseller.example'] });
});
afterAll(() => api.close());

const origin = { Origin: 'https://app.reseller.example' };
const drill = findDrill('ma-full-sale');

const expectError = (response: ApiResponse, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.body.error.code).toBe(code);
  expect(response.body.error.requestId).toBe(response.headers['x-athos-request-id']);
};

const mintedToken = async () => {
  const { tenant, apiKey, keyId } = await createTestTenant(table);
  const minted = await api.mint(apiKey, { externalUserId: 'rep_8842', externalAgencyId: 'agency_chicago' });
  return { tenantId: tenant.tenantId, keyId, token: minted.body.token as string };
};

const operator = { tenants: createTenantStore(table), clock: { now: () => new Date() }, actor: 'test-operator' };

const callsOf = async (tenantId: string) =>
  (await itemsOfTenant(table, tenantId)).filter((item) => String(item.pk).startsWith('CALL#'));

describe('POST /roleplay/session', () => {
  it('redeems a minted token for a connection ticket and a new call', async () => {
    const { tenantId, token } = await mintedToken();

    const response = await api.redeem(token, { drillKey: 'ma-full-sale', difficulty: 'Elite' }, { headers: origin });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      connectionTicket: expect.any(String),
      connectionUrl: 'wss://voice.useathos.ai/v1/connect',
      sessionId: expect.stringMatching(/^ext_/),
      callId: expect.stringMatching(/^athos_call_[A-Za-z0-9_-]{21}$/),
      persona: { name: expect.any(String) },
    });
    const elite = drill?.personas.filter((persona) => persona.difficulty === 'Elite').map((persona) => persona.name);
    expect(elite).toContain(response.body.persona.name);
    expect(decodeJwt(response.body.connectionTicket)).toMatchObject({
      aud: 'athos-voice',
      sub: response.body.callId,
      sid: response.body.sessionId,
      tid: tenantId,
    });
    const [call, ...others] = await callsOf(tenantId);
    expect(others).toHaveLength(0);
    expect(call).toMatchObject({
      callId: response.body.callId,
      sessionId: response.body.sessionId,
      tenantId,
      externalUserId: 'rep_8842',
      externalAgencyId: 'agency_chicago',
      drillKey: 'ma-full-sale',
      difficulty: 'Elite',
      status: 'redeemed',
    });
  });

  it('lets a page on an allowed origin read the response and its request id', async () => {
    const { token } = await mintedToken();

    const response = await api.redeem(token, { drillKey: 'ma-full-sale' }, { headers: origin });

    expect(response.headers['access-control-allow-origin']).toBe('https://app.reseller.example');
    expect(response.headers['access-control-expose-headers']).toBe('X-Athos-Request-Id');
    expect(response.headers.vary).toBe('Origin');
  });

  it('gives no CORS grant to an origin that is not allowed', async () => {
    const { token } = await mintedToken();

    const response = await api.redeem(
      token,
      { drillKey: 'ma-full-sale' },
      { headers: { Origin: 'https://evil.example' } },
    );

    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('defaults to Advanced difficulty', async () => {
    const { tenantId, token } = await mintedToken();

    await api.redeem(token, { drillKey: 'ma-full-sale' });

    expect((await callsOf(tenantId))[0]?.difficulty).toBe('Advanced');
  });

  it('picks a persona from the asked state when the drill has one there', async () => {
    const californians = drill?.personas
      .filter((p) => p.state === 'CA' && p.difficulty === 'Advanced')
      .map((p) => p.name);
    expect(californians?.length).toBeGreaterThan(0);

    for (let i = 0; i < 5; i++) {
      const { token } = await mintedToken();
      const response = await api.redeem(token, {
        drillKey: 'ma-full-sale',
        filters: { state: 'ca', category: 'anything' },
      });
      expect(californians).toContain(response.body.persona.name);
    }
  });

  it('falls back to any persona of the difficulty when the state has none', async () => {
    const { token } = await mintedToken();

    const response = await api.redeem(token, {
      drillKey: 'ma-full-sale',
      difficulty: 'Beginner',
      filters: { state: 'WY' },
    });

    expect(response.status).toBe(200);
    const beginners = drill?.personas.filter((p) => p.difficulty === 'Beginner').map((p) => p.name);
    expect(beginners).toContain(response.body.persona.name);
  });

  describe('single use', () => {
    it('refuses a second redeem of the same token with TOKEN_ALREADY_USED and writes no second call', async () => {
      const { tenantId, token } = await mintedToken();
      expect((await api.redeem(token, { drillKey: 'ma-full-sale' })).status).toBe(200);

      const again = await api.redeem(token, { drillKey: 'ma-full-sale' }, { headers: origin });

      expectError(again, 401, 'TOKEN_ALREADY_USED');
      expect(again.headers['access-control-allow-origin']).toBe('https://app.reseller.example');
      expect(await callsOf(tenantId)).toHaveLength(1);
    });

    it('lets exactly one of 25 parallel redeems of one token through', async () => {
      const { tenantId, token } = await mintedToken();

      const responses = await Promise.all(
        Array.from({ length: 25 }, () => api.redeem(token, { drillKey: 'ma-full-sale' })),
      );

      expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
      for (const refused of responses.filter((response) => response.status !== 200)) {
        expectError(refused, 401, 'TOKEN_ALREADY_USED');
      }
      expect(await callsOf(tenantId)).toHaveLength(1);
    });

    it.each([
      ['an unknown drill', { drillKey: 'no-such-drill' }, 400, 'DRILL_NOT_FOUND'],
      ['a missing drillKey', { difficulty: 'Elite' }, 400, 'INVALID_REQUEST'],
      ['an unknown difficulty', { drillKey: 'ma-full-sale', difficulty: 'Expert' }, 400, 'INVALID_REQUEST'],
      ['filters that are not an object', { drillKey: 'ma-full-sale', filters: 'CA' }, 400, 'INVALID_REQUEST'],
      ['a state that is not text', { drillKey: 'ma-full-sale', filters: { state: 6 } }, 400, 'INVALID_REQUEST'],
    ])('refuses %s and leaves the token unused', async (_case, json, status, code) => {
      const { tenantId, token } = await mintedToken();

      const refused = await api.redeem(token, json, { headers: origin });

      expectError(refused, status, code);
      expect(refused.headers['access-control-allow-origin']).toBe('https://app.reseller.example');
      expect(await callsOf(tenantId)).toHaveLength(0);
      expect((await api.redeem(token, { drillKey: 'ma-full-sale' })).status).toBe(200);
    });

    it('refuses a body that is not valid UTF-8 and leaves the token unused', async () => {
      const { tenantId, token } = await mintedToken();

      const refused = await api.call('POST', '/roleplay/session', {
        body: Buffer.concat([
          Buffer.from('{"drillKey":"ma-full-sale","filters":{"state":"C'),
          Buffer.from([0xc3]),
          Buffer.from('"}}'),
        ]),
        headers: { ...origin, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      });

      expectError(refused, 400, 'INVALID_REQUEST');
      expect(refused.body.error.message).toBe('request body is not valid UTF-8');
      expect(await callsOf(tenantId)).toHaveLength(0);
      expect((await api.redeem(token, { drillKey: 'ma-full-sale' })).status).toBe(200);
    });

    it('names the field of a bad body', async () => {
      const { token } = await mintedToken();
      const response = await api.redeem(token, { drillKey: 'ma-full-sale', difficulty: 'Expert' });
      expect(response.body.error.message).toBe('difficulty must be one of Beginner, Advanced, Elite');
    });
  });

  describe('a token outlives neither its tenant nor its key', () => {
    it('refuses a token minted before its tenant was deactivated with 403 TENANT_INACTIVE, writing nothing', async () => {
      const { tenantId, token } = await mintedToken();
      await setTenantStatus(operator, { tenantId, status: 'inactive' });

      const refused = await api.redeem(token, { drillKey: 'ma-full-sale' }, { headers: origin });

      expectError(refused, 403, 'TENANT_INACTIVE');
      expect(refused.body.error.message).toBe('Tenant is inactive');
      expect(refused.headers['access-control-allow-origin']).toBe('https://app.reseller.example');
      expect(await callsOf(tenantId)).toHaveLength(0);
      await setTenantStatus(operator, { tenantId, status: 'active' });
      expect((await api.redeem(token, { drillKey: 'ma-full-sale' })).status).toBe(200);
    });

    it('refuses a token minted by a key revoked since with 401 API_KEY_REVOKED, writing nothing', async () => {
      const { tenantId, keyId, token } = await mintedToken();
      await revokeApiKey(operator, { keyId });

      const refused = await api.redeem(token, { drillKey: 'ma-full-sale' }, { headers: origin });

      expectError(refused, 401, 'API_KEY_REVOKED');
      expect(refused.body.error.message).toBe('API key has been revoked');
      expect(await callsOf(tenantId)).toHaveLength(0);
    });

    it('refuses a token minted by a rotated key whose overlap has ended since', async () => {
      const { tenantId, keyId, token } = await mintedToken();
      await rotateApiKey(operator, { keyId, overlapMs: 0 });

      expectError(await api.redeem(token, { drillKey: 'ma-full-sale' }), 401, 'API_KEY_REVOKED');
      expect(await callsOf(tenantId)).toHaveLength(0);
    });

    it("refuses a test-mode token once its live tenant is deactivated: the twin's status is the tenant's", async () => {
      const { tenant } = await createTestTenant(table);
      const { apiKey } = await issueApiKey(operator, { tenantId: tenant.tenantId, mode: 'test' });
      const token = (await api.mint(apiKey, { externalUserId: 'rep_1' })).body.token as string;
      await setTenantStatus(operator, { tenantId: tenant.tenantId, status: 'inactive' });

      expectError(await api.redeem(token, { drillKey: 'ma-full-sale' }), 403, 'TENANT_INACTIVE');
    });

    it('redeems a token minted by a rotated key while its overlap lasts', async () => {
      const { keyId, token } = await mintedToken();
      await rotateApiKey(operator, { keyId, overlapMs: 3_600_000 });

      expect((await api.redeem(token, { drillKey: 'ma-full-sale' })).status).toBe(200);
    });
  });

  describe('session token', () => {
    it('refuses a token past its exp with TOKEN_EXPIRED', async () => {
      const { tenant, keyId } = await createTestTenant(table);
      const { token } = await signSessionToken(
        { tenantId: tenant.tenantId, keyId, externalUserId: 'rep_1' },
        new Date(Date.now() - 10 * 60_000),
      );

      expectError(await api.redeem(token, { drillKey: 'ma-full-sale' }, { headers: origin }), 401, 'TOKEN_EXPIRED');
    });

    it('refuses a token whose signature does not verify with INVALID_TOKEN', async () => {
      const { token } = await mintedToken();
      const [header, payload, signature = ''] = token.split('.');
      const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;

      expectError(await api.redeem(forged, { drillKey: 'ma-full-sale' }), 401, 'INVALID_TOKEN');
    });

    it.each([
      ['no Authorization header', {}],
      ['garbage', { Authorization: 'Bearer not.a.jwt' }],
      [
        'an API key',
        { Authorization: 'Bearer ath_live_0000000000000000000000000000000000000000000000000000000000000' },
      ],
    ])('refuses %s with INVALID_TOKEN, with CORS headers', async (_case, headers) => {
      const response = await api.call('POST', '/roleplay/session', {
        json: { drillKey: 'ma-full-sale' },
        headers: { ...origin, ...headers },
      });
      expectError(response, 401, 'INVALID_TOKEN');
      expect(response.headers['access-control-allow-origin']).toBe('https://app.reseller.example');
    });
  });

  describe('preflight', () => {
    it('answers OPTIONS on the redeem route with the CORS policy', async () => {
      const response = await api.call('OPTIONS', '/roleplay/session', {
        headers: {
          ...origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,content-type',
        },
      });

      expect(response.status).toBe(204);
      expect(response.headers).toMatchObject({
        'access-control-allow-origin': 'https://app.reseller.example',
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'Authorization, Content-Type',
        'access-control-expose-headers': 'X-Athos-Request-Id',
      });
      expect(response.headers['x-athos-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each(['/session', '/calls', '/calls/athos_call_GZ1DjOkZv_VEPoE-CJ8mp'])(
      'does not answer a preflight on %s',
      async (path) => {
        const response = await api.call('OPTIONS', path, {
          headers: { ...origin, 'Access-Control-Request-Method': 'POST' },
        });

        // A 404 without Allow-Methods: the browser refuses the preflight, so it never sends the call.
        expect(response.status).toBe(404);
        expect(response.headers['access-control-allow-methods']).toBeUndefined();
        expect(response.body.error.code).toBe('INVALID_REQUEST');
      },
    );
  });
});
