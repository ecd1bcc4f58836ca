import { createRedeemedCall, createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { startTestApi, type ApiResponse, type TestApi } from '../support/testApi.js';

const table = testTable();
let api: TestApi;
let apiKey: string;
let otherApiKey: string;
let callId: string;
let tenantId: string;
const endedAt = new Date('2026-06-05T18:05:00.000Z');

beforeAll(async () => {
  api = await startTestApi();
  const main = await createTestTenant(table);
  apiKey = main.apiKey;
  tenantId = main.tenant.tenantId;
  otherApiKey = (await createTestTenant(table)).apiKey;
  [callId = ''] = await seedScoredCalls(table, [
    { tenantId, externalUserId: 'rep_8842', externalAgencyId: 'agency_chicago', endedAt, durationSec: 420 },
  ]);
});
afterAll(() => api.close());

const expectNotFound = (response: ApiResponse) => {
  expect(response.status).toBe(404);
  expect(response.body.error).toEqual({
    code: 'CALL_NOT_FOUND',
    message: 'Call not found',
    requestId: response.headers['x-athos-request-id'],
  });
};

describe('GET /calls/{callId}', () => {
  it('returns the scored call with its transcript and score', async () => {
    const response = await api.get(apiKey, callId);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: callId,
      source: 'roleplay',
      externalUserId: 'rep_8842',
      externalAgencyId: 'agency_chicago',
      drillKey: 'ma-full-sale',
      startedAt: '2026-06-05T17:58:00.000Z',
      endedAt: '2026-06-05T18:05:00.000Z',
      durationSec: 420,
      scoredAt: expect.any(String),
      status: 'scored',
      transcript: expect.arrayContaining([{ role: 'agent', content: expect.any(String) }]),
      score: { overallScore: expect.any(Number), summary: expect.any(String), feedback: expect.any(String) },
      audioUrl: null,
      audioUrlExpiresAt: null,
      waveform: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(response.headers['x-athos-request-id']).toMatch(/^req_/);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers another tenant 404 CALL_NOT_FOUND, as for a call that does not exist', async () => {
    expectNotFound(await api.get(otherApiKey, callId));
  });

  it('answers 404 CALL_NOT_FOUND for a call that is redeemed but not scored', async () => {
    expectNotFound(await api.get(apiKey, await createRedeemedCall(table, tenantId)));
  });

  it.each(['athos_call_GZ1DjOkZv_VEPoE-CJ8mp', 'not-a-call-id', 'athos_call_' + 'x'.repeat(500), "athos_call_'; DROP"])(
    'answers 404 CALL_NOT_FOUND for %p',
    async (id) => {
      expectNotFound(await api.get(apiKey, id));
    },
  );

  it('authenticates before anything else', async () => {
    const response = await api.get('ath_live_wrong', callId);
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('INVALID_API_KEY');
  });
});
