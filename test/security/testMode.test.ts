import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { requestsFor } from '../../local/apiRequests.js';
import { generateApiKey, parseApiKey } from '../../lambdas/domain/apiKeys.js';
import { noMetrics, systemClock } from '../../lambdas/domain/ports.js';
import { defaultTestMonthlySessionQuota, testTwinOf } from '../../lambdas/domain/testMode.js';
import { completeCall } from '../../lambdas/backoffice/completeCall.js';
import { issueApiKey, revokeApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { callKey, quotaKey } from '../../lambdas/store/keys.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { sampleScore, sampleTranscript } from '../../lambdas/backoffice/sampleCalls.js';
import { createTestTenant, testTable, type TestTenantOptions } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';

/**
 * Test mode: an ath_test_ key acts as its tenant's test twin. Test data and live data never meet:
 * not in lists, reads or cursors, and not in quotas.
 */
const table = testTable();
const ports = { tenants: createTenantStore(table), clock: systemClock, actor: 'test' };
const calls = createCallStore(table);
let invoke: Invoke;
beforeAll(async () => {
  invoke = await loadTestHandlers();
});

const tenantWithBothKeys = async (options: TestTenantOptions = {}) => {
  const { tenant, apiKey: liveKey } = await createTestTenant(table, options);
  const { apiKey: testKey, record } = await issueApiKey(ports, { tenantId: tenant.tenantId, mode: 'test' });
  return { tenantId: tenant.tenantId, liveKey, testKey, testKeyId: record.keyId };
};

/** Mint, redeem and score one call with the key, as the pipeline would. @returns the call id */
const scoredCall = async (apiKey: string, endedAt: string) => {
  const requests = requestsFor(apiKey);
  const minted = await invoke(requests.mint());
  expect(minted.status).toBe(200);
  const redeemed = await invoke(requests.redeem(minted.body.token));
  expect(redeemed.status).toBe(200);
  const callId: string = redeemed.body.callId;
  await completeCall(
    { calls, clock: systemClock, metrics: noMetrics },
    {
      callId,
      startedAt: new Date(Date.parse(endedAt) - 60_000).toISOString(),
      endedAt,
      transcript: sampleTranscript('Margaret'),
      score: sampleScore(),
    },
  );
  return callId;
};

const get = (apiKey: string, path: string) =>
  invoke({ method: 'GET', path, headers: [['Authorization', `Bearer ${apiKey}`]] });
const listIds = async (apiKey: string, query: Record<string, string> = {}) => {
  const response = await get(apiKey, `/calls?${new URLSearchParams({ from: '2020-01-01T00:00:00Z', ...query })}`);
  return {
    ids: response.body.data.map((call: { id: string }) => call.id) as string[],
    nextCursor: response.body.nextCursor as string | null,
  };
};

describe('test mode', () => {
  it('issues ath_test_ keys whose checksum covers the mode: relabelled, a key is malformed', async () => {
    const { testKey, liveKey } = await tenantWithBothKeys();
    expect(testKey.startsWith('ath_test_')).toBe(true);
    expect(parseApiKey(testKey)).toMatchObject({ mode: 'test' });
    const relabelled = testKey.replace('ath_test_', 'ath_live_');
    expect(parseApiKey(relabelled)).toBeUndefined();
    expect((await get(relabelled, '/calls?from=2020-01-01T00:00:00Z')).body.error.code).toBe('INVALID_API_KEY');
    expect((await get(liveKey.replace('ath_live_', 'ath_test_'), '/calls?from=2020-01-01T00:00:00Z')).status).toBe(401);
  });

  it('refuses a well-formed test key that was never issued', async () => {
    const { tenantId } = await tenantWithBothKeys();
    const forged = generateApiKey(tenantId, 'test');
    expect((await get(forged, '/calls?from=2020-01-01T00:00:00Z')).body.error.code).toBe('INVALID_API_KEY');
  });

  it('keeps test and live calls apart both ways: lists, reads', async () => {
    const { liveKey, testKey } = await tenantWithBothKeys();
    const liveCall = await scoredCall(liveKey, '2026-01-02T00:00:00Z');
    const testCall = await scoredCall(testKey, '2026-01-03T00:00:00Z');

    expect((await listIds(liveKey)).ids).toEqual([liveCall]);
    expect((await listIds(testKey)).ids).toEqual([testCall]);
    expect((await listIds(liveKey, { externalUserId: 'rep_1001' })).ids).toEqual([liveCall]);
    expect((await listIds(testKey, { externalUserId: 'rep_1001' })).ids).toEqual([testCall]);
    expect((await get(liveKey, `/calls/${testCall}`)).status).toBe(404);
    expect((await get(testKey, `/calls/${liveCall}`)).status).toBe(404);
    expect((await get(testKey, `/calls/${testCall}`)).status).toBe(200);
  });

  it('marks only test-mode call items, so only they reach the simulator, and files them under the twin', async () => {
    const { tenantId, liveKey, testKey } = await tenantWithBothKeys();
    const liveCall = await scoredCall(liveKey, '2026-01-02T00:00:00Z');
    const testCall = await scoredCall(testKey, '2026-01-03T00:00:00Z');
    const item = async (callId: string) =>
      (await table.db.send(new GetCommand({ TableName: table.name, Key: callKey(callId) }))).Item;

    expect(await item(liveCall)).toMatchObject({ tenantId });
    expect(await item(liveCall)).not.toHaveProperty('mode');
    expect(await item(testCall)).toMatchObject({ tenantId: testTwinOf(tenantId), mode: 'test' });
  });

  it('refuses a cursor from the other mode', async () => {
    const { liveKey, testKey } = await tenantWithBothKeys();
    for (const day of ['01', '02']) {
      await scoredCall(liveKey, `2026-01-${day}T00:00:00Z`);
      await scoredCall(testKey, `2026-01-${day}T00:00:00Z`);
    }
    const live = await listIds(liveKey, { limit: '1' });
    const test = await listIds(testKey, { limit: '1' });

    const withCursor = (apiKey: string, cursor: string) =>
      get(apiKey, `/calls?${new URLSearchParams({ from: '2020-01-01T00:00:00Z', limit: '1', cursor })}`);
    expect((await withCursor(testKey, String(live.nextCursor))).status).toBe(400);
    expect((await withCursor(liveKey, String(test.nextCursor))).status).toBe(400);
    expect((await withCursor(liveKey, String(live.nextCursor))).status).toBe(200);
  });

  it('counts test sessions against their own quota, never the live one', async () => {
    const { tenantId, liveKey, testKey } = await tenantWithBothKeys({ monthlySessionQuota: 1 });
    const mint = (apiKey: string) => invoke(requestsFor(apiKey).mint());

    expect((await mint(liveKey)).status).toBe(200);
    expect((await mint(liveKey)).body.error.code).toBe('TENANT_QUOTA_EXCEEDED');
    expect((await mint(testKey)).status).toBe(200);
    expect((await mint(testKey)).status).toBe(200);

    const month = new Date().toISOString().slice(0, 7);
    const counter = async (id: string) =>
      (await table.db.send(new GetCommand({ TableName: table.name, Key: quotaKey(id, month) }))).Item?.sessionsMinted;
    expect(await counter(tenantId)).toBe(1);
    expect(await counter(testTwinOf(tenantId))).toBe(2);
  });

  it('caps test sessions at the test quota', async () => {
    const { tenantId, testKey } = await tenantWithBothKeys();
    const month = new Date().toISOString().slice(0, 7);
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: quotaKey(testTwinOf(tenantId), month),
        UpdateExpression: 'SET sessionsMinted = :used',
        ExpressionAttributeValues: { ':used': defaultTestMonthlySessionQuota },
      }),
    );
    expect((await invoke(requestsFor(testKey).mint())).body.error.code).toBe('TENANT_QUOTA_EXCEEDED');
  });

  it('follows the live tenant: deactivated, its test keys stop too; a revoked test key stops alone', async () => {
    const { tenantId, liveKey, testKey, testKeyId } = await tenantWithBothKeys();
    await revokeApiKey(ports, { keyId: testKeyId });
    expect((await get(testKey, '/calls?from=2020-01-01T00:00:00Z')).body.error.code).toBe('API_KEY_REVOKED');
    expect((await get(liveKey, '/calls?from=2020-01-01T00:00:00Z')).status).toBe(200);

    const other = await tenantWithBothKeys({ status: 'inactive' });
    expect((await get(other.testKey, '/calls?from=2020-01-01T00:00:00Z')).body.error.code).toBe('TENANT_INACTIVE');
    expect(tenantId).not.toBe(other.tenantId);
  });
});
