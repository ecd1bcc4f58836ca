import * as z from 'zod/mini';
import { encodeBase62, randomBase62 } from './random.js';

/**
 * Outbound webhooks: what resellers subscribe to, what they receive, and how deliveries are
 * recorded. Delivery follows Standard Webhooks (https://www.standardwebhooks.com) and Svix's
 * behaviour: at least once, retried on a fixed schedule, replayable.
 */

export const webhookEventTypes = ['call.scored', 'call.ended'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
export const defaultWebhookEvents: readonly WebhookEventType[] = ['call.scored'];

/** Test-mode events go only to test endpoints, live ones only to live endpoints. */
export const webhookModes = ['live', 'test'] as const;
export type WebhookMode = (typeof webhookModes)[number];

/**
 * The thin payload: enough to recognise the call and fetch it (`GET /calls/{callId}`), never the
 * transcript. `scoredAt` and `overallScore` are null on a `call.ended`.
 */
export const webhookEventSchema = z.object({
  type: z.enum(webhookEventTypes),
  timestamp: z.string(),
  data: z.object({
    callId: z.string(),
    sessionId: z.string(),
    source: z.string(),
    externalUserId: z.string(),
    externalAgencyId: z.nullable(z.string()),
    drillKey: z.string(),
    endedAt: z.nullable(z.string()),
    scoredAt: z.nullable(z.string()),
    overallScore: z.nullable(z.number()),
  }),
});
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** What a webhook says about a call: the call as it is once the change it announces is made. */
export interface AnnouncedCall {
  readonly callId: string;
  /** The acting tenant: a test-mode call's is its tenant's test twin. */
  readonly tenantId: string;
  readonly mode?: 'test';
  readonly sessionId: string;
  readonly source: string;
  readonly externalUserId: string;
  readonly externalAgencyId: string | null;
  readonly drillKey: string;
  readonly endedAt: string;
  readonly scoredAt: string | null;
  readonly overallScore: number | null;
}

/**
 * The event as a reseller receives it. `call.ended` tells of the end only (its timestamp is the
 * end; no score, even when the score came with it); `call.scored` of the score too.
 */
export const webhookEventOf = (call: AnnouncedCall, type: WebhookEventType): WebhookEvent => {
  const scored = type === 'call.scored';
  return {
    type,
    timestamp: scored ? (call.scoredAt ?? call.endedAt) : call.endedAt,
    data: {
      callId: call.callId,
      sessionId: call.sessionId,
      source: call.source,
      externalUserId: call.externalUserId,
      externalAgencyId: call.externalAgencyId,
      drillKey: call.drillKey,
      endedAt: call.endedAt,
      scoredAt: scored ? call.scoredAt : null,
      overallScore: scored ? call.overallScore : null,
    },
  };
};

/** A signing secret as stored: sealed (see `tokens/secretSealing.ts`), never in clear. */
export interface StoredWebhookSecret {
  readonly sealed: string;
  readonly createdAt: string;
  /** Set when a rotation replaced it: it still signs until then (the overlap). */
  readonly expiresAt: string | null;
}

export interface WebhookEndpointRecord {
  readonly endpointId: string;
  readonly tenantId: string;
  readonly mode: WebhookMode;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly description: string | null;
  readonly status: 'enabled' | 'disabled';
  /** Why it was disabled: by an operator, a 410 Gone, or five days of failures. */
  readonly disabledReason: string | null;
  readonly disabledAt: string | null;
  /** Since when every attempt to it has failed; null while it answers. */
  readonly failingSince: string | null;
  /** Newest first. */
  readonly secrets: readonly StoredWebhookSecret[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An endpoint's public face: everything but its sealed secrets. */
export const describeEndpoint = ({ secrets, ...endpoint }: WebhookEndpointRecord) => ({
  ...endpoint,
  secretsInUse: secrets.length,
  previousSecretExpiresAt: secrets[1]?.expiresAt ?? null,
});

/** How an attempt ended, for the delivery log; never the response body, never a secret. */
export const errorClasses = [
  'http_status',
  'timeout',
  'connection',
  'dns',
  'tls',
  'address_refused',
  'endpoint_disabled',
] as const;
export type DeliveryErrorClass = (typeof errorClasses)[number];

export interface DeliveryAttempt {
  readonly at: string;
  /** The receiver's HTTP status, or null when none came back. */
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly errorClass: DeliveryErrorClass | null;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveryRecord {
  /** Also the `webhook-id` header: the same for every attempt of this event to this endpoint. */
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly tenantId: string;
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly callId: string;
  readonly status: DeliveryStatus;
  /** Attempts in the current round; a replay starts a new round. */
  readonly attempts: number;
  readonly round: number;
  readonly nextAttemptAt: string | null;
  /** Why the last attempt of a failed delivery failed, in words. */
  readonly failure: string | null;
  readonly attemptLog: readonly DeliveryAttempt[];
  /** When the change it announces was recorded: the start of the scored→delivered latency. */
  readonly occurredAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The exact JSON body every attempt sends. */
  readonly payload: string;
}

/** The message the delivery queue carries: which delivery, in which round. */
export interface DeliveryMessage {
  readonly tenantId: string;
  readonly endpointId: string;
  readonly deliveryId: string;
  readonly round: number;
}

export const deliveryMessageSchema = z.object({
  tenantId: z.string(),
  endpointId: z.string(),
  deliveryId: z.string(),
  round: z.int().check(z.gte(1)),
});

/** What the outbox holds: events to deliver, and deliveries to send again. */
export interface OutboxEvent {
  readonly kind: 'event';
  readonly eventId: string;
  readonly tenantId: string;
  readonly mode: WebhookMode;
  readonly type: WebhookEventType;
  readonly callId: string;
  /** When the change it announces was recorded. */
  readonly occurredAt: string;
  /** The JSON body every endpoint receives. */
  readonly payload: string;
  /** Set on `webhook test`: this endpoint only. */
  readonly targetEndpointId?: string;
}

/** Deliveries put back to pending (replay), to queue again. */
export interface OutboxRedelivery {
  readonly kind: 'redeliver';
  readonly messages: readonly DeliveryMessage[];
}

export type OutboxEntry = OutboxEvent | OutboxRedelivery;

/**
 * Ids. An endpoint id carries its tenant's id body and a delivery id its endpoint's, so the CLI
 * finds either by id alone, without an index. Event ids start with the time in base62, so an
 * endpoint's deliveries sort by time and `replay --since` is a key range.
 */
const tenantBodyOf = (tenantId: string) => tenantId.slice('tnt_'.length);
export const endpointIdPattern = /^ep_([0-9A-Za-z]{16})_([0-9A-Za-z]{12})$/;
export const newEndpointId = (tenantId: string) => `ep_${tenantBodyOf(tenantId)}_${randomBase62(12)}`;
export const tenantIdOfEndpointId = (endpointId: string): string | undefined => {
  const body = endpointIdPattern.exec(endpointId)?.[1];
  return body === undefined ? undefined : `tnt_${body}`;
};

const timePrefixLength = 8;
export const timePrefix = (at: Date) => encodeBase62(at.getTime(), timePrefixLength);
export const newEventId = (at: Date) => `evt_${timePrefix(at)}${randomBase62(14)}`;

export const deliveryIdPattern = /^msg_([0-9A-Za-z]{16})_([0-9A-Za-z]{12})_([0-9A-Za-z]{22})$/;
export const deliveryIdPrefix = (endpointId: string) => `msg_${endpointId.slice('ep_'.length)}_`;
export const deliveryIdFor = (endpointId: string, eventId: string) =>
  `${deliveryIdPrefix(endpointId)}${eventId.slice('evt_'.length)}`;
export const endpointIdOfDeliveryId = (deliveryId: string): string | undefined => {
  const match = deliveryIdPattern.exec(deliveryId);
  return match ? `ep_${match[1]}_${match[2]}` : undefined;
};
