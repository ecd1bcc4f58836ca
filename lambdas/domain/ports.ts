import type { CallEvent } from './callEvents.js';
import type { CallProgress, CallStep } from './callLifecycle.js';
import type { ApiKeyRecord, CallRecord, SlimCallRecord, TenantRecord } from './records.js';

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

export interface CallRedemptions {
  /**
   * Records the token as used and creates the call, both or neither.
   * @returns 'already-used' when the token was redeemed before (nothing is written then)
   */
  createRedeemedCall(call: CallRecord, tokenUse: { jti: string; expiresAt: Date }): Promise<'created' | 'already-used'>;
}

export interface CallReader {
  findCall(callId: string): Promise<CallRecord | undefined>;
}

export interface CallLister {
  listScoredCalls(query: ListCallsQuery): Promise<CallPage>;
}

export interface CallLifecycle {
  /** The call's state, read consistently; undefined when no call has this id. */
  findProgress(callId: string): Promise<CallProgress | undefined>;
  /**
   * Applies one step of the event to the call, on condition that the call is still as `seen` and
   * the event not yet applied.
   * @returns 'applied', or the call as it now is (undefined if gone) when it changed in between;
   *   nothing is written then
   */
  applyStep(
    seen: CallProgress,
    step: Exclude<CallStep, { kind: 'none' }>,
    event: CallEvent,
    at: string,
  ): Promise<'applied' | { readonly changed: CallProgress | undefined }>;
}

/** Where events that cannot be recorded are set aside, with the reason, for an operator. */
export interface EventSetAside {
  setAside(message: { readonly messageId: string; readonly body: string }, reason: string): Promise<void>;
}

/** All of the above, for tools; each operation takes only the part it uses. */
export type CallStore = CallRedemptions & CallReader & CallLister & CallLifecycle;

/** A queue the pipeline's events travel on: SQS in AWS, the local queue under `npm start`. */
export interface EventQueue {
  /** Sends each body, each after its own delay (SQS allows up to 900 s). */
  send(messages: readonly { readonly body: string; readonly delaySeconds?: number }[]): Promise<void>;
}
