import { AthosError } from '../domain/errors.js';
import type { ApiCaller } from '../domain/callers.js';
import type { BusinessMetrics, Clock, KeyUsage, QuotaStore, SessionTokenSigner } from '../domain/ports.js';
import type { MintSessionRequest } from '../domain/requests/mintSession.js';

export interface MintSessionPorts {
  readonly quota: QuotaStore;
  readonly keyUsage: KeyUsage;
  readonly tokens: SessionTokenSigner;
  readonly clock: Clock;
  readonly metrics: BusinessMetrics;
}

/**
 * A single-use session token for one of the tenant's reps.
 * 1. Count the session against the tenant's month (UTC), atomically; refuse past the quota.
 * 2. Note the key's use (at most every 15 minutes per instance).
 * 3. Sign the token: HS256, ~5 minutes, naming the tenant, the rep and the key that minted it.
 * Nothing about the token is stored until it is redeemed.
 */
export const mintSession = async (
  { quota, keyUsage, tokens, clock, metrics }: MintSessionPorts,
  caller: ApiCaller,
  request: MintSessionRequest,
) => {
  const { tenant } = caller;
  const month = clock.now().toISOString().slice(0, 7);
  const counted = await quota.countSession(tenant.tenantId, month, tenant.monthlySessionQuota);
  if (!counted) throw new AthosError('TENANT_QUOTA_EXCEEDED', 'Monthly session quota exceeded');
  // Only a mint that succeeds uses the key; a refused one leaves no trace.
  await keyUsage.touch(caller.keyHash);

  const { token, expiresAt } = tokens.sign({
    tenantId: tenant.tenantId,
    keyId: caller.keyId,
    externalUserId: request.externalUserId,
    externalAgencyId: request.externalAgencyId,
  });
  metrics.sessionMinted();
  return { token, expiresAt: expiresAt.toISOString() };
};
