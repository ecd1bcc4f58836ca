import { parseApiKey } from '../domain/apiKeys.js';
import { AthosError, apiKeyRevoked, tenantInactive } from '../domain/errors.js';
import { isIpAllowed } from '../domain/ipAllowlist.js';
import type { ApiCaller } from '../domain/callers.js';
import type { AuthStore, Clock } from '../domain/ports.js';
import { actingTenant } from '../domain/testMode.js';

export interface AuthenticateApiKeyPorts {
  readonly auth: AuthStore;
  readonly clock: Clock;
}

/**
 * The tenant behind an API key, if it may call from this address.
 * 1. A missing, malformed or checksum-broken key is refused without a database read.
 * 2. The key and its tenant are read together; an unknown key is INVALID_API_KEY.
 * 3. A revoked key, or a rotated one past its overlap, is API_KEY_REVOKED.
 * 4. An inactive tenant is TENANT_INACTIVE; an address outside its allowlist is IP_NOT_ALLOWED.
 * 5. A test-mode key acts as the tenant's test twin, whose data a live key never reaches.
 * @param sourceIp the connection's address as API Gateway saw it, never a forwarding header
 */
export const authenticateApiKey = async (
  { auth, clock }: AuthenticateApiKeyPorts,
  { apiKey, sourceIp }: { apiKey: string | undefined; sourceIp: string },
): Promise<ApiCaller> => {
  const parsed = apiKey === undefined ? undefined : parseApiKey(apiKey);
  if (!parsed) throw new AthosError('INVALID_API_KEY', 'Invalid API key');

  const { key, tenant } = await auth.findKeyAndTenant(parsed.hash, parsed.tenantId);
  if (!key || key.tenantId !== parsed.tenantId || (key.mode ?? 'live') !== parsed.mode)
    throw new AthosError('INVALID_API_KEY', 'Invalid API key');
  // From here the key is the tenant's own: a refusal is logged against it.
  const { tenantId } = key;
  const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= clock.now().getTime();
  if (key.status !== 'active' || expired) throw apiKeyRevoked(tenantId);

  if (!tenant || tenant.status !== 'active') throw tenantInactive(tenantId);
  if (!isIpAllowed(sourceIp, tenant.allowedCidrs)) {
    throw new AthosError('IP_NOT_ALLOWED', 'Calls from this IP address are not allowed for this tenant', {
      tenantId,
    });
  }
  return { tenant: actingTenant(tenant, parsed.mode), mode: parsed.mode, keyHash: parsed.hash, keyId: key.keyId };
};
