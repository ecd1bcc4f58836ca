import { parseApiKey } from '../domain/apiKeys.js';
import { AthosError, apiKeyRevoked, tenantInactive } from '../domain/errors.js';
import { isIpAllowed } from '../domain/ipAllowlist.js';
import type { AuthStore, Clock } from '../domain/ports.js';
import type { TenantRecord } from '../domain/records.js';

export interface AuthenticateApiKeyPorts {
  readonly auth: AuthStore;
  readonly clock: Clock;
}

/** Who is calling: the tenant, and the key it called with (its hash, and its id for tokens to name). */
export interface ApiCaller {
  readonly tenant: TenantRecord;
  readonly keyHash: string;
  readonly keyId: string;
}

/**
 * The tenant behind an API key, if it may call from this address.
 * 1. A missing, malformed or checksum-broken key is refused without a database read.
 * 2. The key and its tenant are read together; an unknown key is INVALID_API_KEY.
 * 3. A revoked key, or a rotated one past its overlap, is API_KEY_REVOKED.
 * 4. An inactive tenant is TENANT_INACTIVE; an address outside its allowlist is IP_NOT_ALLOWED.
 * @param sourceIp the connection's address as API Gateway saw it, never a forwarding header
 */
export const authenticateApiKey = async (
  { auth, clock }: AuthenticateApiKeyPorts,
  { apiKey, sourceIp }: { apiKey: string | undefined; sourceIp: string },
): Promise<ApiCaller> => {
  const parsed = apiKey === undefined ? undefined : parseApiKey(apiKey);
  if (!parsed) throw new AthosError('INVALID_API_KEY', 'Invalid API key');

  const { key, tenant } = await auth.findKeyAndTenant(parsed.hash, parsed.tenantId);
  if (!key || key.tenantId !== parsed.tenantId) throw new AthosError('INVALID_API_KEY', 'Invalid API key');
  const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= clock.now().getTime();
  if (key.status !== 'active' || expired) throw apiKeyRevoked();

  if (!tenant || tenant.status !== 'active') throw tenantInactive();
  if (!isIpAllowed(sourceIp, tenant.allowedCidrs)) {
    throw new AthosError('IP_NOT_ALLOWED', 'Calls from this IP address are not allowed for this tenant');
  }
  return { tenant, keyHash: parsed.hash, keyId: key.keyId };
};
