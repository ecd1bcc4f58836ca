import type { TenantRecord } from './records.js';

/**
 * Test mode. A tenant's `ath_test_` keys act as its test twin: a tenant whose id is the live id
 * with `_test` appended. Every call, list partition, quota counter and cursor is keyed by the
 * acting tenant's id, so the rules that keep tenants apart keep test and live data apart too, in
 * both directions, with no check of their own. The twin is not stored: its status and IP
 * allowlist are the live tenant's (one record to change), its quota is its own.
 */
export const apiModes = ['live', 'test'] as const;
export type ApiMode = (typeof apiModes)[number];

const twinSuffix = '_test';

/** Sessions a tenant's test keys may mint per month unless an operator sets another number. */
export const defaultTestMonthlySessionQuota = 1_000;

/** A live tenant id, or its twin's: what session tokens may name. */
export const actingTenantIdPattern = /^tnt_[0-9A-Za-z]{16}(?:_test)?$/;

export const testTwinOf = (liveTenantId: string): string => `${liveTenantId}${twinSuffix}`;

export const isTestTwin = (tenantId: string): boolean => tenantId.endsWith(twinSuffix);

/** The live tenant a tenant id stands for: itself, or the tenant whose twin it is. */
export const liveTenantOf = (tenantId: string): string =>
  isTestTwin(tenantId) ? tenantId.slice(0, -twinSuffix.length) : tenantId;

/** The tenant a key of this mode acts as: the tenant itself, or its test twin with the test quota. */
export const actingTenant = (tenant: TenantRecord, mode: ApiMode): TenantRecord =>
  mode === 'live'
    ? tenant
    : {
        ...tenant,
        tenantId: testTwinOf(tenant.tenantId),
        monthlySessionQuota: tenant.testMonthlySessionQuota ?? defaultTestMonthlySessionQuota,
      };
