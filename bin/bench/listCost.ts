import type { APIGatewayProxyResult } from 'aws-lambda';
import type { InProcessRequest } from '../../local/invokeInProcess.js';
import type { Cost, watchDynamoCommands } from './meter.js';
import type { Table } from '../../lambdas/store/table.js';
import { shuffled, spreadOf, type Spread } from './stats.js';

type Invoke = (request: InProcessRequest) => Promise<{ result: APIGatewayProxyResult }>;
type Watcher = ReturnType<typeof watchDynamoCommands>;

export interface ListCase {
  readonly label: string;
  readonly query: Record<string, string>;
  /** Whether a full page matches (else the answer is an empty page). */
  readonly matches: boolean;
  /** Drawn on the chart. */
  readonly charted: boolean;
}

const pageSize = 100;
const dayMs = 86_400_000;

/**
 * Every combination of filters the contract allows (`from` always; `to`, `source`, a rep, an agency,
 * together or apart), on a tenant whose calls are all rep `big` in `agency_a`, and the filters that
 * match nothing, which a FilterExpression would answer by walking the rep's whole partition.
 */
export const listCases = (now: Date): ListCase[] => {
  const from = new Date(now.getTime() - 91 * dayMs).toISOString();
  const parts = {
    to: { to: new Date(now.getTime() - 30 * dayMs).toISOString() },
    source: { source: 'roleplay' },
    rep: { externalUserId: 'big' },
    agency: { externalAgencyId: 'agency_a' },
  };
  const names = Object.keys(parts) as (keyof typeof parts)[];
  const combinations = names.reduce<(keyof typeof parts)[][]>(
    (sets, name) => [...sets, ...sets.map((set) => [...set, name])],
    [[]],
  );
  const charted = new Set([
    'from',
    'from+to',
    'from+source',
    'from+rep',
    'from+agency',
    'from+rep+agency',
    'from+to+source+rep+agency',
  ]);
  return [
    ...combinations.map((set) => {
      const label = ['from', ...set].join('+');
      return {
        label,
        query: Object.assign({ from }, ...set.map((name) => parts[name])) as Record<string, string>,
        matches: true,
        charted: charted.has(label),
      };
    }),
    {
      label: 'no match: rep big+agency_b',
      query: { from, externalUserId: 'big', externalAgencyId: 'agency_b' },
      matches: false,
      charted: true,
    },
    { label: 'no match: agency_b', query: { from, externalAgencyId: 'agency_b' }, matches: false, charted: true },
    { label: 'no match: rep nobody', query: { from, externalUserId: 'nobody' }, matches: false, charted: false },
    {
      label: 'no match: rep nobody+agency_a+source',
      query: { from, externalUserId: 'nobody', externalAgencyId: 'agency_a', source: 'roleplay' },
      matches: false,
      charted: false,
    },
    {
      label: 'no match: window without calls',
      query: {
        from: new Date(now.getTime() - 400 * dayMs).toISOString(),
        to: new Date(now.getTime() - 300 * dayMs).toISOString(),
      },
      matches: false,
      charted: false,
    },
  ];
};

export const listRequest = (apiKey: string, query: Record<string, string>): InProcessRequest => ({
  method: 'GET',
  path: `/calls?${new URLSearchParams({ ...query, limit: String(pageSize) }).toString()}`,
  headers: [['Authorization', `Bearer ${apiKey}`]],
});

const ok = async (invoke: Invoke, request: InProcessRequest) => {
  const { result } = await invoke(request);
  if (result.statusCode !== 200) throw new Error(`${request.path} answered ${result.statusCode}: ${result.body}`);
  return JSON.parse(result.body) as { data: unknown[]; nextCursor: string | null };
};

export interface ListMeasurement {
  readonly label: string;
  readonly cost: Cost;
  readonly latencyMs: Spread;
}

/**
 * Each case's cost (one request, watched) and latency (`samples` requests, the cases shuffled each
 * round), on one tenant as it is now. A matching case must answer a full page, a no-match case an
 * empty one with no cursor.
 */
export const measureListCases = async (
  table: Table,
  invoke: Invoke,
  watcher: Watcher,
  apiKey: string,
  cases: readonly ListCase[],
  samples: number,
): Promise<ListMeasurement[]> => {
  const costs = new Map<string, Cost>();
  for (const listCase of cases) {
    const request = listRequest(apiKey, listCase.query);
    let page: { data: unknown[]; nextCursor: string | null } | undefined;
    costs.set(
      listCase.label,
      await watcher.measure(table.db, async () => {
        page = await ok(invoke, request);
      }),
    );
    const expected = listCase.matches ? pageSize : 0;
    if (page?.data.length !== expected || (page.nextCursor === null) === listCase.matches)
      throw new Error(`${listCase.label}: ${page?.data.length} rows, cursor ${page?.nextCursor}; expected ${expected}`);
  }
  const latencies = new Map(cases.map((listCase) => [listCase.label, [] as number[]]));
  for (let round = 0; round < samples; round++) {
    for (const listCase of shuffled(cases)) {
      const started = performance.now();
      await ok(invoke, listRequest(apiKey, listCase.query));
      latencies.get(listCase.label)?.push(performance.now() - started);
    }
  }
  return cases.map((listCase) => ({
    label: listCase.label,
    cost: costs.get(listCase.label) as Cost,
    latencyMs: spreadOf(latencies.get(listCase.label) ?? []),
  }));
};
