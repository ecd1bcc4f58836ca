import { AthosError } from '../domain/errors.js';
import type { Clock, QuotaStore } from '../domain/ports.js';
import type { TenantRecord } from '../domain/records.js';
import type { SessionTokens } from '../tokens/sessionTokens.js';

export interface MintSessionPorts {
  readonly quota: QuotaStore;
  readonly tokens: SessionTokens;
  readonly clock: Clock;
}

/**
 * A single-use session token for one of the tenant's reps.
 * 1. Count the session against the tenant's month (UTC), atomically; refuse past the quota.
 * 2. Sign the token: HS256, ~5 minutes, naming the tenant and the rep.
 * Nothing about the token is stored until it is redeemed.
 */
export const mintSession = async (
  { quota, tokens, clock }: MintSessionPorts,
  request: { tenant: TenantRecord; externalUserId: string; externalAgencyId?: string | undefined },
) => {
  const month = clock.now().toISOString().slice(0, 7);
  const counted = await quota.countSession(request.tenant.tenantId, month, request.tenant.monthlySessionQuota);
  if (!counted) throw new AthosError('TENANT_QUOTA_EXCEEDED', 'Monthly session quota exceeded');

  const { token, expiresAt } = await tokens.sign({
    tenantId: request.tenant.tenantId,
    externalUserId: request.externalUserId,
    externalAgencyId: request.externalAgencyId,
  });
  return { token, expiresAt: expiresAt.toISOString() };
};
