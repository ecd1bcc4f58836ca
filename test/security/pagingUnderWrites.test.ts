import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';

const table = testTable();
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const hour = 3_600_000;

describe('paging while calls are being scored', () => {
  it('shows every call that was there once, with no duplicates, whatever is scored meanwhile', async () => {
    const { tenant, apiKey } = await createTestTenant(table);
    const start = Date.now() - 1_000 * hour;
    const original = await seedScoredCalls(
      table,
      Array.from({ length: 95 }, (_, i) => ({
        tenantId: tenant.tenantId,
        externalUserId: 'rep_1',
        endedAt: new Date(start + i * 10 * hour),
      })),
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const response: { body: { data: { id: string; endedAt: string }[]; nextCursor: string | null } } = await api.list(
        apiKey,
        {
          from: '2020-01-01T00:00:00Z',
          limit: '10',
          ...(cursor ? { cursor } : {}),
        },
      );
      seen.push(...response.body.data.map((row) => row.id));
      cursor = response.body.nextCursor;
      const oldestSeen = Date.parse(response.body.data.at(-1)?.endedAt ?? new Date().toISOString());
      // Between pages: a call newer than all, one among the pages already read, one still ahead.
      await seedScoredCalls(table, [
        { tenantId: tenant.tenantId, externalUserId: 'rep_1', endedAt: new Date(Date.now() - page * 1_000) },
        { tenantId: tenant.tenantId, externalUserId: 'rep_1', endedAt: new Date(oldestSeen + hour) },
        {
          tenantId: tenant.tenantId,
          externalUserId: 'rep_1',
          endedAt: new Date(Math.max(start, oldestSeen - 35 * hour)),
        },
      ]);
      page++;
    } while (cursor && page < 100);

    expect(new Set(seen).size).toBe(seen.length);
    for (const id of original) expect(seen).toContain(id);
    // About 155 calls scored one transaction at a time: minutes on a busy 2-core machine.
  }, 300_000);
});
