import fc from 'fast-check';
import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';

const table = testTable();
let invoke: Invoke;
beforeAll(async () => {
  invoke = await loadTestHandlers();
});

// Small pools, so tenants share rep ids and agency labels: a label must never open another's calls.
const rep = fc.constantFrom('rep_1', 'rep_2', 'rep_3');
const agency = fc.constantFrom('agency_a', 'agency_b', null);
const tenantCalls = fc.array(fc.record({ rep, agency, hoursAgo: fc.integer({ min: 1, max: 2_000 }) }), {
  minLength: 1,
  maxLength: 6,
});

const get = (apiKey: string, path: string) =>
  invoke({ method: 'GET', path, headers: [['Authorization', `Bearer ${apiKey}`]] });
const query = (parameters: Record<string, string>) => `/calls?${new URLSearchParams(parameters).toString()}`;

describe('tenant isolation, as a property over random tenants, reps, agencies and calls', () => {
  it('one tenant key never reaches another tenant call: not by list, filter, detail or cursor', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(tenantCalls, { minLength: 2, maxLength: 3 }),
        rep,
        agency,
        async (tenantsCalls, someRep, someAgency) => {
          const tenants = await Promise.all(
            tenantsCalls.map(async (calls) => {
              const { tenant, apiKey } = await createTestTenant(table);
              const ids = await seedScoredCalls(
                table,
                calls.map((call) => ({
                  tenantId: tenant.tenantId,
                  externalUserId: call.rep,
                  externalAgencyId: call.agency,
                  endedAt: new Date(Date.now() - call.hoursAgo * 3_600_000),
                })),
              );
              return { apiKey, ids: new Set(ids) };
            }),
          );

          for (const [index, { apiKey, ids }] of tenants.entries()) {
            const others = tenants.filter((_, other) => other !== index);
            const filters: Record<string, string>[] = [
              {},
              { externalUserId: someRep },
              ...(someAgency
                ? [{ externalAgencyId: someAgency }, { externalUserId: someRep, externalAgencyId: someAgency }]
                : []),
            ];
            for (const filter of filters) {
              const listed = await get(apiKey, query({ from: '2020-01-01T00:00:00Z', limit: '100', ...filter }));
              expect(listed.status).toBe(200);
              for (const row of listed.body.data as { id: string }[]) expect(ids.has(row.id)).toBe(true);
            }
            for (const other of others) {
              for (const foreignId of other.ids) {
                const detail = await get(apiKey, `/calls/${foreignId}`);
                expect([detail.status, detail.body.error?.code]).toEqual([404, 'CALL_NOT_FOUND']);
              }
              const foreignPage = await get(other.apiKey, query({ from: '2020-01-01T00:00:00Z', limit: '1' }));
              if (foreignPage.body.nextCursor) {
                const withForeignCursor = await get(
                  apiKey,
                  query({ from: '2020-01-01T00:00:00Z', limit: '1', cursor: foreignPage.body.nextCursor }),
                );
                expect([withForeignCursor.status, withForeignCursor.body.error?.code]).toEqual([
                  400,
                  'INVALID_REQUEST',
                ]);
              }
            }
          }
        },
      ),
      { numRuns: 20 },
    );
    // 20 runs, each seeding two or three tenants and listing every filter: minutes on a busy machine.
  }, 300_000);
});
