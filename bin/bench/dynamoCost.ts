import type { APIGatewayProxyResult } from 'aws-lambda';
import { systemClock } from '../../lambdas/domain/ports.js';
import { createTenant, issueApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { importScoredCalls } from '../../lambdas/store/calls/importer.js';
import type { Table } from '../../lambdas/store/table.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import type { InProcessRequest } from '../../local/invokeInProcess.js';
import { sampleScoredCalls } from '../../lambdas/backoffice/sampleCalls.js';
import type { Cost, recordDynamoCommands } from './dynamoAccounting.js';
import { requestsFor } from '../../local/apiRequests.js';

type Invoke = (request: InProcessRequest) => Promise<{ result: APIGatewayProxyResult }>;
type Meter = ReturnType<typeof recordDynamoCommands>;

export interface Seeded {
  readonly apiKey: string;
  readonly callIds: string[];
}

/** A tenant with a key and `count` scored calls, written the way `calls seed` writes them. */
export const seedTenant = async (
  table: Table,
  count: number,
  options: { transcriptBytes?: number; onProgress?: (written: number) => void } = {},
): Promise<Seeded> => {
  const ports = { tenants: createTenantStore(table), clock: systemClock, actor: 'npm run bench' };
  const tenant = await createTenant(ports, { name: `Bench ${count}` });
  const { apiKey } = await issueApiKey(ports, { tenantId: tenant.tenantId, label: 'bench' });
  const calls = sampleScoredCalls({
    tenantId: tenant.tenantId,
    count,
    now: new Date(),
    ...(options.transcriptBytes ? { transcriptBytes: options.transcriptBytes } : {}),
  });
  await importScoredCalls(table, calls, { ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  return { apiKey, callIds: calls.map((call) => call.callId) };
};

const ok = async (invoke: Invoke, request: InProcessRequest) => {
  const { result } = await invoke(request);
  if (result.statusCode !== 200)
    throw new Error(`${request.method} ${request.path} answered ${result.statusCode}: ${result.body}`);
  return JSON.parse(result.body) as Record<string, unknown>;
};

export interface OperationCosts {
  readonly costs: Record<'mint' | 'mintFirstUseOfKey' | 'redeem' | 'list' | 'get', Cost>;
  /** DynamoDB's answers per operation, for replaying without I/O. */
  readonly answers: Record<'mint' | 'redeem' | 'list' | 'get', Map<string, Record<string, unknown>>>;
  readonly seeded: Seeded;
}

/** Round trips and capacity of each operation on a warm function, and of a key's first mint. */
export const measureOperations = async (table: Table, invoke: Invoke, meter: Meter): Promise<OperationCosts> => {
  const seeded = await seedTenant(table, 120);
  const request = requestsFor(seeded.apiKey);
  const first = await meter.measure(() => ok(invoke, request.mint()));
  const mint = await meter.measure(() => ok(invoke, request.mint()));
  const token = String((await ok(invoke, request.mint())).token);
  const redeem = await meter.measure(() => ok(invoke, request.redeem(token)));
  const list = await meter.measure(() => ok(invoke, request.list()));
  const get = await meter.measure(() => ok(invoke, request.get(seeded.callIds[0] ?? '')));
  return {
    costs: { mint: mint.cost, mintFirstUseOfKey: first.cost, redeem: redeem.cost, list: list.cost, get: get.cost },
    answers: { mint: mint.answers, redeem: redeem.answers, list: list.answers, get: get.answers },
    seeded,
  };
};

export interface ListCostCase {
  readonly label: string;
  readonly calls: number;
  readonly transcriptBytes: number;
}

export const listCostCases: ListCostCase[] = [
  { label: '1,000 calls, 1 KB transcripts', calls: 1_000, transcriptBytes: 1_024 },
  { label: '100,000 calls, 1 KB transcripts', calls: 100_000, transcriptBytes: 1_024 },
  { label: '1,000 calls, 200 KB transcripts', calls: 1_000, transcriptBytes: 200 * 1_024 },
];

/** The cost of one page of 100 from tenants of different sizes and transcript sizes. */
export const measureListCost = async (
  table: Table,
  invoke: Invoke,
  meter: Meter,
  onSeeding: (label: string, total: number) => (written: number) => void,
) => {
  const results: { label: string; cost: Cost }[] = [];
  for (const testCase of listCostCases) {
    const seeded = await seedTenant(table, testCase.calls, {
      transcriptBytes: testCase.transcriptBytes,
      onProgress: onSeeding(testCase.label, testCase.calls),
    });
    const { cost } = await meter.measure(async () => {
      const page = await ok(invoke, requestsFor(seeded.apiKey).list(100));
      if ((page.data as unknown[]).length !== 100)
        throw new Error(`a page of ${(page.data as unknown[]).length}, not 100`);
    });
    results.push({ label: testCase.label, cost });
  }
  return results;
};
