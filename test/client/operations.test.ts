import type { ScoredCallSpec } from '../../bin/local/seed.js';
import { Athos, CallPage, type SlimCall } from '../../clients/node/src/index.js';
import { version } from '../../clients/node/src/version.js';
import { createTestTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { startTestApi, type TestApi } from '../support/testApi.js';
import { startFaultProxy, type FaultProxy } from './support/faultProxy.js';

const table = testTable();
let api: TestApi;
let athos: Athos;
let apiKey: string;

interface Seeded extends ScoredCallSpec {
  readonly id: string;
}
let calls: Seeded[] = [];
const base = Date.parse('2026-03-01T00:00:00.000Z');

beforeAll(async () => {
  api = await startTestApi();
  const tenant = await createTestTenant(table);
  apiKey = tenant.apiKey;
  athos = new Athos({ apiKey, baseUrl: api.baseUrl });
  // 280 calls an hour apart: 260 of rep_a (agency_x, then agency_y), 20 of rep_b.
  const specs: ScoredCallSpec[] = Array.from({ length: 280 }, (_, i) => ({
    tenantId: tenant.tenant.tenantId,
    externalUserId: i % 14 === 13 ? 'rep_b' : 'rep_a',
    externalAgencyId: i % 3 === 0 ? 'agency_y' : 'agency_x',
    endedAt: new Date(base + i * 3_600_000),
  }));
  const ids = await seedScoredCalls(table, specs);
  calls = specs.map((spec, i) => ({ ...spec, id: ids[i] as string }));
}, 180_000);
afterAll(() => api.close());

const idsNewestFirst = (keep: (call: Seeded) => boolean) =>
  calls
    .filter(keep)
    .sort((a, b) => b.endedAt.getTime() - a.endedAt.getTime())
    .map((call) => call.id);

const collect = async (iterable: AsyncIterable<SlimCall>) => {
  const seen: SlimCall[] = [];
  for await (const call of iterable) seen.push(call);
  return seen;
};

describe('sessions.create', () => {
  it('mints a token the browser SDK can redeem', async () => {
    const session = await athos.sessions.create({ externalUserId: 'rep_a', externalAgencyId: 'agency_x' });

    expect(session.token).toEqual(expect.any(String));
    expect(Date.parse(session.expiresAt)).toBeGreaterThan(Date.now());
    const redeemed = await api.redeem(session.token, { drillKey: 'ma-full-sale' });
    expect(redeemed.status).toBe(200);
  });
});

describe('calls.list', () => {
  const from = '2026-01-01T00:00:00Z';

  it('answers one page when awaited', async () => {
    const page = await athos.calls.list({ from, limit: 10 });

    expect(page).toBeInstanceOf(CallPage);
    expect(page.data.map((call) => call.id)).toEqual(idsNewestFirst(() => true).slice(0, 10));
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('reads the next page from a page, and null after the last', async () => {
    const first = await athos.calls.list({ from, externalUserId: 'rep_b', limit: 15 });
    const second = await first.getNextPage();

    expect([...first.data, ...(second?.data ?? [])].map((call) => call.id)).toEqual(
      idsNewestFirst((call) => call.externalUserId === 'rep_b'),
    );
    expect(second?.nextCursor).toBeNull();
    expect(await second?.getNextPage()).toBeNull();
  });

  it.each<[string, Parameters<Athos['calls']['list']>[0], (call: Seeded) => boolean]>([
    ['no filter', { from }, () => true],
    ['a rep with more than 250 calls', { from, externalUserId: 'rep_a' }, (call) => call.externalUserId === 'rep_a'],
    [
      'a rep and an agency',
      { from, externalUserId: 'rep_a', externalAgencyId: 'agency_x' },
      (call) => call.externalUserId === 'rep_a' && call.externalAgencyId === 'agency_x',
    ],
    ['an agency', { from, externalAgencyId: 'agency_y' }, (call) => call.externalAgencyId === 'agency_y'],
    ['the source', { from, source: 'roleplay' }, () => true],
    [
      'a window given as Dates',
      { from: new Date(base + 20 * 3_600_000), to: new Date(base + 275 * 3_600_000) },
      (call) => call.endedAt.getTime() >= base + 20 * 3_600_000 && call.endedAt.getTime() <= base + 275 * 3_600_000,
    ],
  ])('walks every call of every page with %s, newest first', async (_case, params, keep) => {
    const expected = idsNewestFirst(keep);

    const listed = await collect(athos.calls.list({ ...params, limit: 23 }));

    expect(listed.map((call) => call.id)).toEqual(expected);
  });

  it('walks more than 250 calls at the default page size', async () => {
    const listed = await collect(athos.calls.list({ from }));

    expect(listed).toHaveLength(280);
    expect(new Set(listed.map((call) => call.id)).size).toBe(280);
  });

  it('walks on from an awaited page, and from a cursor', async () => {
    const page = await athos.calls.list({ from, externalUserId: 'rep_b', limit: 5 });
    const fromPage = await collect(page);
    const fromCursor = await collect(
      athos.calls.list({ from, externalUserId: 'rep_b', limit: 5, cursor: page.nextCursor as string }),
    );

    const expected = idsNewestFirst((call) => call.externalUserId === 'rep_b');
    expect(fromPage.map((call) => call.id)).toEqual(expected);
    expect(fromCursor.map((call) => call.id)).toEqual(expected.slice(5));
  });

  describe('behind a proxy that shortens pages', () => {
    let proxy: FaultProxy;
    const emptied = new Set<string>();
    beforeAll(async () => {
      // Every request with a cursor first gets an empty page that points back at the same cursor;
      // every other one is passed on asking for 7 rows, whatever the client asked for.
      proxy = await startFaultProxy(api.baseUrl, (request) => {
        const url = new URL(request.path, 'http://proxy');
        const cursor = url.searchParams.get('cursor');
        if (cursor !== null && !emptied.has(cursor)) {
          emptied.add(cursor);
          return { status: 200, body: JSON.stringify({ data: [], nextCursor: cursor }) };
        }
        url.searchParams.set('limit', '7');
        return { forward: true, path: `${url.pathname}${url.search}` };
      });
    });
    afterAll(() => proxy.close());

    it('walks every call through short and empty pages that carry a cursor', async () => {
      const client = new Athos({ apiKey, baseUrl: proxy.baseUrl });

      const listed = await collect(client.calls.list({ from, externalAgencyId: 'agency_x', limit: 50 }));

      const expected = idsNewestFirst((call) => call.externalAgencyId === 'agency_x');
      expect(listed.map((call) => call.id)).toEqual(expected);
      expect(emptied.size).toBe(Math.ceil(expected.length / 7) - 1);
    });

    it('asks for nothing until the list is awaited or walked', async () => {
      const before = proxy.seen.length;
      const client = new Athos({ apiKey, baseUrl: proxy.baseUrl });

      const pending = client.calls.list({ from });
      expect(proxy.seen).toHaveLength(before);
      await pending;
      expect(proxy.seen).toHaveLength(before + 1);
    });
  });
});

describe('calls.get', () => {
  it('answers the call with its transcript and score', async () => {
    const [listed] = (await athos.calls.list({ from: '2026-01-01T00:00:00Z', limit: 1 })).data;
    if (!listed) throw new Error('the list is empty');

    const call = await athos.calls.get(listed.id);

    expect(call).toMatchObject(listed);
    expect(call.status).toBe('scored');
    expect(call.transcript.length).toBeGreaterThan(0);
    expect(call.score.overallScore).toEqual(expect.any(Number));
  });

  it('refuses an empty id without asking the API', async () => {
    await expect(athos.calls.get('')).rejects.toThrow(TypeError);
  });
});

describe('the client', () => {
  it('tells live keys from test keys by their prefix', () => {
    expect(new Athos({ apiKey }).mode).toBe('live');
    expect(new Athos({ apiKey: 'ath_test_0123456789' }).mode).toBe('test');
  });

  it('refuses a key that is not an Athos key, without echoing it', () => {
    expect(() => new Athos({ apiKey: 'sk_live_secret123' })).toThrow(
      new TypeError('apiKey must be an Athos API key (ath_live_… or ath_test_…)'),
    );
  });

  it('refuses settings that cannot work', () => {
    expect(() => new Athos({ apiKey, baseUrl: 'not a url' })).toThrow(TypeError);
    expect(() => new Athos({ apiKey, timeoutMs: 0 })).toThrow(TypeError);
    expect(() => new Athos({ apiKey, maxRetries: 1.5 })).toThrow(TypeError);
  });

  it('names itself and its version in the User-Agent of every request', async () => {
    const proxy = await startFaultProxy(api.baseUrl, () => ({ forward: true }));
    try {
      const client = new Athos({ apiKey, baseUrl: `${proxy.baseUrl}/` });
      const session = await client.sessions.create({ externalUserId: 'rep_ua' });
      const [listed] = (await client.calls.list({ from: '2026-01-01T00:00:00Z', limit: 1 })).data;
      await client.calls.get(listed?.id as string);

      expect(session.token).toEqual(expect.any(String));
      expect(proxy.seen.map((request) => `${request.method} ${request.path.split('?')[0]}`)).toEqual([
        'POST /session',
        'GET /calls',
        `GET /calls/${listed?.id}`,
      ]);
      for (const request of proxy.seen) {
        expect(request.headers['user-agent']).toBe(`athos-node/${version} node/${process.version}`);
      }
    } finally {
      await proxy.close();
    }
  });
});
