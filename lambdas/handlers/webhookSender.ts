import { deliverWebhook } from '../backoffice/webhooks/deliver.js';
import { createEmfWebhookMetrics, webhookSenderOperation } from '../backoffice/webhooks/emfMetrics.js';
import { createWebhookPoster } from '../backoffice/webhooks/outbound.js';
import { requireSetting } from '../config.js';
import { environment } from '../environment.js';
import { systemClock } from '../domain/ports.js';
import { deliveryMessageSchema } from '../domain/webhooks.js';
import { invocationReporter } from '../observability/invocation.js';
import { createSqsClient } from '../queue/client.js';
import { createQueueHandler, HeldBack } from '../queue/createQueueHandler.js';
import { createSqsVisibility } from '../queue/sqsVisibility.js';
import { config, table } from '../runtime.js';
import { createWebhookDeliveryStore } from '../store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../store/webhooks/endpoints.js';
import { createWebhookSecretSealer } from '../tokens/webhookSecretSealer.js';

const visibility = createSqsVisibility(
  createSqsClient({ region: config.region, endpoint: config.sqsEndpoint }),
  requireSetting(config.webhookDeliveryQueueUrl, 'WEBHOOK_DELIVERY_QUEUE_URL'),
);
const ports = {
  deliveries: createWebhookDeliveryStore(table),
  endpoints: createWebhookEndpointStore(table),
  sealer: createWebhookSecretSealer({ region: config.region, kmsKeyId: config.webhookKmsKeyId, env: environment() }),
  poster: createWebhookPoster({ policy: config.webhookOutboundPolicy }),
  clock: systemClock,
  schedule: config.webhookRetrySchedule,
};

/**
 * The delivery queue's consumer: one signed POST per message. A failed attempt holds its message
 * back until the next one is due; a message that cannot be read fails until SQS moves it to the
 * dead-letter queue.
 */
export const handler = createQueueHandler(
  invocationReporter(webhookSenderOperation, config),
  async (record, { log }) => {
    const { retryInMs } = await deliverWebhook(
      { ...ports, log, metrics: createEmfWebhookMetrics(log, config.metricsNamespace) },
      deliveryMessageSchema.parse(JSON.parse(record.body)),
    );
    if (retryInMs === undefined) return;
    await visibility.hide(record.receiptHandle, retryInMs);
    throw new HeldBack(retryInMs);
  },
);
