import { eventually } from '../support/eventually.js';
import { createTenantWithTestKey, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

/**
 * The loop `npm start` runs, through the public API only: mint, redeem, and the simulator plays
 * the call through the events queue into the consumer, until it is listed and readable.
 */
const table = testTable();
let api: TestApi;
let liveKey: string;
let testKey: string;
beforeAll(async () => {
  api = await startTestApi({ callEvents: true });
  ({ liveKey, testKey } = await createTenantWithTestKey(table));
});
afterAll(() => api.close());

const playCall = async (apiKey: string) => {
  const minted = await api.mint(apiKey, { externalUserId: 'rep_loop' });
  expect(minted.status).toBe(200);
  const redeemed = await api.redeem(minted.body.token, { drillKey: 'ma-full-sale', difficulty: 'Advanced' });
  expect(redeemed.status).toBe(200);
  const callId: string = redeemed.body.callId;

  const listed = await eventually(
    async () => {
      const page = await api.list(apiKey, { from: '2020-01-01T00:00:00Z', externalUserId: 'rep_loop' });
      return page.body.data.find((call: { id: string }) => call.id === callId);
    },
    { what: `call ${callId} listed`, deadlineMs: 60_000 },
  );
  const detail = await api.get(apiKey, callId);
  return { callId, persona: redeemed.body.persona.name as string, listed, detail };
};

describe('mint → redeem → the call is scored by the simulator, through the queue', () => {
  it.each([
    ['a live key', () => liveKey],
    ['a test-mode key', () => testKey],
  ])(
    'with %s: listed, then readable with a transcript and a score',
    async (_case, key) => {
      const { callId, persona, listed, detail } = await playCall(key());

      expect(listed).toMatchObject({ id: callId, externalUserId: 'rep_loop', drillKey: 'ma-full-sale' });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ id: callId, status: 'scored', score: { overallScore: expect.any(Number) } });
      expect(detail.body.transcript.length).toBeGreaterThan(4);
      expect(JSON.stringify(detail.body.transcript)).toContain(persona);
      expect(Date.parse(detail.body.endedAt)).toBeGreaterThanOrEqual(Date.parse(detail.body.startedAt));
    },
    90_000,
  );

  it('keeps a test-mode call away from the live key, and a live call away from the test key', async () => {
    const [testCall, liveCall] = await Promise.all([playCall(testKey), playCall(liveKey)]);

    expect((await api.get(liveKey, testCall.callId)).status).toBe(404);
    expect((await api.get(testKey, liveCall.callId)).status).toBe(404);
    const liveIds = (await api.list(liveKey, { from: '2020-01-01T00:00:00Z' })).body.data.map(
      (c: { id: string }) => c.id,
    );
    const testIds = (await api.list(testKey, { from: '2020-01-01T00:00:00Z' })).body.data.map(
      (c: { id: string }) => c.id,
    );
    expect(liveIds).toContain(liveCall.callId);
    expect(liveIds).not.toContain(testCall.callId);
    expect(testIds).toContain(testCall.callId);
    expect(testIds).not.toContain(liveCall.callId);
  }, 120_000);
});
