/** What a session token looks like, shared by the side that signs it and the side that verifies it. */

export const sessionTokenAudience = 'athos-roleplay';

export interface SessionTokenOptions {
  readonly issuer: string;
  readonly ttlSeconds: number;
}

/** What a session token says about the session it opens. */
export interface SessionClaims {
  readonly jti: string;
  readonly tenantId: string;
  /** The API key that minted the session: redeem refuses the token once that key is revoked. */
  readonly keyId: string;
  readonly externalUserId: string;
  readonly externalAgencyId: string | null;
  readonly expiresAt: Date;
}
