import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createSessionTokenSigner } from '../../lambdas/tokens/sessionTokenSigner.js';
import { testIssuer, testKeys } from './testSettings.js';

/** Session tokens signed with the handlers' own test key, at any time a test needs. */
export const signSessionToken = async (
  subject: { tenantId: string; keyId: string; externalUserId: string; externalAgencyId?: string },
  issuedAt: Date = new Date(),
) => {
  const tokens = createSessionTokenSigner(
    parseKeySet('test', testKeys.sessionToken),
    { issuer: testIssuer, ttlSeconds: 300 },
    { now: () => issuedAt },
  );
  return tokens.sign(subject);
};
