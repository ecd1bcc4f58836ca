import { createTestTenant, testTable } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';

const table = testTable();
let invoke: Invoke;
beforeAll(async () => {
  invoke = await loadTestHandlers();
});

const spoofing: [string, string][] = [
  ['X-Forwarded-For', '203.0.113.7'],
  ['Forwarded', 'for=203.0.113.7;proto=https'],
  ['X-Real-IP', '203.0.113.7'],
  ['X-Forwarded-For', '2001:db8::7'],
];
const mintFrom = (apiKey: string, sourceIp: string, extraHeaders: [string, string][] = []) =>
  invoke({
    method: 'POST',
    path: '/session',
    sourceIp,
    headers: [['Authorization', `Bearer ${apiKey}`], ['Content-Type', 'application/json'], ...extraHeaders],
    body: '{"externalUserId":"rep_1"}',
  });

describe('IP allowlists', () => {
  it.each([
    ['203.0.113.7', true],
    ['203.0.113.255', true],
    ['203.0.114.1', false],
    ['::ffff:203.0.113.7', true],
    ['::ffff:198.51.100.1', false],
    ['2001:db8::1', true],
    ['2001:db8:ffff::1', true],
    ['2001:db9::1', false],
    ['::1', false],
  ])('judge a call from %s (allowed: %s) by the gateway source IP alone', async (sourceIp, allowed) => {
    const { apiKey } = await createTestTenant(table, { allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] });

    const response = await mintFrom(apiKey, sourceIp);

    expect(response.status === 200 ? 'allowed' : response.body.error.code).toBe(allowed ? 'allowed' : 'IP_NOT_ALLOWED');
  });

  it('ignore forwarding headers when the source is outside', async () => {
    const { apiKey } = await createTestTenant(table, { allowedCidrs: ['203.0.113.0/24', '2001:db8::/32'] });
    const response = await mintFrom(apiKey, '198.51.100.1', spoofing);
    expect(response.body.error.code).toBe('IP_NOT_ALLOWED');
  });

  it('ignore forwarding headers when the source is inside', async () => {
    const { apiKey } = await createTestTenant(table, { allowedCidrs: ['198.51.100.0/24'] });
    expect((await mintFrom(apiKey, '198.51.100.1', [['X-Forwarded-For', '10.9.9.9']])).status).toBe(200);
  });

  it('do not apply to the redeem route, which browsers call from anywhere', async () => {
    const { apiKey } = await createTestTenant(table, { allowedCidrs: ['203.0.113.0/24'] });
    const minted = await mintFrom(apiKey, '203.0.113.9');

    const redeemed = await invoke({
      method: 'POST',
      path: '/roleplay/session',
      sourceIp: '198.51.100.77',
      headers: [
        ['Authorization', `Bearer ${minted.body.token}`],
        ['Content-Type', 'application/json'],
      ],
      body: '{"drillKey":"ma-full-sale"}',
    });

    expect(redeemed.status).toBe(200);
  });

  it('apply to reading calls too', async () => {
    const { apiKey } = await createTestTenant(table, { allowedCidrs: ['203.0.113.0/24'] });
    const response = await invoke({
      method: 'GET',
      path: '/calls?from=2026-01-01T00:00:00Z',
      sourceIp: '198.51.100.1',
      headers: [['Authorization', `Bearer ${apiKey}`], ...spoofing],
    });
    expect(response.body.error.code).toBe('IP_NOT_ALLOWED');
  });
});
