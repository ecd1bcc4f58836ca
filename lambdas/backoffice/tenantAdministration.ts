import { generateApiKey, parseApiKey } from '../domain/apiKeys.js';
import { AthosError } from '../domain/errors.js';
import { newApiKeyId, newTenantId, tenantIdOfApiKeyId } from '../domain/ids.js';
import { ipv4MappedProblem, parseCidr } from '../domain/ipAllowlist.js';
import type { Clock, TenantChanges, TenantStore } from '../domain/ports.js';
import type { ApiKeyRecord, AuditRecord, TenantRecord } from '../domain/records.js';
import type { ApiMode } from '../domain/testMode.js';

/**
 * What operators do to tenants and their keys (onboarding, revocation, rotation, quotas,
 * allowlists), on the store the API reads. Each change is audited with its actor.
 */
export interface AdministrationPorts {
  readonly tenants: TenantStore;
  readonly clock: Clock;
  /** Who is making the change, for the audit trail. */
  readonly actor: string;
}

const invalid = (message: string) => new AthosError('INVALID_REQUEST', message);

const audit = (
  { clock, actor }: AdministrationPorts,
  action: AuditRecord['action'],
  details: Record<string, unknown>,
): AuditRecord => ({
  at: clock.now().toISOString(),
  actor,
  action,
  details,
});

const checkedQuota = (quota: number | null | undefined): number | null => {
  if (quota === undefined || quota === null) return null;
  if (!Number.isInteger(quota) || quota <= 0) throw invalid('quota must be a whole number above 0');
  return quota;
};

const checkedCidrs = (cidrs: readonly string[]): string[] =>
  cidrs.map((cidr) => {
    const parsed = parseCidr(cidr);
    if (!parsed) throw invalid(`not an IPv4 or IPv6 CIDR: ${cidr}`);
    const problem = ipv4MappedProblem(cidr, parsed);
    if (problem !== undefined) throw invalid(problem);
    return `${parsed.address}/${parsed.prefix}`;
  });

/** @throws AthosError INVALID_REQUEST when no tenant has this id */
export const requireTenant = async (
  tenants: Pick<TenantStore, 'findTenant'>,
  tenantId: string,
): Promise<TenantRecord> => {
  const tenant = await tenants.findTenant(tenantId);
  if (!tenant) throw invalid(`no tenant has the id ${tenantId}`);
  return tenant;
};

const existingKey = async (tenants: TenantStore, keyId: string): Promise<ApiKeyRecord> => {
  const tenantId = tenantIdOfApiKeyId(keyId);
  const key = tenantId === undefined ? undefined : await tenants.findApiKey(tenantId, keyId);
  if (!key) throw invalid(`no API key has the id ${keyId}`);
  return key;
};

/** A key's public face: everything but its hash. */
export const describeKey = ({ keyHash: _hash, ...key }: ApiKeyRecord) => key;

/** A new, active tenant. Without a quota it has no session cap; without CIDRs any address may call. */
export const createTenant = async (
  ports: AdministrationPorts,
  input: { name: string; monthlySessionQuota?: number | null; allowedCidrs?: readonly string[] },
): Promise<TenantRecord> => {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) throw invalid('name must be 1 to 200 characters');
  const now = ports.clock.now().toISOString();
  const tenant: TenantRecord = {
    tenantId: newTenantId(),
    name,
    status: 'active',
    allowedCidrs: checkedCidrs(input.allowedCidrs ?? []),
    monthlySessionQuota: checkedQuota(input.monthlySessionQuota),
    createdAt: now,
    updatedAt: now,
  };
  await ports.tenants.createTenant(
    tenant,
    audit(ports, 'tenant.create', { name, quota: tenant.monthlySessionQuota, allowedCidrs: tenant.allowedCidrs }),
  );
  return tenant;
};

/** Changes a tenant's quota and allowlist. @throws AthosError INVALID_REQUEST for bad values or an unknown tenant */
export const updateTenant = async (
  ports: AdministrationPorts,
  input: { tenantId: string; monthlySessionQuota?: number; allowedCidrs?: readonly string[]; clearAllowlist?: boolean },
): Promise<TenantRecord> => {
  if (input.clearAllowlist && input.allowedCidrs?.length) throw invalid('give CIDRs or clear the allowlist, not both');
  const changes: TenantChanges = {
    ...(input.monthlySessionQuota === undefined
      ? {}
      : { monthlySessionQuota: checkedQuota(input.monthlySessionQuota) }),
    ...(input.allowedCidrs?.length ? { allowedCidrs: checkedCidrs(input.allowedCidrs) } : {}),
    ...(input.clearAllowlist ? { allowedCidrs: [] } : {}),
  };
  if (Object.keys(changes).length === 0) throw invalid('nothing to change: give a quota, CIDRs or clear the allowlist');
  return applyTenantChanges(ports, input.tenantId, changes, 'tenant.update');
};

export const setTenantStatus = async (
  ports: AdministrationPorts,
  input: { tenantId: string; status: TenantRecord['status'] },
): Promise<TenantRecord> => {
  return applyTenantChanges(
    ports,
    input.tenantId,
    { status: input.status },
    input.status === 'active' ? 'tenant.activate' : 'tenant.deactivate',
  );
};

/** The change and its audit record, on condition that the tenant exists; then the tenant as it now is. */
const applyTenantChanges = async (
  ports: AdministrationPorts,
  tenantId: string,
  changes: TenantChanges,
  action: AuditRecord['action'],
): Promise<TenantRecord> => {
  const record = audit(ports, action, { ...changes });
  if (!(await ports.tenants.updateTenant(tenantId, changes, record.at, record)))
    throw invalid(`no tenant has the id ${tenantId}`);
  return requireTenant(ports.tenants, tenantId);
};

/**
 * A new API key for the tenant. The key is in the result this once; only its hash is stored. A
 * test-mode key (`ath_test_`) acts as the tenant's test twin (`domain/testMode.ts`).
 * @throws AthosError INVALID_REQUEST when the tenant does not exist
 */
export const issueApiKey = async (
  ports: AdministrationPorts,
  input: { tenantId: string; label?: string | null; mode?: ApiMode },
): Promise<{ apiKey: string; record: ApiKeyRecord }> => {
  await requireTenant(ports.tenants, input.tenantId);
  const mode = input.mode ?? 'live';
  const { apiKey, record } = newKey(ports, input.tenantId, input.label ?? null, mode);
  await ports.tenants.createApiKey(
    record,
    audit(ports, 'key.create', { keyId: record.keyId, label: record.label, mode }),
  );
  return { apiKey, record };
};

const newKey = (ports: AdministrationPorts, tenantId: string, label: string | null, mode: ApiMode) => {
  if (label !== null && label.length > 100) throw invalid('label must be at most 100 characters');
  const apiKey = generateApiKey(tenantId, mode);
  const parsed = parseApiKey(apiKey);
  if (!parsed) throw new Error('generated API key does not parse');
  const record: ApiKeyRecord = {
    keyId: newApiKeyId(tenantId),
    tenantId,
    keyHash: parsed.hash,
    ...(mode === 'test' ? { mode } : {}),
    displayPrefix: parsed.displayPrefix,
    label,
    status: 'active',
    createdAt: ports.clock.now().toISOString(),
    expiresAt: null,
  };
  return { apiKey, record };
};

export const revokeApiKey = async (ports: AdministrationPorts, input: { keyId: string }): Promise<ApiKeyRecord> => {
  const key = await existingKey(ports.tenants, input.keyId);
  const record = audit(ports, 'key.revoke', { keyId: key.keyId });
  if (!(await ports.tenants.revokeApiKey(key, record.at, record)))
    throw invalid(`API key ${key.keyId} is already revoked`);
  return existingKey(ports.tenants, input.keyId);
};

/**
 * A successor for a key; the old one keeps working until the overlap ends, then answers
 * API_KEY_REVOKED, so a reseller can roll its servers over without downtime.
 */
export const rotateApiKey = async (
  ports: AdministrationPorts,
  input: { keyId: string; overlapMs: number },
): Promise<{ apiKey: string; record: ApiKeyRecord; previous: ApiKeyRecord }> => {
  if (!Number.isFinite(input.overlapMs) || input.overlapMs < 0) throw invalid('overlap must not be negative');
  const old = await existingKey(ports.tenants, input.keyId);
  if (old.status !== 'active' || old.expiresAt !== null)
    throw invalid(`API key ${old.keyId} is revoked or already rotated`);
  const { apiKey, record } = newKey(ports, old.tenantId, old.label, old.mode ?? 'live');
  const oldExpiresAt = new Date(ports.clock.now().getTime() + input.overlapMs).toISOString();
  const entry = audit(ports, 'key.rotate', {
    keyId: old.keyId,
    successor: record.keyId,
    oldKeyExpiresAt: oldExpiresAt,
  });
  if (!(await ports.tenants.rotateApiKey(old, oldExpiresAt, record, entry))) {
    throw invalid(`API key ${old.keyId} is revoked or already rotated`);
  }
  return { apiKey, record, previous: { ...old, expiresAt: oldExpiresAt } };
};

export const showTenant = async ({ tenants }: AdministrationPorts, input: { tenantId: string; month: string }) => {
  const tenant = await requireTenant(tenants, input.tenantId);
  const [keys, auditTrail, sessionsMinted] = await Promise.all([
    tenants.listApiKeys(tenant.tenantId),
    tenants.listAudit(tenant.tenantId, 50),
    tenants.sessionsMinted(tenant.tenantId, input.month),
  ]);
  return { tenant, keys: keys.map(describeKey), usage: { month: input.month, sessionsMinted }, audit: auditTrail };
};

export const tenantUsage = async ({ tenants }: AdministrationPorts, input: { tenantId: string; month: string }) => {
  const tenant = await requireTenant(tenants, input.tenantId);
  const sessionsMinted = await tenants.sessionsMinted(tenant.tenantId, input.month);
  return {
    tenantId: tenant.tenantId,
    month: input.month,
    sessionsMinted,
    monthlySessionQuota: tenant.monthlySessionQuota,
    remaining: tenant.monthlySessionQuota === null ? null : Math.max(0, tenant.monthlySessionQuota - sessionsMinted),
  };
};

export const listApiKeys = async ({ tenants }: AdministrationPorts, input: { tenantId: string }) => {
  await requireTenant(tenants, input.tenantId);
  return (await tenants.listApiKeys(input.tenantId)).map(describeKey);
};
