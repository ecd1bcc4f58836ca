import { systemClock } from '../../lambdas/domain/ports.js';
import { createTenant, issueApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { importScoredCalls } from '../../lambdas/store/calls/importer.js';
import type { Table } from '../../lambdas/store/table.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { sampleScoredCalls } from '../../lambdas/backoffice/sampleCalls.js';

export interface BenchTenant {
  readonly tenantId: string;
  readonly apiKey: string;
  /** The key's id, which session tokens it mints carry (redeem checks the key still stands). */
  readonly keyId: string;
  readonly callIds: string[];
}

/** A tenant and an API key, as `athos-admin tenants create` and `keys create` make them. */
export const createBenchTenant = async (table: Table, name: string): Promise<BenchTenant> => {
  const ports = { tenants: createTenantStore(table), clock: systemClock, actor: 'npm run bench' };
  const tenant = await createTenant(ports, { name });
  const { apiKey, record } = await issueApiKey(ports, { tenantId: tenant.tenantId, label: 'bench' });
  return { tenantId: tenant.tenantId, apiKey, keyId: record.keyId, callIds: [] };
};

/**
 * Adds `count` scored calls of one rep in one agency over the past 90 days: the layout of the
 * reported defect (rep `big`, all in `agency_a`), where a filter left to DynamoDB walks the rep's
 * whole partition. Every call lasts ten minutes, so list rows have equal sizes and a page costs the
 * same capacity whichever rows it holds.
 */
export const addCalls = async (
  table: Table,
  tenant: BenchTenant,
  count: number,
  options: { transcriptBytes?: number; onProgress?: (written: number) => void } = {},
): Promise<void> => {
  const calls = sampleScoredCalls({
    tenantId: tenant.tenantId,
    count,
    now: new Date(),
    externalUserId: 'big',
    externalAgencyId: 'agency_a',
    ...(options.transcriptBytes === undefined ? {} : { transcriptBytes: options.transcriptBytes }),
  }).map((call) => ({
    ...call,
    durationSec: 600,
    startedAt: new Date(Date.parse(call.endedAt) - 600_000).toISOString(),
  }));
  await importScoredCalls(table, calls, options.onProgress ? { onProgress: options.onProgress } : {});
  tenant.callIds.push(...calls.map((call) => call.callId));
};
