import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createScoredCall, type ScoredCallSpec } from '../../local/seed.js';
import { generateApiKey, parseApiKey } from '../../lambdas/domain/apiKeys.js';
import { newApiKeyId, newCallId, newSessionId, newTenantId } from '../../lambdas/domain/ids.js';
import { systemClock } from '../../lambdas/domain/ports.js';
import type { TenantRecord } from '../../lambdas/domain/records.js';
import { isTestTwin, liveTenantOf } from '../../lambdas/domain/testMode.js';
import { issueApiKey } from '../../lambdas/backoffice/tenantAdministration.js';
import { createCallStore } from '../../lambdas/store/callStore.js';
import { createDocumentClient } from '../../lambdas/store/client.js';
import type { Table } from '../../lambdas/store/table.js';
import { createTenantStore } from '../../lambdas/store/tenantStore.js';
import { dynamoEndpoint, testTableName } from './testSettings.js';

/** Direct access to the test table: to arrange tenants and calls, and to check what was written. */
export const testTable = (): Table => ({
  db: createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint() }),
  name: testTableName,
});

export interface TestTenantOptions {
  readonly status?: TenantRecord['status'];
  readonly monthlySessionQuota?: number | null;
  readonly allowedCidrs?: readonly string[];
  readonly keyStatus?: 'active' | 'revoked';
  readonly keyExpiresAt?: string | null;
}

/** A tenant and one API key for it, written as onboarding writes them. */
export const createTestTenant = async (table: Table, options: TestTenantOptions = {}) => {
  const tenants = createTenantStore(table);
  const now = new Date().toISOString();
  const tenant: TenantRecord = {
    tenantId: newTenantId(),
    name: 'Test Reseller',
    status: options.status ?? 'active',
    allowedCidrs: options.allowedCidrs ?? [],
    monthlySessionQuota: options.monthlySessionQuota ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await tenants.createTenant(tenant);
  const apiKey = generateApiKey(tenant.tenantId);
  const parsed = parseApiKey(apiKey);
  if (!parsed) throw new Error('generated key does not parse');
  const keyId = newApiKeyId(tenant.tenantId);
  await tenants.createApiKey({
    keyId,
    tenantId: tenant.tenantId,
    keyHash: parsed.hash,
    displayPrefix: parsed.displayPrefix,
    label: 'test',
    status: options.keyStatus ?? 'active',
    createdAt: now,
    expiresAt: options.keyExpiresAt ?? null,
  });
  return { tenant, apiKey, keyId };
};

/**
 * The id of a key of the tenant, as the key that minted a session a call was redeemed with; a
 * tenant made without a key (as `tenant create` makes one) is given its first.
 */
const someKeyOf = async (table: Table, actingTenantId: string): Promise<string> => {
  const tenants = createTenantStore(table);
  // A test twin's keys are its live tenant's.
  const tenantId = liveTenantOf(actingTenantId);
  const [key] = await tenants.listApiKeys(tenantId);
  if (key) return key.keyId;
  const { record } = await issueApiKey({ tenants, clock: systemClock, actor: 'test fixture' }, { tenantId });
  return record.keyId;
};

/** A scored call to seed: redeemed with a key of its tenant that the seeding finds. */
export type SeedCallSpec = Omit<ScoredCallSpec, 'keyId'>;

/** Scored calls as the pipeline would leave them, written a few at a time. @returns their ids */
export const seedScoredCalls = async (table: Table, specs: readonly SeedCallSpec[]): Promise<string[]> => {
  const ports = { calls: createCallStore(table), clock: systemClock };
  const keyIds = new Map<string, string>();
  for (const tenantId of new Set(specs.map((spec) => spec.tenantId))) {
    keyIds.set(tenantId, await someKeyOf(table, tenantId));
  }
  const ids: string[] = [];
  for (let i = 0; i < specs.length; i += 25) {
    ids.push(
      ...(await Promise.all(
        specs
          .slice(i, i + 25)
          .map((spec) => createScoredCall(ports, { ...spec, keyId: keyIds.get(spec.tenantId) ?? '' })),
      )),
    );
  }
  return ids;
};

/** Every item of the table that mentions the tenant: what a test compares before and after. */
export const itemsOfTenant = async (table: Table, tenantId: string): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(new ScanCommand({ TableName: table.name, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      if (JSON.stringify(item).includes(tenantId)) items.push(item);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => `${String(a.pk)}${String(a.sk)}`.localeCompare(`${String(b.pk)}${String(b.sk)}`));
};

/** A tenant with a live key and a test-mode key, as `athos-admin key create --mode test` issues it. */
export const createTenantWithTestKey = async (table: Table) => {
  const { tenant, apiKey } = await createTestTenant(table);
  const { apiKey: testKey } = await issueApiKey(
    { tenants: createTenantStore(table), clock: systemClock, actor: 'test fixture' },
    { tenantId: tenant.tenantId, mode: 'test' },
  );
  return { tenant, liveKey: apiKey, testKey };
};

/** A call a rep redeemed (in test mode for a test twin) that the pipeline has not scored yet. @returns its id */
export const createRedeemedCall = async (
  table: Table,
  tenantId: string,
  externalUserId = 'rep_a',
  callId = newCallId(),
  externalAgencyId: string | null = null,
): Promise<string> => {
  const now = new Date().toISOString();
  await createCallStore(table).createRedeemedCall(
    {
      callId,
      tenantId,
      ...(isTestTwin(tenantId) ? { mode: 'test' as const } : {}),
      sessionId: newSessionId(),
      source: 'roleplay',
      externalUserId,
      externalAgencyId,
      drillKey: 'ma-full-sale',
      difficulty: 'Advanced',
      personaName: 'Margaret Chen',
      status: 'redeemed',
      createdAt: now,
      updatedAt: now,
    },
    {
      jti: randomBytes(18).toString('base64url'),
      expiresAt: new Date(Date.now() + 300_000),
      mintedBy: { tenantId: liveTenantOf(tenantId), keyId: await someKeyOf(table, tenantId) },
    },
  );
  return callId;
};
