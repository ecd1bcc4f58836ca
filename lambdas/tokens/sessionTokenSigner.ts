import { SignJWT } from 'jose';
import { newTokenId } from '../domain/ids.js';
import type { Clock } from '../domain/ports.js';
import { createHmacKeys } from './hmacKeys.js';
import type { KeySet } from './keySet.js';
import { sessionTokenAudience, type SessionTokenOptions } from './sessionTokenFormat.js';

/** Signs session tokens (POST /session); kept apart from verification, which the minting side never needs. */
export const createSessionTokenSigner = (keys: KeySet, options: SessionTokenOptions, clock: Clock) => {
  const hmacKeys = createHmacKeys(keys);
  return {
    async sign(subject: { tenantId: string; externalUserId: string; externalAgencyId?: string | undefined }) {
      const issuedAt = Math.floor(clock.now().getTime() / 1000);
      const expiresAt = issuedAt + options.ttlSeconds;
      const jti = newTokenId();
      const token = await new SignJWT({
        tid: subject.tenantId,
        uid: subject.externalUserId,
        ...(subject.externalAgencyId === undefined ? {} : { aid: subject.externalAgencyId }),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: keys.current.kid })
        .setJti(jti)
        .setIssuer(options.issuer)
        .setAudience(sessionTokenAudience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(await hmacKeys.current());
      return { token, jti, expiresAt: new Date(expiresAt * 1000) };
    },
  };
};

export type SessionTokenSigner = ReturnType<typeof createSessionTokenSigner>;
