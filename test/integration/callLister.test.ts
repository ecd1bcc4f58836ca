import { sampleScoredCalls } from '../../lambdas/backoffice/sampleCalls.js';
import type { CallSource } from '../../lambdas/domain/callSources.js';
import { newTenantId } from '../../lambdas/domain/ids.js';
import type { ScoredCallsQuery } from '../../lambdas/domain/ports.js';
import type { CallRecord } from '../../lambdas/domain/records.js';
import { importScoredCalls } from '../../lambdas/store/calls/importer.js';
import { createCallLister } from '../../lambdas/store/calls/lister.js';
import { testTable } from '../support/fixtures.js';

/**
 * The list store with two sources, as it will run when `ingestion` lands: every source's partition
 * is read once and the rows merged, and a partition DynamoDB stops early (its 1 MB cap) makes a
 * short page with a cursor instead of a second read.
 */
const table = testTable();
const sources = ['roleplay', 'ingestion'] as unknown as CallSource[];
const lister = createCallLister(table, sources);
const now = new Date('2026-09-01T00:00:00Z');

type Call = CallRecord & { endedAt: string };
const sortKey = (call: { endedAt?: string | undefined; callId: string }) => `${call.endedAt}#${call.callId}`;
const newestFirst = (a: Call, b: Call) => (sortKey(a) < sortKey(b) ? 1 : -1);

const dayMs = 86_400_000;

/**
 * `count` calls of one source, reps, agencies and end times by position, optionally with huge list
 * rows. The end times are spread over 90 days so every rep/agency pair has calls on both sides of
 * any window (37 is prime to 90: no two calls of a source end on one day), which keeps every
 * filter combination below matching at least six calls whatever the run.
 */
const callsOf = (tenantId: string, source: string, count: number, padding = 0): Call[] =>
  sampleScoredCalls({ tenantId, count, now }).map((call, i) => ({
    ...call,
    endedAt: new Date(
      now.getTime() - ((i * 37) % 90) * dayMs - (source === 'roleplay' ? 0.25 : 0.75) * dayMs,
    ).toISOString(),
    source: source as CallSource,
    externalUserId: `rep_${i % 2}`,
    externalAgencyId: i % 3 === 0 ? null : `agency_${i % 3}`,
    // drillKey is projected into the list indexes: padding it makes each list row large.
    drillKey: padding > 0 ? 'd'.repeat(padding) : call.drillKey,
  }));

const pageAll = async (query: Omit<ScoredCallsQuery, 'limit' | 'after'>, limit: number) => {
  const ids: string[] = [];
  const sizes: { rows: number; more: boolean }[] = [];
  let after: string | undefined;
  do {
    const page = await lister.listScoredCalls({ ...query, limit, ...(after === undefined ? {} : { after }) });
    expect(page.calls.length).toBeLessThanOrEqual(limit);
    ids.push(...page.calls.map((call) => call.callId));
    sizes.push({ rows: page.calls.length, more: page.next !== undefined });
    after = page.next;
  } while (after !== undefined && sizes.length < 500);
  return { ids, sizes };
};

describe('listing across sources', () => {
  const tenantId = newTenantId();
  let calls: Call[] = [];
  beforeAll(async () => {
    calls = [...callsOf(tenantId, 'roleplay', 70), ...callsOf(tenantId, 'ingestion', 50)];
    await importScoredCalls(table, calls);
  }, 60_000);

  const to = new Date(now.getTime() - 30 * dayMs).toISOString();
  const cases: [string, Partial<ScoredCallsQuery>][] = [];
  for (const source of [undefined, 'roleplay', 'ingestion'] as const)
    for (const externalUserId of [undefined, 'rep_1'])
      for (const externalAgencyId of [undefined, 'agency_2'])
        for (const window of [undefined, to]) {
          const filters = {
            ...(source === undefined ? {} : { source: source as CallSource }),
            ...(externalUserId === undefined ? {} : { externalUserId }),
            ...(externalAgencyId === undefined ? {} : { externalAgencyId }),
            ...(window === undefined ? {} : { to: window }),
          };
          cases.push([Object.keys(filters).join(', ') || 'no filter', filters]);
        }

  it.each(cases)(
    'pages with %s through every matching call of both sources, merged newest first',
    async (_name, filters) => {
      const expected = calls
        .filter(
          (call) =>
            (filters.source === undefined || call.source === filters.source) &&
            (filters.externalUserId === undefined || call.externalUserId === filters.externalUserId) &&
            (filters.externalAgencyId === undefined || call.externalAgencyId === filters.externalAgencyId) &&
            (filters.to === undefined || call.endedAt <= filters.to),
        )
        .sort(newestFirst)
        .map((call) => call.callId);
      expect(expected.length).toBeGreaterThan(3);

      const { ids, sizes } = await pageAll({ tenantId, from: '2020-01-01T00:00:00.000Z', ...filters }, 8);

      expect(ids).toEqual(expected);
      // Keys answer every filter: every page but the last is full.
      expect(sizes.slice(0, -1).every((size) => size.rows === 8 && size.more)).toBe(true);
    },
  );
});

describe('a partition DynamoDB stops early', () => {
  const tenantId = newTenantId();
  let expected: string[] = [];
  beforeAll(async () => {
    // List rows of ~150 KB: DynamoDB's 1 MB cap stops an ingestion read after a handful of rows.
    const calls = [...callsOf(tenantId, 'roleplay', 40), ...callsOf(tenantId, 'ingestion', 24, 150_000)];
    await importScoredCalls(table, calls, { concurrency: 2 });
    expected = calls.sort(newestFirst).map((call) => call.callId);
  }, 120_000);

  it('gives short pages with a cursor, and paging on still yields every call once, in order', async () => {
    const { ids, sizes } = await pageAll({ tenantId, from: '2020-01-01T00:00:00.000Z' }, 30);

    expect(ids).toEqual(expected);
    expect(sizes.some((size) => size.rows < 30 && size.more)).toBe(true);
    expect(sizes.at(-1)?.more).toBe(false);
  });
});
