import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WebhookOutbox } from '../../domain/webhookPorts.js';
import { liveTenantOf } from '../../domain/testMode.js';
import {
  newEventId,
  timePrefix,
  webhookEventOf,
  type AnnouncedCall,
  type DeliveryMessage,
  type OutboxEntry,
  type OutboxEvent,
  type WebhookEventType,
} from '../../domain/webhooks.js';
import { randomBase62 } from '../../domain/random.js';
import { entityPrefixes, outboxKey } from '../keys.js';
import type { Table, TransactItem } from '../table.js';

/**
 * The outbox: an item per event to deliver, written in the same transaction as the change it
 * reports, so an event exists exactly when its change does. The table's stream hands each new
 * outbox item to the fan-out; nothing reads the outbox otherwise, and TTL clears it.
 */
const outboxRetentionSeconds = 7 * 86_400;

/** Which stream records the fan-out wants: new outbox items. The stack and the local runner share it. */
export const outboxStreamFilter = { eventName: 'INSERT', keyPrefix: entityPrefixes.outbox } as const;

const expiresAtEpoch = (at: string) => Math.ceil(Date.parse(at) / 1000) + outboxRetentionSeconds;

const outboxPut = (table: Table, id: string, entry: OutboxEntry, at: string): TransactItem => ({
  Put: {
    TableName: table.name,
    Item: { ...outboxKey(id), ...entry, createdAt: at, expiresAtEpoch: expiresAtEpoch(at) },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * The outbox items announcing `types` about the call, for the transaction that makes the change.
 * Endpoints belong to the live tenant, in a mode: a test-mode call is announced to its tenant's
 * test endpoints.
 */
export const webhookOutboxItems = (
  table: Table,
  call: AnnouncedCall,
  types: readonly WebhookEventType[],
  recordedAt: string,
): TransactItem[] =>
  types.map((type) => {
    const eventId = newEventId(new Date(recordedAt));
    const event: OutboxEvent = {
      kind: 'event',
      eventId,
      tenantId: liveTenantOf(call.tenantId),
      mode: call.mode ?? 'live',
      type,
      callId: call.callId,
      occurredAt: recordedAt,
      payload: JSON.stringify(webhookEventOf(call, type)),
    };
    return outboxPut(table, eventId, event, recordedAt);
  });

/** The outbox item that queues deliveries again, for the transaction that puts them back to pending. */
export const redeliveryOutboxItem = (table: Table, messages: readonly DeliveryMessage[], at: string): TransactItem =>
  outboxPut(table, `rdl_${timePrefix(new Date(at))}${randomBase62(14)}`, { kind: 'redeliver', messages }, at);

/** An outbox entry from a stream record's new image (unmarshalled), or undefined for anything else. */
export const outboxEntryOf = (image: Record<string, unknown>): OutboxEntry | undefined => {
  if (typeof image.pk !== 'string' || !image.pk.startsWith(entityPrefixes.outbox)) return undefined;
  const { pk: _pk, sk: _sk, createdAt: _at, expiresAtEpoch: _ttl, ...entry } = image;
  return entry.kind === 'event' || entry.kind === 'redeliver' ? (entry as unknown as OutboxEntry) : undefined;
};

export const createWebhookOutbox = (table: Table): WebhookOutbox => ({
  async addTestEvent(event) {
    const item = outboxPut(table, event.eventId, { kind: 'event', ...event }, event.occurredAt).Put;
    await table.db.send(new PutCommand(item as ConstructorParameters<typeof PutCommand>[0]));
  },
});
