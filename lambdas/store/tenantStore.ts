import type { TenantStore } from '../domain/ports.js';
import { createApiKeyRepository } from './apiKeys.js';
import { createAuditTrail } from './audit.js';
import { createQuotaUsage } from './quota.js';
import type { Table } from './table.js';
import { createTenantRepository } from './tenants.js';

/**
 * What the back office works on (the admin CLI, the local seed, the benchmark), over the same
 * repositories the API reads: tenants, their keys, audit trail and usage.
 */
export const createTenantStore = (table: Table): TenantStore => ({
  ...createTenantRepository(table),
  ...createApiKeyRepository(table),
  ...createAuditTrail(table),
  ...createQuotaUsage(table),
});
