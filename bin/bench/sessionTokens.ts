import { systemClock } from '../../lambdas/domain/ports.js';
import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createSessionTokenSigner } from '../../lambdas/tokens/sessionTokenSigner.js';

/** Fresh session tokens the API accepts, signed with its key set as POST /session would sign them. */
export const sessionTokenSource = (sessionKeySet: string, tenantId: string, keyId: string) => {
  const signer = createSessionTokenSigner(
    parseKeySet('session token key set', sessionKeySet),
    { issuer: 'athos-external-api', ttlSeconds: 300 },
    systemClock,
  );
  return () => signer.sign({ tenantId, keyId, externalUserId: 'rep_1001', externalAgencyId: 'agency_north' }).token;
};
