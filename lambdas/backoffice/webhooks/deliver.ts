import type { Clock } from '../../domain/ports.js';
import type {
  PostResult,
  SecretSealer,
  WebhookDeliveryStore,
  WebhookEndpointStore,
  WebhookMetrics,
  WebhookPoster,
} from '../../domain/webhookPorts.js';
import { nextStep, parseRetryAfter, type AttemptResult } from '../../domain/webhookRetries.js';
import type { DeliveryAttempt, DeliveryMessage, WebhookEndpointRecord } from '../../domain/webhooks.js';
import type { Logger } from '../../observability/log.js';
import { signWebhook } from '../../tokens/webhookSignatures.js';

export interface DeliverPorts {
  readonly deliveries: Pick<WebhookDeliveryStore, 'findForSending' | 'recordAttempt'>;
  readonly endpoints: Pick<WebhookEndpointStore, 'updateEndpoint' | 'noteFailing' | 'noteAnswering'>;
  readonly sealer: SecretSealer;
  readonly poster: WebhookPoster;
  readonly clock: Clock;
  /** The waits after each failed attempt. */
  readonly schedule: readonly number[];
  readonly metrics: WebhookMetrics;
  readonly log: Logger;
}

const resultOf = (post: PostResult, now: Date): AttemptResult => {
  if ('errorClass' in post) return { kind: 'failed' };
  if (post.statusCode >= 200 && post.statusCode < 300) return { kind: 'delivered' };
  if (post.statusCode === 410) return { kind: 'gone' };
  const retryAfterMs = parseRetryAfter(post.retryAfter, now);
  return retryAfterMs === undefined ? { kind: 'failed' } : { kind: 'failed', retryAfterMs };
};

const secretsInUse = (endpoint: WebhookEndpointRecord, now: Date) =>
  endpoint.secrets.filter((stored) => stored.expiresAt === null || Date.parse(stored.expiresAt) > now.getTime());

/**
 * One attempt of one delivery (the delivery queue's consumer).
 * 1. Read the delivery and its endpoint. A message for a delivery already settled, expired or in
 *    another round (replayed since) is done: nothing is sent.
 * 2. A disabled or deleted endpoint fails the delivery without a request.
 * 3. Sign with every secret in use (both during a rotation's overlap) and POST, within the
 *    outbound rules.
 * 4. Record the attempt and what follows (`nextStep`): delivered, retried later, or failed; an
 *    endpoint that answered 410, or has failed for 5 days, is disabled, with an audit record, a log
 *    line and a metric.
 * @returns when to try again, or undefined when this message is done
 */
export const deliverWebhook = async (
  ports: DeliverPorts,
  message: DeliveryMessage,
): Promise<{ retryInMs?: number }> => {
  const { delivery, endpoint } = await ports.deliveries.findForSending(message);
  if (!delivery || delivery.status !== 'pending' || delivery.round !== message.round) return {};
  const now = ports.clock.now();

  if (!endpoint || endpoint.status !== 'enabled') {
    const attempt: DeliveryAttempt = {
      at: now.toISOString(),
      statusCode: null,
      latencyMs: 0,
      errorClass: 'endpoint_disabled',
    };
    const failure = endpoint
      ? `the endpoint is disabled (${endpoint.disabledReason})`
      : 'the endpoint no longer exists';
    if (await ports.deliveries.recordAttempt(delivery, attempt, { status: 'failed', nextAttemptAt: null, failure })) {
      ports.metrics.deliveryFailed();
    }
    return {};
  }

  const secrets = await Promise.all(
    secretsInUse(endpoint, now).map((stored) => ports.sealer.open(stored.sealed, endpoint.endpointId)),
  );
  const headers = signWebhook(secrets, { id: delivery.deliveryId, at: now, body: delivery.payload });
  const post = await ports.poster.post(endpoint.url, { ...headers }, delivery.payload);
  const after = ports.clock.now();
  const result = resultOf(post, after);
  const attempt: DeliveryAttempt = {
    at: now.toISOString(),
    statusCode: 'statusCode' in post ? post.statusCode : null,
    latencyMs: post.latencyMs,
    errorClass: 'errorClass' in post ? post.errorClass : result.kind === 'delivered' ? null : 'http_status',
  };
  const failingSince = result.kind === 'delivered' ? null : (endpoint.failingSince ?? attempt.at);
  const step = nextStep({ result, attempt: delivery.attempts + 1, schedule: ports.schedule, failingSince, now: after });

  const recorded = await ports.deliveries.recordAttempt(
    delivery,
    attempt,
    step.action === 'succeed'
      ? { status: 'succeeded', nextAttemptAt: null, failure: null }
      : step.action === 'retry'
        ? { status: 'pending', nextAttemptAt: new Date(after.getTime() + step.delayMs).toISOString(), failure: null }
        : { status: 'failed', nextAttemptAt: null, failure: step.failure },
  );
  // Another sender recorded this attempt first (a message seen twice): it moves the delivery on.
  if (!recorded) return {};

  if (attempt.errorClass) ports.metrics.attemptFailed(attempt.errorClass);
  if (step.action === 'succeed') {
    ports.metrics.delivered(after.getTime() - Date.parse(delivery.occurredAt));
    if (endpoint.failingSince !== null) await ports.endpoints.noteAnswering(endpoint);
    return {};
  }
  if (endpoint.failingSince === null) await ports.endpoints.noteFailing(endpoint, attempt.at);
  if (step.action === 'retry') return { retryInMs: step.delayMs };

  ports.metrics.deliveryFailed();
  if (step.disableEndpoint) await disableEndpoint(ports, endpoint, step.disableEndpoint, after);
  return {};
};

const disableEndpoint = async (
  ports: Pick<DeliverPorts, 'endpoints' | 'metrics' | 'log'>,
  endpoint: WebhookEndpointRecord,
  reason: string,
  now: Date,
) => {
  const at = now.toISOString();
  const disabled = await ports.endpoints.updateEndpoint(
    endpoint,
    { status: 'disabled', disabledReason: reason, disabledAt: at, updatedAt: at },
    { at, actor: 'webhook sender', action: 'webhook.disable', details: { endpointId: endpoint.endpointId, reason } },
  );
  // Not disabled here means an operator changed the endpoint meanwhile: their change stands.
  if (!disabled) return;
  ports.metrics.endpointDisabled(reason);
  ports.log.warn('webhook endpoint disabled', {
    tenantId: endpoint.tenantId,
    endpointId: endpoint.endpointId,
    reason,
  });
};
