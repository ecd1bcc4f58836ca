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
  readonly externalUserId: string;
  readonly externalAgencyId: string | null;
  readonly expiresAt: Date;
}
