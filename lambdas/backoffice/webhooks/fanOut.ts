import type { Clock, EventQueue } from '../../domain/ports.js';
import type { WebhookDeliveryStore, WebhookEndpointStore } from '../../domain/webhookPorts.js';
import {
  deliveryIdFor,
  type DeliveryMessage,
  type OutboxEntry,
  type OutboxEvent,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
} from '../../domain/webhooks.js';

export interface FanOutPorts {
  readonly endpoints: Pick<WebhookEndpointStore, 'listEndpoints' | 'findEndpoint'>;
  readonly deliveries: Pick<WebhookDeliveryStore, 'createDeliveries'>;
  /** The delivery queue. */
  readonly queue: EventQueue;
  readonly clock: Clock;
}

const messageOf = ({ tenantId, endpointId, deliveryId, round }: DeliveryMessage) => ({
  body: JSON.stringify({ tenantId, endpointId, deliveryId, round } satisfies DeliveryMessage),
});

const deliveryOf = (endpoint: WebhookEndpointRecord, event: OutboxEvent, now: string): WebhookDeliveryRecord => {
  const enabled = endpoint.status === 'enabled';
  return {
    deliveryId: deliveryIdFor(endpoint.endpointId, event.eventId),
    endpointId: endpoint.endpointId,
    tenantId: endpoint.tenantId,
    eventId: event.eventId,
    eventType: event.type,
    callId: event.callId,
    status: enabled ? 'pending' : 'failed',
    attempts: 0,
    round: 1,
    nextAttemptAt: enabled ? now : null,
    failure: enabled ? null : 'the endpoint was disabled when the event happened',
    attemptLog: [],
    occurredAt: event.occurredAt,
    createdAt: now,
    updatedAt: now,
    payload: event.payload,
  };
};

/**
 * Turns one outbox entry into deliveries on the queue (the table stream's consumer).
 * 1. An event goes to each endpoint of its tenant, in its mode, subscribed to its type, that
 *    existed when the event was recorded (a test event to its one endpoint). The last condition
 *    makes a record handled again (a retried batch, a restarted local stream) reach the same
 *    endpoints as the first time, never one added since. A disabled endpoint gets the delivery as
 *    failed, so it can be replayed once the endpoint is enabled again.
 * 2. Deliveries are written before they are queued, and written once: a stream record handled
 *    twice queues again only what was never attempted.
 * 3. A redelivery request (replay) queues the deliveries it names.
 */
export const fanOut = async (ports: FanOutPorts, entry: OutboxEntry): Promise<void> => {
  if (entry.kind === 'redeliver') {
    await ports.queue.send(entry.messages.map(messageOf));
    return;
  }
  const candidates = entry.targetEndpointId
    ? [await ports.endpoints.findEndpoint(entry.targetEndpointId)]
    : await ports.endpoints.listEndpoints(entry.tenantId);
  const subscribed = candidates.filter(
    (endpoint): endpoint is WebhookEndpointRecord =>
      endpoint !== undefined &&
      endpoint.tenantId === entry.tenantId &&
      endpoint.mode === entry.mode &&
      (entry.targetEndpointId !== undefined ||
        (endpoint.events.includes(entry.type) && endpoint.createdAt <= entry.occurredAt)),
  );
  if (subscribed.length === 0) return;
  const now = ports.clock.now().toISOString();
  const toQueue = await ports.deliveries.createDeliveries(
    subscribed.map((endpoint) => deliveryOf(endpoint, entry, now)),
  );
  await ports.queue.send(toQueue.map(messageOf));
};
