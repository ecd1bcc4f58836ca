import { parseKeySet } from '../../lambdas/tokens/keySet.js';
import { createSessionTokens } from '../../lambdas/tokens/sessionTokens.js';
import { testIssuer, testKeys } from './testSettings.js';

/** Session tokens signed with the handlers' own test key, at any time a test needs. */
export const signSessionToken = async (
  subject: { tenantId: string; externalUserId: string; externalAgencyId?: string },
  issuedAt: Date = new Date(),
) => {
  const tokens = createSessionTokens(parseKeySet('test', testKeys.sessionToken), { issuer: testIssuer, ttlSeconds: 300 }, { now: () => issuedAt });
  return tokens.sign(subject);
};
