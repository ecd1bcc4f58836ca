import { errors, jwtVerify, type JWTHeaderParameters } from 'jose';
import * as z from 'zod/mini';
import { AthosError } from '../domain/errors.js';
import { tenantIdPattern } from '../domain/ids.js';
import type { Clock } from '../domain/ports.js';
import { createHmacKeys } from './hmacKeys.js';
import type { KeySet } from './keySet.js';
import { sessionTokenAudience, type SessionClaims, type SessionTokenOptions } from './sessionTokenFormat.js';

/** Longer than any token we sign by a wide margin; anything longer is refused before parsing. */
const maxTokenLength = 2_048;
const clockSkewSeconds = 30;

const claimsSchema = z.object({
  jti: z.string().check(z.minLength(16), z.maxLength(64)),
  tid: z.string().check(z.regex(tenantIdPattern)),
  uid: z.string().check(z.minLength(1), z.maxLength(256)),
  aid: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  exp: z.number(),
});

const invalidToken = (cause?: unknown) => new AthosError('INVALID_TOKEN', 'Invalid session token', { cause });

/** Verifies session tokens (POST /roleplay/session). */
export const createSessionTokenVerifier = (keys: KeySet, options: SessionTokenOptions, clock: Clock) => {
  const hmacKeys = createHmacKeys(keys);
  const cryptoKeyFor = (kid: string) => {
    const key = hmacKeys.find(kid);
    if (!key) throw invalidToken(new Error('unknown kid'));
    return key;
  };

  return {
    /**
     * @throws AthosError TOKEN_EXPIRED only for a token whose signature is valid; INVALID_TOKEN for
     *   everything else (bad signature, other algorithms, unknown kid, wrong issuer or audience,
     *   missing or ill-typed claims, a future `iat`).
     */
    async verify(token: string): Promise<SessionClaims> {
      if (token.length > maxTokenLength) throw invalidToken();
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, (header: JWTHeaderParameters) => cryptoKeyFor(header.kid ?? ''), {
          algorithms: ['HS256'],
          issuer: options.issuer,
          audience: sessionTokenAudience,
          requiredClaims: ['exp', 'iat', 'jti', 'tid', 'uid'],
          maxTokenAge: options.ttlSeconds,
          clockTolerance: clockSkewSeconds,
          currentDate: clock.now(),
        }));
      } catch (error) {
        if (error instanceof AthosError) throw error;
        if (error instanceof errors.JWTExpired) {
          throw new AthosError('TOKEN_EXPIRED', 'Session token has expired', { cause: error });
        }
        throw invalidToken(error);
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw invalidToken(claims.error);
      return {
        jti: claims.data.jti,
        tenantId: claims.data.tid,
        externalUserId: claims.data.uid,
        externalAgencyId: claims.data.aid ?? null,
        expiresAt: new Date(claims.data.exp * 1000),
      };
    },
  };
};

export type SessionTokenVerifier = ReturnType<typeof createSessionTokenVerifier>;
