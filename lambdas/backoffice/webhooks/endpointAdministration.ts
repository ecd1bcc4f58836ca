import { AthosError } from '../../domain/errors.js';
import { newCallId, newSessionId } from '../../domain/ids.js';
import type { Clock } from '../../domain/ports.js';
import type { AuditRecord } from '../../domain/records.js';
import {
  maxRequeuePerTransaction,
  type SecretSealer,
  type TenantLookup,
  type UrlVetter,
  type WebhookDeliveryStore,
  type WebhookEndpointStore,
  type WebhookOutbox,
} from '../../domain/webhookPorts.js';
import {
  defaultWebhookEvents,
  deliveryIdFor,
  newEndpointId,
  newEventId,
  webhookEventTypes,
  webhookModes,
  type DeliveryStatus,
  type StoredWebhookSecret,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookMode,
} from '../../domain/webhooks.js';
import { newWebhookSecret } from '../../tokens/webhookSignatures.js';

/**
 * What operators do to a tenant's webhook endpoints and their deliveries (the `athos-admin webhook`
 * commands). Each change is audited with its actor; a secret is returned once and stored sealed.
 */
export interface WebhookAdminPorts {
  readonly tenants: TenantLookup;
  readonly endpoints: WebhookEndpointStore;
  readonly deliveries: WebhookDeliveryStore;
  readonly outbox: WebhookOutbox;
  readonly sealer: SecretSealer;
  readonly urls: UrlVetter;
  readonly clock: Clock;
  /** Who is making the change, for the audit trail. */
  readonly actor: string;
}

const invalid = (message: string) => new AthosError('INVALID_REQUEST', message);

/** Fan-out reads every endpoint of a tenant for every event: keep that read one small page. */
export const maxEndpointsPerTenant = 20;
/** Deliveries are kept 30 days: older ones cannot be replayed. */
const deliveryRetentionMs = 30 * 86_400_000;
const maxOverlapMs = 7 * 86_400_000;

const audit = (
  { clock, actor }: Pick<WebhookAdminPorts, 'clock' | 'actor'>,
  action: AuditRecord['action'],
  details: Record<string, unknown>,
): AuditRecord => ({ at: clock.now().toISOString(), actor, action, details });

const existingEndpoint = async (
  endpoints: Pick<WebhookEndpointStore, 'findEndpoint'>,
  endpointId: string,
): Promise<WebhookEndpointRecord> => {
  const endpoint = await endpoints.findEndpoint(endpointId);
  if (!endpoint) throw invalid(`no webhook endpoint has the id ${endpointId}`);
  return endpoint;
};

const checkedEvents = (events: readonly string[] | undefined): WebhookEventType[] => {
  if (events === undefined) return [...defaultWebhookEvents];
  const unknown = events.filter((event) => !(webhookEventTypes as readonly string[]).includes(event));
  if (unknown.length > 0) throw invalid(`unknown event ${unknown.join(', ')}: use ${webhookEventTypes.join(', ')}`);
  if (events.length === 0) throw invalid(`name at least one event: ${webhookEventTypes.join(', ')}`);
  return [...new Set(events as WebhookEventType[])];
};

const checkedMode = (mode: string | undefined): WebhookMode => {
  if (mode === undefined) return 'live';
  if (!(webhookModes as readonly string[]).includes(mode)) throw invalid(`mode must be ${webhookModes.join(' or ')}`);
  return mode as WebhookMode;
};

/**
 * A new endpoint, enabled, with a fresh signing secret.
 * 1. The tenant must exist; events, mode and description must be valid.
 * 2. The URL must pass the outbound rules (scheme; every address its host resolves to).
 * 3. The secret is sealed before it is stored, and returned this once.
 * @throws AthosError INVALID_REQUEST naming what is wrong (nothing is written then)
 */
export const addEndpoint = async (
  ports: Pick<WebhookAdminPorts, 'tenants' | 'endpoints' | 'sealer' | 'urls' | 'clock' | 'actor'>,
  input: { tenantId: string; url: string; events?: readonly string[]; mode?: string; description?: string | null },
): Promise<{ endpoint: WebhookEndpointRecord; secret: string }> => {
  if (!(await ports.tenants.findTenant(input.tenantId))) throw invalid(`no tenant has the id ${input.tenantId}`);
  const events = checkedEvents(input.events);
  const mode = checkedMode(input.mode);
  const description = input.description?.trim() || null;
  if (description !== null && description.length > 500) throw invalid('description must be at most 500 characters');
  const url = await ports.urls.vet(input.url);
  if ((await ports.endpoints.listEndpoints(input.tenantId)).length >= maxEndpointsPerTenant) {
    throw invalid(`a tenant has at most ${maxEndpointsPerTenant} webhook endpoints`);
  }

  const now = ports.clock.now().toISOString();
  const endpointId = newEndpointId(input.tenantId);
  const secret = newWebhookSecret();
  const endpoint: WebhookEndpointRecord = {
    endpointId,
    tenantId: input.tenantId,
    mode,
    url,
    events,
    description,
    status: 'enabled',
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    secrets: [{ sealed: await ports.sealer.seal(secret, endpointId), createdAt: now, expiresAt: null }],
    createdAt: now,
    updatedAt: now,
  };
  await ports.endpoints.createEndpoint(endpoint, audit(ports, 'webhook.add', { endpointId, url, events, mode }));
  return { endpoint, secret };
};

export const listEndpoints = async (
  ports: Pick<WebhookAdminPorts, 'tenants' | 'endpoints'>,
  input: { tenantId: string },
) => {
  if (!(await ports.tenants.findTenant(input.tenantId))) throw invalid(`no tenant has the id ${input.tenantId}`);
  const [endpoints, auditTrail] = await Promise.all([
    ports.endpoints.listEndpoints(input.tenantId),
    ports.endpoints.listAudit(input.tenantId, 20),
  ]);
  return { endpoints, audit: auditTrail };
};

/**
 * Disables or enables an endpoint. Enabling clears the reason it was disabled and its failure
 * streak, so the five-day rule starts afresh.
 */
export const setEndpointStatus = async (
  ports: Pick<WebhookAdminPorts, 'endpoints' | 'clock' | 'actor'>,
  input: { endpointId: string; status: WebhookEndpointRecord['status'] },
): Promise<WebhookEndpointRecord> => {
  const endpoint = await existingEndpoint(ports.endpoints, input.endpointId);
  if (endpoint.status === input.status) throw invalid(`endpoint ${endpoint.endpointId} is already ${input.status}`);
  const now = ports.clock.now().toISOString();
  const changes =
    input.status === 'disabled'
      ? { status: input.status, disabledReason: `disabled by ${ports.actor}`, disabledAt: now, updatedAt: now }
      : { status: input.status, disabledReason: null, disabledAt: null, failingSince: null, updatedAt: now };
  const action = input.status === 'disabled' ? 'webhook.disable' : 'webhook.enable';
  if (
    !(await ports.endpoints.updateEndpoint(
      endpoint,
      changes,
      audit(ports, action, { endpointId: endpoint.endpointId }),
    ))
  ) {
    throw invalid(`endpoint ${endpoint.endpointId} changed meanwhile; try again`);
  }
  return { ...endpoint, ...changes };
};

/**
 * A new signing secret. The old one keeps signing until the overlap ends, so while a reseller
 * rolls its receivers over, every message carries both signatures and verifies with either.
 */
export const rotateSecret = async (
  ports: Pick<WebhookAdminPorts, 'endpoints' | 'sealer' | 'clock' | 'actor'>,
  input: { endpointId: string; overlapMs: number },
): Promise<{ endpoint: WebhookEndpointRecord; secret: string; previousSecretExpiresAt: string | null }> => {
  if (!Number.isFinite(input.overlapMs) || input.overlapMs < 0 || input.overlapMs > maxOverlapMs) {
    throw invalid('overlap must be from 0 to 7 days');
  }
  const endpoint = await existingEndpoint(ports.endpoints, input.endpointId);
  const now = ports.clock.now();
  const previousExpiresAt = input.overlapMs === 0 ? null : new Date(now.getTime() + input.overlapMs).toISOString();
  const secret = newWebhookSecret();
  const stillSigning = endpoint.secrets.filter(
    (stored) => stored.expiresAt === null || Date.parse(stored.expiresAt) > now.getTime(),
  );
  const secrets: StoredWebhookSecret[] = [
    { sealed: await ports.sealer.seal(secret, endpoint.endpointId), createdAt: now.toISOString(), expiresAt: null },
    ...(previousExpiresAt === null
      ? []
      : stillSigning.map((stored) => ({
          ...stored,
          // A secret already on its way out keeps its own, earlier end.
          expiresAt: stored.expiresAt ?? previousExpiresAt,
        }))),
  ];
  const changes = { secrets, updatedAt: now.toISOString() };
  const entry = audit(ports, 'webhook.rotate-secret', {
    endpointId: endpoint.endpointId,
    previousSecretExpiresAt: previousExpiresAt,
  });
  if (!(await ports.endpoints.updateEndpoint(endpoint, changes, entry))) {
    throw invalid(`endpoint ${endpoint.endpointId} changed meanwhile; try again`);
  }
  return { endpoint: { ...endpoint, ...changes }, secret, previousSecretExpiresAt: previousExpiresAt };
};

/** A made-up call for `webhook test`: plainly a sample, in the shape real events have. */
const sampleEvent = (type: WebhookEventType, at: string): WebhookEvent => ({
  type,
  timestamp: at,
  data: {
    callId: newCallId(),
    sessionId: newSessionId(),
    source: 'roleplay',
    externalUserId: 'rep_sample',
    externalAgencyId: 'agency_sample',
    drillKey: 'ma-full-sale',
    endedAt: at,
    scoredAt: type === 'call.scored' ? at : null,
    overallScore: type === 'call.scored' ? 87 : null,
  },
});

/**
 * Sends a signed sample event to one endpoint, through the real pipeline (outbox, fan-out, queue,
 * sender), so it proves the whole way. The sample is of the first event type it subscribes to.
 * @returns the delivery to watch
 */
export const sendTestEvent = async (
  ports: Pick<WebhookAdminPorts, 'endpoints' | 'outbox' | 'clock'>,
  input: { endpointId: string },
): Promise<{ deliveryId: string; type: WebhookEventType }> => {
  const endpoint = await existingEndpoint(ports.endpoints, input.endpointId);
  if (endpoint.status !== 'enabled') throw invalid(`endpoint ${endpoint.endpointId} is disabled: enable it first`);
  const now = ports.clock.now();
  const type = endpoint.events[0] ?? 'call.scored';
  const event = sampleEvent(type, now.toISOString());
  const eventId = newEventId(now);
  await ports.outbox.addTestEvent({
    eventId,
    tenantId: endpoint.tenantId,
    mode: endpoint.mode,
    type,
    payload: JSON.stringify(event),
    callId: event.data.callId,
    occurredAt: event.timestamp,
    targetEndpointId: endpoint.endpointId,
  });
  return { deliveryId: deliveryIdFor(endpoint.endpointId, eventId), type };
};

export const listDeliveries = async (
  ports: Pick<WebhookAdminPorts, 'endpoints' | 'deliveries'>,
  input: { endpointId: string; status?: DeliveryStatus; limit: number },
): Promise<WebhookDeliveryRecord[]> => {
  await existingEndpoint(ports.endpoints, input.endpointId);
  if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 1_000) {
    throw invalid('limit must be from 1 to 1,000');
  }
  return ports.deliveries.listDeliveries({
    endpointId: input.endpointId,
    limit: input.limit,
    ...(input.status ? { status: input.status } : {}),
  });
};

const replayableEndpoint = async (endpoints: Pick<WebhookEndpointStore, 'findEndpoint'>, endpointId: string) => {
  const endpoint = await existingEndpoint(endpoints, endpointId);
  if (endpoint.status !== 'enabled') throw invalid(`endpoint ${endpointId} is disabled: enable it first`);
  return endpoint;
};

/**
 * Sends one delivery again, from the first step of the schedule, with the same `webhook-id` (a
 * receiver that did process it will know it).
 * @throws AthosError INVALID_REQUEST while it is still being retried, or its endpoint is disabled
 */
export const replayDelivery = async (
  ports: Pick<WebhookAdminPorts, 'endpoints' | 'deliveries' | 'clock' | 'actor'>,
  input: { deliveryId: string },
): Promise<{ deliveryId: string; round: number }> => {
  const delivery = await ports.deliveries.findDelivery(input.deliveryId);
  if (!delivery) throw invalid(`no delivery has the id ${input.deliveryId} (deliveries are kept 30 days)`);
  if (delivery.status === 'pending') {
    throw invalid(
      `delivery ${delivery.deliveryId} is still being delivered (next attempt at ${delivery.nextAttemptAt})`,
    );
  }
  await replayableEndpoint(ports.endpoints, delivery.endpointId);
  const entry = audit(ports, 'webhook.replay', { endpointId: delivery.endpointId, deliveryIds: [delivery.deliveryId] });
  if (!(await ports.deliveries.requeue([delivery], entry.at, entry))) {
    throw invalid(`delivery ${delivery.deliveryId} changed meanwhile; try again`);
  }
  return { deliveryId: delivery.deliveryId, round: delivery.round + 1 };
};

/**
 * Sends again every delivery to the endpoint that failed for good since `since` (Svix's "recover"),
 * after an outage on the reseller's side. Deliveries still being retried are left to their schedule.
 */
export const replayFailedSince = async (
  ports: Pick<WebhookAdminPorts, 'endpoints' | 'deliveries' | 'clock' | 'actor'>,
  input: { endpointId: string; since: Date; onProgress?: (done: number, total: number) => void },
): Promise<{ endpointId: string; replayed: number }> => {
  const now = ports.clock.now();
  if (Number.isNaN(input.since.getTime()) || input.since > now) throw invalid('since must be a time in the past');
  if (now.getTime() - input.since.getTime() > deliveryRetentionMs) {
    throw invalid('since must be within the last 30 days: older deliveries are not kept');
  }
  await replayableEndpoint(ports.endpoints, input.endpointId);
  const failed = await ports.deliveries.listDeliveries({
    endpointId: input.endpointId,
    status: 'failed',
    since: input.since,
    limit: Number.MAX_SAFE_INTEGER,
  });
  let replayed = 0;
  for (let i = 0; i < failed.length; i += maxRequeuePerTransaction) {
    const chunk = failed.slice(i, i + maxRequeuePerTransaction);
    const entry = audit(ports, 'webhook.replay', {
      endpointId: input.endpointId,
      deliveryIds: chunk.map((delivery) => delivery.deliveryId),
    });
    // One that changed meanwhile (replayed by someone else) sends its chunk back untouched.
    if (await ports.deliveries.requeue(chunk, entry.at, entry)) replayed += chunk.length;
    input.onProgress?.(i + chunk.length, failed.length);
  }
  return { endpointId: input.endpointId, replayed };
};
