import type { TenantRecord } from './records.js';
import type { ApiMode } from './testMode.js';

/** Who is calling, as authentication establishes it: the principal an operation is given. */

/**
 * A reseller's backend, by its API key: the tenant it acts as (a test key's is the tenant's test
 * twin, `testMode.ts`), the key's mode, and the key (by hash) it called with.
 */
export interface ApiCaller {
  readonly tenant: TenantRecord;
  readonly mode: ApiMode;
  readonly keyHash: string;
  /** The key's id, which the session tokens it mints name, so redeem can check the key is still valid. */
  readonly keyId: string;
}

/** A rep's browser, by a session token: what the token says about the session it opens. */
export interface SessionClaims {
  readonly jti: string;
  readonly tenantId: string;
  /** The API key that minted the session: redeem refuses the token once that key is revoked. */
  readonly keyId: string;
  readonly externalUserId: string;
  readonly externalAgencyId: string | null;
  readonly expiresAt: Date;
}
