import { generateApiKey, parseApiKey } from '../domain/apiKeys.js';
import { AthosError } from '../domain/errors.js';
import { newApiKeyId, newTenantId } from '../domain/ids.js';
import { parseCidr } from '../domain/ipAllowlist.js';
import type { Clock } from '../domain/ports.js';
import type { ApiKeyRecord, TenantRecord } from '../domain/records.js';
import type { TenantStore } from '../store/tenantStore.js';

export interface OnboardingPorts {
  readonly tenants: TenantStore;
  readonly clock: Clock;
}

/** A new, active tenant. @throws AthosError INVALID_REQUEST for a bad quota or CIDR */
export const createTenant = async (
  { tenants, clock }: OnboardingPorts,
  input: { name: string; monthlySessionQuota?: number | null; allowedCidrs?: readonly string[] },
): Promise<TenantRecord> => {
  const quota = input.monthlySessionQuota ?? null;
  if (quota !== null && !(Number.isInteger(quota) && quota > 0)) {
    throw new AthosError('INVALID_REQUEST', 'quota must be a whole number above 0');
  }
  const allowedCidrs = (input.allowedCidrs ?? []).map((cidr) => {
    const parsed = parseCidr(cidr);
    if (!parsed) throw new AthosError('INVALID_REQUEST', `not an IPv4 or IPv6 CIDR: ${cidr}`);
    return `${parsed.address}/${parsed.prefix}`;
  });
  const now = clock.now().toISOString();
  const tenant: TenantRecord = {
    tenantId: newTenantId(),
    name: input.name,
    status: 'active',
    allowedCidrs,
    monthlySessionQuota: quota,
    createdAt: now,
    updatedAt: now,
  };
  await tenants.createTenant(tenant);
  return tenant;
};

/**
 * A new API key for the tenant. The key is in the result this once; only its hash is stored.
 * @throws AthosError INVALID_REQUEST when the tenant does not exist
 */
export const issueApiKey = async (
  { tenants, clock }: OnboardingPorts,
  input: { tenantId: string; label?: string | null },
): Promise<{ apiKey: string; record: ApiKeyRecord }> => {
  if (!(await tenants.findTenant(input.tenantId))) {
    throw new AthosError('INVALID_REQUEST', `no tenant has the id ${input.tenantId}`);
  }
  const apiKey = generateApiKey(input.tenantId);
  const parsed = parseApiKey(apiKey);
  if (!parsed) throw new Error('generated API key does not parse');
  const record: ApiKeyRecord = {
    keyId: newApiKeyId(input.tenantId),
    tenantId: input.tenantId,
    keyHash: parsed.hash,
    displayPrefix: parsed.displayPrefix,
    label: input.label ?? null,
    status: 'active',
    createdAt: clock.now().toISOString(),
    expiresAt: null,
  };
  await tenants.createApiKey(record);
  return { apiKey, record };
};
