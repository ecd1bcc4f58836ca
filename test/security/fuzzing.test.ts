import fc from 'fast-check';
import { requestsFor } from '../../bin/local/apiRequests.js';
import { createTestTenant, itemsOfTenant, seedScoredCalls, testTable } from '../support/fixtures.js';
import { loadTestHandlers, type Invoke } from '../support/invoke.js';

const table = testTable();
let invoke: Invoke;
let apiKey: string;
let tenantId: string;
let token: string;
let before: Record<string, unknown>[];
const numRuns = 1_000;
// A thousand in-process requests per operation: seconds when quiet, a minute or more when busy.
const fuzzTimeoutMs = 240_000;

beforeAll(async () => {
  invoke = await loadTestHandlers();
  ({
    apiKey,
    tenant: { tenantId },
  } = await createTestTenant(table));
  await seedScoredCalls(table, [{ tenantId, externalUserId: 'rep_1', endedAt: new Date('2026-06-05T18:00:00Z') }]);
  // A token minted before the snapshot; the fuzzing must never use it up.
  const minted = await invoke(requestsFor(apiKey).mint());
  token = minted.body.token;
  before = await itemsOfTenant(table, tenantId);
}, 120_000);

/** Text a fuzzer should try: huge, empty, control characters, lone surrogates, RTL overrides, emoji. */
const oddText = fc.oneof(
  fc.string({
    unit: fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', '💩', 'é', '\n', '"', '\\', 'a', '%', '#'),
  }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    'x'.repeat(300),
    'x'.repeat(20_000),
    'null',
    'undefined',
    '__proto__',
    'constructor',
    '0',
    '-1',
    '1e309',
  ),
);
const oddJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddText,
  fc.constantFrom(null, true, 0, -1, 1.5, Number.MAX_SAFE_INTEGER, [], {}, [[]]),
);
const prototypeBodies = fc.constantFrom(
  '{"__proto__":{"externalUserId":"rep_1","drillKey":"ma-full-sale"}}',
  '{"constructor":{"prototype":{"externalUserId":"rep_1","drillKey":"ma-full-sale"}}}',
  '{"__proto__":null}',
);

/** How a client puts text on the wire: its UTF-8 bytes (a lone surrogate becomes U+FFFD), escaped. */
const percentEncoded = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
/** Bytes that need not be UTF-8 at all. */
const rawBytesEncoded = fc
  .uint8Array({ maxLength: 24 })
  .map((bytes) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''));

const expect4xx = (response: {
  status: number;
  headers: Record<string, string>;
  body: { error?: { code: string; requestId: string } };
}) => {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.body.error?.requestId).toBe(response.headers['X-Athos-Request-Id']);
  expect(response.headers['X-Athos-Request-Id']).toMatch(/^req_/);
};

const isWellFormedText = (value: unknown, max: number) =>
  typeof value === 'string' && value.length >= 1 && value.length <= max && value.isWellFormed();

/** The requests below must each be wrong somewhere; these say when a generated one is not. */
const validMintBody = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  !Array.isArray(body) &&
  isWellFormedText((body as Record<string, unknown>).externalUserId, 256) &&
  ((body as Record<string, unknown>).externalAgencyId === undefined ||
    isWellFormedText((body as Record<string, unknown>).externalAgencyId, 256));

const body = fc.oneof(
  oddJson.map((value) => ({ text: JSON.stringify(value) ?? 'undefined', value: value as unknown })),
  fc
    .record(
      {
        externalUserId: oddJson,
        externalAgencyId: fc.option(oddJson, { nil: undefined }),
        drillKey: oddJson,
        difficulty: oddJson,
        filters: oddJson,
      },
      { requiredKeys: [] },
    )
    .map((value) => ({ text: JSON.stringify(value), value: value as unknown })),
  oddText.map((text) => ({ text, value: Symbol('not JSON') as unknown })),
  prototypeBodies.map((text) => ({ text, value: JSON.parse(text) as unknown })),
);
const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '',
    'application/json-patch+json',
    'APPLICATION/JSON; charset=utf-8',
  ),
);

describe('fuzzed bad input never gets a 5xx, always a 4xx envelope, and changes nothing', () => {
  it(
    'POST /session',
    async () => {
      await fc.assert(
        fc.asyncProperty(body, contentType, async ({ text, value }, type) => {
          fc.pre(!(validMintBody(value) && /^application\/json\s*(;|$)/i.test(type)));
          expect4xx(
            await invoke({
              method: 'POST',
              path: '/session',
              headers: [
                ['Authorization', `Bearer ${apiKey}`],
                ['Content-Type', type],
              ],
              body: text,
            }),
          );
        }),
        { numRuns },
      );
    },
    fuzzTimeoutMs,
  );

  it(
    'POST /roleplay/session',
    async () => {
      const validRedeem = (value: unknown) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        const record = value as Record<string, unknown>;
        const filters = record.filters as Record<string, unknown> | undefined;
        return (
          isWellFormedText(record.drillKey, 128) &&
          (record.difficulty === undefined ||
            ['Beginner', 'Advanced', 'Elite'].includes(record.difficulty as string)) &&
          (filters === undefined ||
            (typeof filters === 'object' &&
              filters !== null &&
              !Array.isArray(filters) &&
              (filters.state === undefined || isWellFormedText(filters.state, 64)) &&
              (filters.category === undefined || isWellFormedText(filters.category, 128))))
        );
      };
      await fc.assert(
        fc.asyncProperty(body, contentType, async ({ text, value }, type) => {
          // A valid body with an unknown drill is refused too (DRILL_NOT_FOUND); only the known drill would redeem.
          fc.pre(
            !(
              validRedeem(value) &&
              (value as { drillKey: string }).drillKey === 'ma-full-sale' &&
              /^application\/json\s*(;|$)/i.test(type)
            ),
          );
          expect4xx(
            await invoke({
              method: 'POST',
              path: '/roleplay/session',
              headers: [
                ['Authorization', `Bearer ${token}`],
                ['Content-Type', type],
              ],
              body: text,
            }),
          );
        }),
        { numRuns },
      );
    },
    fuzzTimeoutMs,
  );

  it(
    'GET /calls',
    async () => {
      const names = fc.constantFrom(
        'from',
        'to',
        'limit',
        'cursor',
        'source',
        'externalUserId',
        'externalAgencyId',
        'junk',
        '__proto__',
      );
      const badFrom = fc.oneof(
        oddText,
        fc.constantFrom(
          '2026-13-01T00:00:00Z',
          '2026-02-30T00:00:00Z',
          '2026-06-01',
          '+275760-09-13T00:00:00Z',
          '9999-99-99T99:99:99Z',
        ),
      );
      const badLimit = fc.oneof(
        fc.constantFrom('0', '101', '-1', '1.5', 'abc', '', '1e2', '0x10', ' 5', '5 ', '05'),
        oddText.filter((text) => !/^(100|[1-9][0-9]?)$/.test(text)),
      );
      const flaw = fc.oneof(
        badFrom.map((from) => [['from', from]]),
        badLimit.map((limit) => [
          ['from', '2026-01-01T00:00:00Z'],
          ['limit', limit],
        ]),
        fc.constantFrom('from', 'limit', 'to').map((name) => [
          ['from', '2026-01-01T00:00:00Z'],
          [name, '2026-01-02T00:00:00Z'],
          [name, '5'],
        ]),
        oddText.map((cursor) => [
          ['from', '2026-01-01T00:00:00Z'],
          ['cursor', `${cursor}x`],
        ]),
        fc.constant([
          ['from', '2026-06-02T00:00:00Z'],
          ['to', '2026-06-01T00:00:00Z'],
        ]),
        fc.constant([['to', '2026-06-01T00:00:00Z']]),
      );
      const noise = fc.array(
        fc.tuple(
          names.filter((name) => !['from', 'to', 'limit', 'cursor'].includes(name)),
          fc.oneof(oddText.map(percentEncoded), rawBytesEncoded),
        ),
        {
          maxLength: 4,
        },
      );
      await fc.assert(
        fc.asyncProperty(flaw, noise, async (flawed, extra) => {
          const query = [
            ...flawed.map(([name, value]) => `${percentEncoded(name ?? '')}=${percentEncoded(value ?? '')}`),
            ...extra.map(([name, value]) => `${percentEncoded(name)}=${value}`),
          ].join('&');
          expect4xx(
            await invoke({ method: 'GET', path: `/calls?${query}`, headers: [['Authorization', `Bearer ${apiKey}`]] }),
          );
        }),
        { numRuns },
      );
    },
    fuzzTimeoutMs,
  );

  it(
    'GET /calls/{callId}',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          oddText.filter((text) => text.length > 0),
          async (callId) => {
            const response = await invoke({
              method: 'GET',
              path: `/calls/${percentEncoded(callId)}`,
              headers: [['Authorization', `Bearer ${apiKey}`]],
            });
            expect4xx(response);
            expect(response.body.error?.code).toBe('CALL_NOT_FOUND');
          },
        ),
        { numRuns },
      );
    },
    fuzzTimeoutMs,
  );

  // These two run last: they judge what the runs above left behind.
  it('changed nothing in the table', async () => {
    expect(await itemsOfTenant(table, tenantId)).toEqual(before);
  });

  it('left the token it never redeemed redeemable', async () => {
    const redeemed = await invoke(requestsFor(apiKey).redeem(token));
    expect(redeemed.status).toBe(200);
  });
});
