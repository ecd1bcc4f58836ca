/** What a session token looks like, shared by the side that signs it and the side that verifies it. */

export const sessionTokenAudience = 'athos-roleplay';

export interface SessionTokenOptions {
  readonly issuer: string;
  readonly ttlSeconds: number;
}
