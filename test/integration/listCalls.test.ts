import {
  createRedeemedCall,
  createTestTenant,
  seedScoredCalls,
  testTable,
  type SeedCallSpec,
} from '../support/fixtures.js';
import { startTestApi, type ApiResponse, type TestApi } from '../support/testApi.js';

const table = testTable();
let api: TestApi;

const reps = ['rep_a', 'rep_b', 'rep_c'];
const agencies = ['agency_x', 'agency_y', null];
const base = Date.parse('2026-06-01T00:00:00.000Z');

interface Seeded extends SeedCallSpec {
  readonly id: string;
}
let apiKey: string;
let otherApiKey: string;
let calls: Seeded[] = [];

beforeAll(async () => {
  api = await startTestApi();
  const main = await createTestTenant(table);
  const other = await createTestTenant(table);
  apiKey = main.apiKey;
  otherApiKey = other.apiKey;
  // 270 calls over 90 days; every tenth shares its endedAt with the one before (ties by call id).
  const specs: SeedCallSpec[] = Array.from({ length: 270 }, (_, i) => ({
    tenantId: main.tenant.tenantId,
    externalUserId: reps[i % reps.length] as string,
    externalAgencyId: agencies[Math.floor(i / 3) % agencies.length] ?? null,
    endedAt: new Date(base + (i % 10 === 9 ? i - 1 : i) * 8 * 3_600_000),
  }));
  const ids = await seedScoredCalls(table, specs);
  calls = specs.map((spec, i) => ({ ...spec, id: ids[i] as string }));
  await seedScoredCalls(
    table,
    Array.from({ length: 30 }, (_, i) => ({
      tenantId: other.tenant.tenantId,
      externalUserId: 'rep_a',
      externalAgencyId: 'agency_x',
      endedAt: new Date(base + i * 3_600_000),
    })),
  );
  // Redeemed but never scored: never listed.
  await createRedeemedCall(table, main.tenant.tenantId, 'rep_a');
}, 300_000);
afterAll(() => api.close());

const newestFirst = (a: Seeded, b: Seeded) =>
  b.endedAt.getTime() - a.endedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

const pageThrough = async (key: string, query: Record<string, string>, limit: number) => {
  const seen: ApiResponse['body'][] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const response: ApiResponse = await api.list(key, {
      ...query,
      limit: String(limit),
      ...(cursor ? { cursor } : {}),
    });
    expect(response.status).toBe(200);
    cursor = response.body.nextCursor;
    // Full pages, except the last one.
    if (cursor !== null) expect(response.body.data).toHaveLength(limit);
    else expect(response.body.data.length).toBeLessThanOrEqual(limit);
    seen.push(...response.body.data);
    pages++;
  } while (cursor !== null && pages < 1_000);
  return seen;
};

const window = { from: '2026-01-01T00:00:00Z' };

describe('GET /calls paging', () => {
  it.each([
    ['no filter', {}, () => true],
    ['externalUserId', { externalUserId: 'rep_b' }, (call: Seeded) => call.externalUserId === 'rep_b'],
    ['externalAgencyId', { externalAgencyId: 'agency_x' }, (call: Seeded) => call.externalAgencyId === 'agency_x'],
    [
      'externalUserId and externalAgencyId',
      { externalUserId: 'rep_c', externalAgencyId: 'agency_y' },
      (call: Seeded) => call.externalUserId === 'rep_c' && call.externalAgencyId === 'agency_y',
    ],
    ['source', { source: 'roleplay' }, () => true],
    [
      'a from/to window',
      { from: '2026-06-20T00:00:00Z', to: '2026-07-10T08:00:00.000Z' },
      (call: Seeded) =>
        call.endedAt >= new Date('2026-06-20T00:00:00Z') && call.endedAt <= new Date('2026-07-10T08:00:00.000Z'),
    ],
  ])('pages through every call with %s, newest first, no duplicates and no gaps', async (_case, filters, keep) => {
    const expected = calls
      .filter(keep)
      .sort(newestFirst)
      .map((call) => call.id);
    expect(expected.length).toBeGreaterThan(10);

    const listed = await pageThrough(apiKey, { ...window, ...filters }, 17);

    expect(listed.map((row) => row.id)).toEqual(expected);
  });

  // Every combination the contract allows: `from` always, with or without `to`, `source`, a rep
  // and an agency. Each is answered by a key, so each pages exactly like the unfiltered list.
  const filterParts = {
    to: {
      query: { from: '2026-06-10T00:00:00Z', to: '2026-08-01T12:00:00Z' },
      keep: (call: Seeded) =>
        call.endedAt >= new Date('2026-06-10T00:00:00Z') && call.endedAt <= new Date('2026-08-01T12:00:00Z'),
    },
    source: { query: { source: 'roleplay' }, keep: () => true },
    externalUserId: { query: { externalUserId: 'rep_a' }, keep: (call: Seeded) => call.externalUserId === 'rep_a' },
    externalAgencyId: {
      query: { externalAgencyId: 'agency_y' },
      keep: (call: Seeded) => call.externalAgencyId === 'agency_y',
    },
  };
  const combinations = Object.keys(filterParts).reduce<(keyof typeof filterParts)[][]>(
    (sets, part) => [...sets, ...sets.map((set) => [...set, part as keyof typeof filterParts])],
    [[]],
  );

  it.each(combinations.map((parts) => [parts.length === 0 ? 'from alone' : `from with ${parts.join(', ')}`, parts]))(
    'pages through %s: newest first, no gaps, no duplicates',
    async (_name, parts) => {
      const query = Object.assign({}, window, ...parts.map((part) => filterParts[part].query));
      const expected = calls
        .filter((call) => parts.every((part) => filterParts[part].keep(call)))
        .sort(newestFirst)
        .map((call) => call.id);
      expect(expected.length).toBeGreaterThan(5);

      const listed = await pageThrough(apiKey, query, 9);

      expect(listed.map((row) => row.id)).toEqual(expected);
    },
  );

  it.each([
    ['a rep in an agency they never called for', { externalUserId: 'rep_a', externalAgencyId: 'agency_nowhere' }],
    ['an agency with no calls', { externalAgencyId: 'agency_nowhere' }],
    ['a rep with no calls', { externalUserId: 'rep_nobody' }],
    ['a window with no calls', { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', source: 'roleplay' }],
  ])('answers an empty last page at once for %s', async (_case, filters) => {
    const response = await api.list(apiKey, { ...window, ...filters });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: [], nextCursor: null });
  });

  it('keeps a rep whose id looks like a rep-and-agency pair apart from that pair', async () => {
    const { tenant, apiKey: key } = await createTestTenant(table);
    const [lookalike, real] = await seedScoredCalls(table, [
      { tenantId: tenant.tenantId, externalUserId: 'a#AGENCY#b', externalAgencyId: 'c', endedAt: new Date(base) },
      { tenantId: tenant.tenantId, externalUserId: 'a', externalAgencyId: 'b#AGENCY#c', endedAt: new Date(base) },
    ]);
    const listed = async (filters: Record<string, string>) =>
      (await api.list(key, { ...window, ...filters })).body.data.map((row: { id: string }) => row.id);

    expect(await listed({ externalUserId: 'a', externalAgencyId: 'b#AGENCY#c' })).toEqual([real]);
    expect(await listed({ externalUserId: 'a#AGENCY#b', externalAgencyId: 'c' })).toEqual([lookalike]);
  });

  it('pages through more than 250 calls with the largest page size', async () => {
    const listed = await pageThrough(apiKey, window, 100);
    expect(listed).toHaveLength(270);
  });

  it('answers 50 rows by default', async () => {
    const response = await api.list(apiKey, window);
    expect(response.body.data).toHaveLength(50);
    expect(response.body.nextCursor).toEqual(expect.any(String));
  });

  it('gives null nextCursor when the last page is exactly full', async () => {
    const expected = calls.filter((call) => call.externalUserId === 'rep_a').length;
    const response = await api.list(apiKey, { ...window, externalUserId: 'rep_a', limit: String(expected) });
    expect(response.body.data).toHaveLength(expected);
    expect(response.body.nextCursor).toBeNull();
  });

  it('carries the slim fields only', async () => {
    const response = await api.list(apiKey, { ...window, limit: '1' });
    const [row] = response.body.data;
    const seeded = calls.find((call) => call.id === row.id);
    expect(Object.keys(row).sort()).toEqual(
      [
        'drillKey',
        'durationSec',
        'endedAt',
        'externalAgencyId',
        'externalUserId',
        'id',
        'scoredAt',
        'source',
        'startedAt',
      ].sort(),
    );
    expect(row).toMatchObject({
      source: 'roleplay',
      drillKey: 'ma-full-sale',
      externalUserId: seeded?.externalUserId,
      externalAgencyId: seeded?.externalAgencyId,
      endedAt: seeded?.endedAt.toISOString(),
    });
  });

  it('lists only the caller tenant calls, and an agency filter never widens that', async () => {
    const listed = await pageThrough(otherApiKey, { ...window, externalAgencyId: 'agency_x' }, 100);
    expect(listed).toHaveLength(30);
    const ours = new Set(calls.map((call) => call.id));
    expect(listed.some((row) => ours.has(row.id))).toBe(false);
  });

  it('returns an empty last page for a window with no calls', async () => {
    const response = await api.list(apiKey, { from: '2030-01-01T00:00:00Z' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: [], nextCursor: null });
  });
});

describe('GET /calls refusals', () => {
  const expectInvalid = (response: ApiResponse, message?: string) => {
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('INVALID_REQUEST');
    expect(response.body.error.requestId).toBe(response.headers['x-athos-request-id']);
    if (message) expect(response.body.error.message).toBe(message);
  };

  it.each(['0', '101', '-1', '1.5', 'abc', '', '1e2', ' 5'])('refuses limit=%p', async (limit) => {
    expectInvalid(await api.list(apiKey, { ...window, limit }), 'limit must be a whole number from 1 to 100');
  });

  it('refuses a missing from', async () => {
    expectInvalid(await api.list(apiKey, {}), 'from is required');
  });

  it.each(['yesterday', '2026-13-01T00:00:00Z', '2026-06-01', '2026-02-30T00:00:00Z'])(
    'refuses from=%p',
    async (from) => {
      expectInvalid(await api.list(apiKey, { from }));
    },
  );

  it('refuses a window that ends before it starts', async () => {
    expectInvalid(
      await api.list(apiKey, { from: '2026-06-02T00:00:00Z', to: '2026-06-01T00:00:00Z' }),
      'to must not be before from',
    );
  });

  it('refuses an unknown source', async () => {
    expectInvalid(await api.list(apiKey, { ...window, source: 'ingestion' }));
  });

  it.each(['externalUserId', 'externalAgencyId'])('refuses a %s filter holding a control character', async (name) => {
    expectInvalid(
      await api.list(apiKey, { ...window, [name]: 'rep\u0000a' }),
      `${name} must not contain control characters`,
    );
  });

  it('refuses a repeated parameter', async () => {
    const response = await api.call('GET', '/calls?from=2026-01-01T00:00:00Z&limit=5&limit=6', {
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    expectInvalid(response, 'limit must be given once');
  });

  describe('cursors', () => {
    let cursor: string;
    beforeAll(async () => {
      cursor = (await api.list(apiKey, { ...window, limit: '5' })).body.nextCursor;
    });

    it.each([
      ['altered', (c: string) => `${c.slice(0, -3)}${c.endsWith('AAA') ? 'BBB' : 'AAA'}`],
      ['truncated', (c: string) => c.slice(0, 30)],
      ['garbage', () => 'not-a-cursor'],
      ['with an unknown key id', (c: string) => `other${c}`],
    ])('refuses an %s cursor', async (_case, spoil) => {
      expectInvalid(
        await api.list(apiKey, { ...window, limit: '5', cursor: spoil(cursor) }),
        'cursor is not valid for this query',
      );
    });

    it('refuses a cursor used with other filters', async () => {
      expectInvalid(await api.list(apiKey, { ...window, externalUserId: 'rep_a', cursor }));
      expectInvalid(await api.list(apiKey, { from: '2026-01-02T00:00:00Z', cursor }));
    });

    it('refuses another tenant cursor', async () => {
      expectInvalid(await api.list(otherApiKey, { ...window, limit: '5', cursor }));
    });

    it('accepts its own cursor with another page size', async () => {
      const response = await api.list(apiKey, { ...window, limit: '7', cursor });
      const expected = calls
        .sort(newestFirst)
        .slice(5, 12)
        .map((call) => call.id);
      expect(response.body.data.map((row: { id: string }) => row.id)).toEqual(expected);
    });
  });
});
