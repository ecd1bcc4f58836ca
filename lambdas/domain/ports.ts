import type { CallEvent } from './callEvents.js';
import type { SessionClaims } from './callers.js';
import type { CallProgress, CallStep } from './callLifecycle.js';
import type { ErrorCode } from './errors.js';
import type { ApiKeyRecord, AuditRecord, CallRecord, SlimCallRecord, TenantRecord } from './records.js';
import type { CallSource } from './callSources.js';

/**
 * What the operations need from the outside world, as named interfaces: an operation imports these
 * and nothing else, and each implementation declares which one it satisfies. DynamoDB implements
 * the stores in `store/`; `tokens/` the signers, the verifier, the tickets and the cursor codec.
 */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The business events the dashboard and alarms count, one hook each. Operations and back-office
 * steps call them where the fact is known; `observability/emf.ts` turns them into CloudWatch
 * metrics by operation. None takes a tenant: a metric dimension per tenant would cost per tenant,
 * so per-tenant figures come from the log lines instead. (Webhook deliveries are counted by their
 * own port, `WebhookMetrics` in `webhookPorts.ts`.)
 */
export interface BusinessMetrics {
  sessionMinted(): void;
  sessionRedeemed(): void;
  /** A request answered with this 4xx contract code. */
  requestRefused(code: ErrorCode): void;
  /** A redeemed call recorded as scored: it is now on the list routes. */
  callScored(): void;
  /** A pipeline event that cannot be applied and was put aside for an operator. */
  eventSetAside(): void;
  /** The rows of one list page. */
  listRowsReturned(rows: number): void;
  /** A list cursor refused as altered, foreign or bound to other filters. */
  cursorRejected(): void;
}

/** For tools (the admin CLI, the seed) whose work no dashboard counts. */
export const noMetrics: BusinessMetrics = {
  sessionMinted: () => undefined,
  sessionRedeemed: () => undefined,
  requestRefused: () => undefined,
  callScored: () => undefined,
  eventSetAside: () => undefined,
  listRowsReturned: () => undefined,
  cursorRejected: () => undefined,
};

export interface AuthStore {
  /** The key with this hash and the tenant it claims, fetched together. */
  findKeyAndTenant(keyHash: string, tenantId: string): Promise<{ key?: ApiKeyRecord; tenant?: TenantRecord }>;
}

export interface KeyUsageStore {
  /** Notes that the key with this hash was used at `at`. */
  recordUse(keyHash: string, at: string): Promise<void>;
}

/** Notes that a key was used, as cheaply as the operation can afford (see `operations/keyUsage.ts`). */
export interface KeyUsage {
  touch(keyHash: string): Promise<void>;
}

export interface QuotaStore {
  /**
   * Counts one session against the tenant's month, atomically.
   * @returns false when `limit` sessions were already counted (and then counts nothing)
   */
  countSession(tenantId: string, month: string, limit: number | null): Promise<boolean>;
}

/** One page of a tenant's scored calls, as the list operation asks the store for it. */
export interface ScoredCallsQuery {
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

/** The session token being redeemed: its id, its end, and who minted it. */
export interface TokenUse {
  readonly jti: string;
  readonly expiresAt: Date;
  /** The live tenant (a test twin's is its live tenant) and the id of the API key that minted the token. */
  readonly mintedBy: { readonly tenantId: string; readonly keyId: string };
}

export interface CallRedemptions {
  /**
   * Records the token as used and creates the call, both or neither, on condition that the token
   * is unused, the tenant that minted it active, and the key that minted it neither revoked nor
   * past its rotation overlap at `call.createdAt`.
   * @returns why nothing was written, or 'created'
   */
  createRedeemedCall(
    call: CallRecord,
    tokenUse: TokenUse,
  ): Promise<'created' | 'already-used' | 'tenant-inactive' | 'key-revoked'>;
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
  listScoredCalls(query: ScoredCallsQuery): Promise<CallPage>;
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

/** Tenants, as operators manage them. Each change is written together with its audit record. */
export interface TenantRepository {
  createTenant(tenant: TenantRecord, audit?: AuditRecord): Promise<void>;
  findTenant(tenantId: string): Promise<TenantRecord | undefined>;
  /** Oldest first. */
  listTenants(): Promise<TenantRecord[]>;
  /** @returns false when there is no such tenant (nothing is written then) */
  updateTenant(tenantId: string, changes: TenantChanges, updatedAt: string, audit: AuditRecord): Promise<boolean>;
}

/** What may change about a tenant after it is created. */
export type TenantChanges = Partial<Pick<TenantRecord, 'status' | 'allowedCidrs' | 'monthlySessionQuota'>>;

export interface ApiKeyRepository {
  /** The key (found by hash at auth) and the tenant's pointer to it (found by id), both or neither. */
  createApiKey(key: ApiKeyRecord, audit?: AuditRecord): Promise<void>;
  findApiKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Oldest first. */
  listApiKeys(tenantId: string): Promise<ApiKeyRecord[]>;
  /** @returns false when the key was not active (nothing is written then) */
  revokeApiKey(key: ApiKeyRecord, revokedAt: string, audit: AuditRecord): Promise<boolean>;
  /**
   * Gives the old key an end (the overlap) and creates its successor, together.
   * @returns false when the old key was not active or already rotated (nothing is written then)
   */
  rotateApiKey(old: ApiKeyRecord, oldExpiresAt: string, successor: ApiKeyRecord, audit: AuditRecord): Promise<boolean>;
}

export interface AuditTrail {
  /** Newest first. */
  listAudit(tenantId: string, limit: number): Promise<AuditRecord[]>;
}

export interface QuotaUsage {
  /** Sessions counted against the tenant's month so far. */
  sessionsMinted(tenantId: string, month: string): Promise<number>;
}

/** Everything the back office reads and writes about tenants, their keys, audit trail and usage. */
export type TenantStore = TenantRepository & ApiKeyRepository & AuditTrail & QuotaUsage;

export interface SessionSubject {
  readonly tenantId: string;
  readonly keyId: string;
  readonly externalUserId: string;
  readonly externalAgencyId?: string | undefined;
}

export interface SignedSessionToken {
  readonly token: string;
  readonly jti: string;
  readonly expiresAt: Date;
}

export interface SessionTokenSigner {
  sign(subject: SessionSubject): SignedSessionToken;
}

export interface SessionTokenVerifier {
  /** @throws AthosError TOKEN_EXPIRED for an expired token with a valid signature; INVALID_TOKEN for any other */
  verify(token: string): SessionClaims;
}

/** What a connection ticket binds: the voice transport admits this call with this persona only. */
export interface TicketSubject {
  readonly callId: string;
  readonly sessionId: string;
  readonly tenantId: string;
  readonly drillKey: string;
  readonly personaName: string;
  readonly difficulty: string;
}

export interface ConnectionTickets {
  issue(subject: TicketSubject): string;
}

/**
 * Seals a list position into an opaque cursor that opens only with the same `binding` (the tenant
 * and the filters it was issued for).
 */
export interface CursorCodec {
  encode(position: string, binding: string): string;
  /** @throws AthosError INVALID_REQUEST for anything but a cursor we issued for this binding */
  decode(cursor: string, binding: string): string;
}

/** A queue the pipeline's events travel on: SQS in AWS, the local queue under `npm start`. */
export interface EventQueue {
  /** Sends each body, each after its own delay (SQS allows up to 900 s). */
  send(messages: readonly { readonly body: string; readonly delaySeconds?: number }[]): Promise<void>;
}
