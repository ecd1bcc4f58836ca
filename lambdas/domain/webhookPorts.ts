import type { AuditRecord, TenantRecord } from './records.js';
import type {
  DeliveryAttempt,
  DeliveryErrorClass,
  DeliveryMessage,
  DeliveryStatus,
  OutboxEvent,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from './webhooks.js';

/** What the webhook operations need from the outside world; `store/webhooks/` implements most. */

export interface TenantLookup {
  findTenant(tenantId: string): Promise<TenantRecord | undefined>;
}

/** Keeps signing secrets unreadable at rest; the sender opens them to sign. */
export interface SecretSealer {
  seal(secret: string, endpointId: string): Promise<string>;
  /** @throws Error when the sealed text is not this sealer's for this endpoint */
  open(sealed: string, endpointId: string): Promise<string>;
}

export type EndpointChanges = Partial<
  Pick<WebhookEndpointRecord, 'status' | 'disabledReason' | 'disabledAt' | 'failingSince' | 'secrets'>
> & { readonly updatedAt: string };

export interface WebhookEndpointStore {
  createEndpoint(endpoint: WebhookEndpointRecord, audit: AuditRecord): Promise<void>;
  findEndpoint(endpointId: string): Promise<WebhookEndpointRecord | undefined>;
  /** Every endpoint of the tenant, both modes, in one read. */
  listEndpoints(tenantId: string): Promise<WebhookEndpointRecord[]>;
  /**
   * Applies the changes and writes the audit record, both or neither.
   * @returns false when the endpoint changed since `current` was read (nothing is written then)
   */
  updateEndpoint(current: WebhookEndpointRecord, changes: EndpointChanges, audit: AuditRecord): Promise<boolean>;
  /** Notes that the endpoint failed at `at`, unless it is already known to be failing. */
  noteFailing(endpoint: WebhookEndpointRecord, at: string): Promise<void>;
  /** Notes that the endpoint answered with a 2xx: it is no longer failing. */
  noteAnswering(endpoint: WebhookEndpointRecord): Promise<void>;
  /** The tenant's webhook audit trail, newest first. */
  listAudit(tenantId: string, limit: number): Promise<AuditRecord[]>;
}

export interface DeliveryListQuery {
  readonly endpointId: string;
  readonly status?: DeliveryStatus;
  /** Only deliveries of events at or after this time. */
  readonly since?: Date;
  readonly limit: number;
}

export interface WebhookDeliveryStore {
  /**
   * Creates each delivery unless it exists (a stream record fanned out twice creates nothing new).
   * @returns the pending deliveries to queue: those created now, and those found pending and never
   * attempted (their message may have been lost with a fan-out that failed after writing them)
   */
  createDeliveries(deliveries: readonly WebhookDeliveryRecord[]): Promise<WebhookDeliveryRecord[]>;
  findDelivery(deliveryId: string): Promise<WebhookDeliveryRecord | undefined>;
  /** A delivery and its endpoint, in one read. */
  findForSending(
    message: DeliveryMessage,
  ): Promise<{ delivery?: WebhookDeliveryRecord; endpoint?: WebhookEndpointRecord }>;
  /** Newest first. */
  listDeliveries(query: DeliveryListQuery): Promise<WebhookDeliveryRecord[]>;
  /**
   * Appends an attempt to the log and moves the delivery on, on condition that nobody recorded this
   * attempt first.
   * @returns false when the delivery was no longer at that attempt of that round (nothing written)
   */
  recordAttempt(
    delivery: WebhookDeliveryRecord,
    attempt: DeliveryAttempt,
    next: { status: DeliveryStatus; nextAttemptAt: string | null; failure: string | null },
  ): Promise<boolean>;
  /**
   * Starts a new round for each delivery (pending, no attempts yet) and writes the request that
   * queues them and the audit record, together, so no delivery is left pending without a message
   * on its way. At most `maxRequeuePerTransaction` deliveries at once.
   * @returns false when one of them changed meanwhile (nothing is written then)
   */
  requeue(deliveries: readonly WebhookDeliveryRecord[], at: string, audit: AuditRecord): Promise<boolean>;
}

export interface WebhookOutbox {
  /** An event for one endpoint only: `webhook test`. */
  addTestEvent(event: Omit<OutboxEvent, 'kind'> & { targetEndpointId: string }): Promise<void>;
}

/** A transaction holds at most 100 items: 98 deliveries, the outbox request and the audit record. */
export const maxRequeuePerTransaction = 98;

/** The delivery queue, as the sender sees it: a message it holds back until its next attempt. */
export interface MessageVisibility {
  hide(receiptHandle: string, ms: number): Promise<void>;
}

export type PostResult =
  | { readonly statusCode: number; readonly retryAfter?: string; readonly latencyMs: number }
  | { readonly errorClass: DeliveryErrorClass; readonly latencyMs: number };

/** One HTTP POST to a receiver, within the outbound rules. */
export interface WebhookPoster {
  post(url: string, headers: Record<string, string>, body: string): Promise<PostResult>;
}

/** Checks a URL an operator registers: scheme, and every address its host resolves to. */
export interface UrlVetter {
  /** @throws AthosError INVALID_REQUEST naming what is wrong */
  vet(url: string): Promise<string>;
}

/** What the operator sees in metrics: counts and latencies of the delivery pipeline. */
export interface WebhookMetrics {
  delivered(deliveryLatencyMs: number): void;
  attemptFailed(errorClass: DeliveryErrorClass): void;
  deliveryFailed(): void;
  endpointDisabled(reason: string): void;
}
