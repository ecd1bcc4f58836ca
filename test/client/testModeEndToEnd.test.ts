import { Athos, AthosError, type SlimCall } from '../../clients/node/src/index.js';
import { eventually } from '../support/eventually.js';
import { createTenantWithTestKey, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

/**
 * The client as an integrator first uses it: a real `ath_test_` key issued as `athos-admin key
 * create --mode test` issues it, against the local server with the call-events queue, its consumer
 * and the simulator running as `npm start` runs them.
 */
const table = testTable();
let api: TestApi;
let testKey: string;
let liveKey: string;
beforeAll(async () => {
  api = await startTestApi({ callEvents: true });
  ({ liveKey, testKey } = await createTenantWithTestKey(table));
}, 60_000);
afterAll(() => api.close());

it('mints with a test key, the call is redeemed through the public API, and the client reads the simulated, scored call', async () => {
  const athos = new Athos({ apiKey: testKey, baseUrl: api.baseUrl });
  expect(athos.mode).toBe('test');

  const session = await athos.sessions.create({ externalUserId: 'rep_client_e2e', externalAgencyId: 'agency_x' });
  const redeemed = await api.redeem(session.token, { drillKey: 'ma-full-sale', difficulty: 'Advanced' });
  expect(redeemed.status).toBe(200);
  const callId: string = redeemed.body.callId;

  const listed = await eventually(
    async () => {
      const seen: SlimCall[] = [];
      for await (const call of athos.calls.list({ from: '2020-01-01T00:00:00Z', externalUserId: 'rep_client_e2e' }))
        seen.push(call);
      return seen.find((call) => call.id === callId && call.scoredAt);
    },
    { what: `call ${callId} listed as scored`, deadlineMs: 60_000 },
  );
  expect(listed).toMatchObject({ externalUserId: 'rep_client_e2e', externalAgencyId: 'agency_x' });

  const call = await athos.calls.get(callId);
  expect(call).toMatchObject({
    id: callId,
    status: 'scored',
    drillKey: 'ma-full-sale',
    score: { overallScore: expect.any(Number), simulated: true },
  });
  expect(call.transcript.length).toBeGreaterThan(0);

  // The same call is invisible to the tenant's live key.
  const live = new Athos({ apiKey: liveKey, baseUrl: api.baseUrl });
  expect(live.mode).toBe('live');
  const refused = await live.calls.get(callId).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(AthosError);
  expect(refused).toMatchObject({ status: 404, code: 'CALL_NOT_FOUND' });
}, 90_000);
