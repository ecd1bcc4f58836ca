import { requestsFor } from '../../bin/local/apiRequests.js';
import { createTestTenant, itemsOfTenant, testTable } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';

const table = testTable();
let invoke: Invoke;
beforeAll(async () => {
  invoke = await loadTestHandlers();
});

const repeats = 20;
// Each test is 20 rounds of 40–50 parallel requests: far longer than one request on a busy machine.
const roundsTimeoutMs = 300_000;

describe('under concurrency, repeated 20 times', () => {
  it(
    '50 parallel redeems of one token: exactly one 200 and one call, the rest TOKEN_ALREADY_USED',
    async () => {
      for (let round = 0; round < repeats; round++) {
        const { tenant, apiKey } = await createTestTenant(table);
        const minted = await invoke(requestsFor(apiKey).mint());

        const responses = await Promise.all(
          Array.from({ length: 50 }, () => invoke(requestsFor(apiKey).redeem(minted.body.token))),
        );

        const codes = responses.map((response) => (response.status === 200 ? 'OK' : response.body.error.code));
        expect([round, codes.filter((code) => code === 'OK').length]).toEqual([round, 1]);
        expect(codes.filter((code) => code !== 'OK').every((code) => code === 'TOKEN_ALREADY_USED')).toBe(true);
        const calls = (await itemsOfTenant(table, tenant.tenantId)).filter((item) =>
          String(item.pk).startsWith('CALL#'),
        );
        expect([round, calls.length]).toEqual([round, 1]);
      }
    },
    roundsTimeoutMs,
  );

  it(
    'N parallel mints with K sessions of quota left: exactly K succeed',
    async () => {
      for (let round = 0; round < repeats; round++) {
        const quota = 10 + round;
        const alreadyUsed = round % 5;
        const { tenant, apiKey } = await createTestTenant(table, { monthlySessionQuota: quota });
        for (let i = 0; i < alreadyUsed; i++) await invoke(requestsFor(apiKey).mint());

        const responses = await Promise.all(Array.from({ length: 40 }, () => invoke(requestsFor(apiKey).mint())));

        const left = quota - alreadyUsed;
        expect([round, responses.filter((response) => response.status === 200).length]).toEqual([round, left]);
        expect(
          responses
            .filter((response) => response.status !== 200)
            .every((response) => response.body.error.code === 'TENANT_QUOTA_EXCEEDED'),
        ).toBe(true);
        const month = new Date().toISOString().slice(0, 7);
        const counter = (await itemsOfTenant(table, tenant.tenantId)).find((item) => item.sk === `QUOTA#${month}`);
        expect([round, counter?.sessionsMinted]).toEqual([round, quota]);
      }
    },
    roundsTimeoutMs,
  );
});
