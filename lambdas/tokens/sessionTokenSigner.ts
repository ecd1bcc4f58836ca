import { newTokenId } from '../domain/ids.js';
import type { Clock, SessionTokenSigner } from '../domain/ports.js';
import { signHs256 } from './hs256.js';
import type { KeySet } from './keySet.js';
import { sessionTokenAudience, type SessionTokenOptions } from './sessionTokenFormat.js';

/** Signs session tokens (POST /session); kept apart from verification, which the minting side never needs. */
export const createSessionTokenSigner = (
  keys: KeySet,
  options: SessionTokenOptions,
  clock: Clock,
): SessionTokenSigner => ({
  sign(subject) {
    const issuedAt = Math.floor(clock.now().getTime() / 1000);
    const expiresAt = issuedAt + options.ttlSeconds;
    const jti = newTokenId();
    const token = signHs256(keys, {
      tid: subject.tenantId,
      // Redeem checks this key is still valid; inside the signed payload, it cannot be swapped.
      akid: subject.keyId,
      uid: subject.externalUserId,
      ...(subject.externalAgencyId === undefined ? {} : { aid: subject.externalAgencyId }),
      jti,
      iss: options.issuer,
      aud: sessionTokenAudience,
      iat: issuedAt,
      exp: expiresAt,
    });
    return { token, jti, expiresAt: new Date(expiresAt * 1000) };
  },
});
