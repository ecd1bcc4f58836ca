import { fanOut } from '../backoffice/webhooks/fanOut.js';
import { requireSetting } from '../config.js';
import { systemClock } from '../domain/ports.js';
import { invocationReporter } from '../observability/invocation.js';
import { createSqsClient } from '../queue/client.js';
import { createStreamHandler } from '../queue/createStreamHandler.js';
import { createSqsEventQueue } from '../queue/sqsEventQueue.js';
import { config, table } from '../runtime.js';
import { createWebhookDeliveryStore } from '../store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../store/webhooks/endpoints.js';
import { outboxEntryOf } from '../store/webhooks/outbox.js';

const ports = {
  endpoints: createWebhookEndpointStore(table),
  deliveries: createWebhookDeliveryStore(table),
  queue: createSqsEventQueue(
    createSqsClient({ region: config.region, endpoint: config.sqsEndpoint }),
    requireSetting(config.webhookDeliveryQueueUrl, 'WEBHOOK_DELIVERY_QUEUE_URL'),
  ),
  clock: systemClock,
};

/** The table stream's consumer: each new outbox item becomes deliveries on the delivery queue. */
export const handler = createStreamHandler(invocationReporter('webhookFanOut', config), outboxEntryOf, (entry) =>
  fanOut(ports, entry),
);
