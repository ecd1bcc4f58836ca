import type { ApiKeyRecord, CallRecord, Score, SlimCallRecord, TenantRecord, Transcript } from './records.js';

/** What the operations need from the outside world. DynamoDB implements them in `store/`. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AuthStore {
  /** The key with this hash and the tenant it claims, fetched together. */
  findKeyAndTenant(keyHash: string, tenantId: string): Promise<{ key?: ApiKeyRecord; tenant?: TenantRecord }>;
}

export interface KeyUsageStore {
  /** Notes that the key with this hash was used at `at`. */
  recordUse(keyHash: string, at: string): Promise<void>;
}

export interface QuotaStore {
  /**
   * Counts one session against the tenant's month, atomically.
   * @returns false when `limit` sessions were already counted (and then counts nothing)
   */
  countSession(tenantId: string, month: string, limit: number | null): Promise<boolean>;
}

export interface ListCallsQuery {
  readonly tenantId: string;
  readonly from: string;
  readonly to?: string;
  readonly source?: string;
  readonly externalUserId?: string;
  readonly externalAgencyId?: string;
  readonly limit: number;
  /** Where the previous page ended (its last row's sort key); absent for the first page. */
  readonly after?: string;
}

export interface CallPage {
  readonly calls: readonly SlimCallRecord[];
  /** Present only when more calls follow. */
  readonly next?: string;
}

export interface ScoredCallUpdate {
  readonly callId: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly durationSec: number;
  readonly scoredAt: string;
  readonly transcript: Transcript;
  readonly score: Score;
}

/** The session token being redeemed: its id, its end, and the API key that minted it. */
export interface TokenUse {
  readonly jti: string;
  readonly expiresAt: Date;
  readonly keyId: string;
}

export interface CallRedemptions {
  /**
   * Records the token as used and creates the call, both or neither, on condition that the token
   * is unused, its tenant active, and the key that minted it neither revoked nor past its rotation
   * overlap at `call.createdAt`.
   * @returns why nothing was written, or 'created'
   */
  createRedeemedCall(
    call: CallRecord,
    tokenUse: TokenUse,
  ): Promise<'created' | 'already-used' | 'tenant-inactive' | 'key-revoked'>;
}

export interface CallReader {
  findCall(callId: string): Promise<CallRecord | undefined>;
}

export interface CallLister {
  listScoredCalls(query: ListCallsQuery): Promise<CallPage>;
}

export interface CallScoring {
  /** @returns 'not-redeemed' when the call does not exist or was already scored (nothing is written then) */
  recordScored(update: ScoredCallUpdate): Promise<'scored' | 'not-redeemed'>;
}

/** All of the above, for tools; each operation takes only the part it uses. */
export type CallStore = CallRedemptions & CallReader & CallLister & CallScoring;
