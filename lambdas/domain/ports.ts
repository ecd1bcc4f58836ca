import type { CallSource } from './callSources.js';
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
  readonly source?: CallSource;
  readonly externalUserId?: string;
  readonly externalAgencyId?: string;
  readonly limit: number;
  /** Where the previous page ended (its last row's sort key); absent for the first page. */
  readonly after?: string;
}

export interface CallPage {
  /** Up to `limit` calls; fewer when the store stopped early to bound its work (then `next` is set). */
  readonly calls: readonly SlimCallRecord[];
  /** Where the next page starts; absent only when no call follows. */
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

export interface CallRedemptions {
  /**
   * Records the token as used and creates the call, both or neither.
   * @returns 'already-used' when the token was redeemed before (nothing is written then)
   */
  createRedeemedCall(call: CallRecord, tokenUse: { jti: string; expiresAt: Date }): Promise<'created' | 'already-used'>;
}

export interface CallReader {
  /** The call with its transcript, whichever tenant owns it: for operators and the pipeline. */
  findCall(callId: string): Promise<CallRecord | undefined>;
  /**
   * The call with its transcript if `tenantId` owns it, else undefined. One small read when the
   * call is another tenant's, missing or unscored: only a call the tenant may read pays for its
   * transcript.
   */
  findCallOfTenant(callId: string, tenantId: string): Promise<CallRecord | undefined>;
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
