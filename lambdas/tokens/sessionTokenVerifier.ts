import * as z from 'zod/mini';
import { AthosError } from '../domain/errors.js';
import { apiKeyIdPattern } from '../domain/ids.js';
import { externalIdMaxLength } from '../domain/limits.js';
import type { SessionClaims } from '../domain/callers.js';
import type { Clock, SessionTokenVerifier } from '../domain/ports.js';
import { actingTenantIdPattern } from '../domain/testMode.js';
import { verifyHs256 } from './hs256.js';
import type { KeySet } from './keySet.js';
import { sessionTokenAudience, type SessionTokenOptions } from './sessionTokenFormat.js';

/** Longer than any token we sign by a wide margin; anything longer is refused before parsing. */
const maxTokenLength = 2_048;
const clockSkewSeconds = 30;

/** Every claim a session token must carry, with its type; anything else about it is refused. */
const claimsSchema = z.object({
  jti: z.string().check(z.minLength(16), z.maxLength(64)),
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  iat: z.number(),
  exp: z.number(),
  nbf: z.optional(z.number()),
  tid: z.string().check(z.regex(actingTenantIdPattern)),
  akid: z.string().check(z.regex(apiKeyIdPattern)),
  uid: z.string().check(z.minLength(1), z.maxLength(externalIdMaxLength)),
  aid: z.optional(z.string().check(z.minLength(1), z.maxLength(externalIdMaxLength))),
});

const invalidToken = (cause?: unknown) => new AthosError('INVALID_TOKEN', 'Invalid session token', { cause });
const expired = () => new AthosError('TOKEN_EXPIRED', 'Session token has expired');

/** Verifies session tokens (POST /roleplay/session). */
export const createSessionTokenVerifier = (
  keys: KeySet,
  options: SessionTokenOptions,
  clock: Clock,
): SessionTokenVerifier => ({
  /**
   * @throws AthosError TOKEN_EXPIRED only for a token whose signature is valid; INVALID_TOKEN for
   *   everything else (bad signature, other algorithms, unknown kid, wrong issuer or audience,
   *   missing or ill-typed claims, a future `iat` or `nbf`).
   */
  verify(token: string): SessionClaims {
    const verified = verifyHs256(keys, token, maxTokenLength);
    if (typeof verified === 'string') throw invalidToken(new Error(verified));
    const parsed = claimsSchema.safeParse(verified.payload);
    if (!parsed.success) throw invalidToken(parsed.error);
    const claims = parsed.data;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== options.issuer || !audiences.includes(sessionTokenAudience)) throw invalidToken();

    const now = Math.floor(clock.now().getTime() / 1000);
    if (claims.iat > now + clockSkewSeconds || (claims.nbf !== undefined && claims.nbf > now + clockSkewSeconds))
      throw invalidToken();
    if (claims.exp <= now - clockSkewSeconds || now - claims.iat > options.ttlSeconds + clockSkewSeconds)
      throw expired();
    return {
      jti: claims.jti,
      tenantId: claims.tid,
      keyId: claims.akid,
      externalUserId: claims.uid,
      externalAgencyId: claims.aid ?? null,
      expiresAt: new Date(claims.exp * 1000),
    };
  },
});
