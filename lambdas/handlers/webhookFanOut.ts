import { SQSClient } from '@aws-sdk/client-sqs';
import { createStreamConsumer } from '../backoffice/consumers.js';
import { fanOut } from '../backoffice/webhooks/fanOut.js';
import { readWebhookSettings, required } from '../backoffice/webhooks/settings.js';
import { createSqsDeliveryQueue } from '../backoffice/webhooks/sqsDeliveryQueue.js';
import { systemClock } from '../domain/ports.js';
import { config, table } from '../runtime.js';
import { createWebhookDeliveryStore } from '../store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../store/webhooks/endpoints.js';
import { outboxEntryOf } from '../store/webhooks/outbox.js';

/** The table stream's consumer: each new outbox item becomes deliveries on the delivery queue. */
const settings = readWebhookSettings(process.env);
const ports = {
  endpoints: createWebhookEndpointStore(table),
  deliveries: createWebhookDeliveryStore(table),
  queue: createSqsDeliveryQueue(
    new SQSClient({ region: config.region }),
    required(settings.deliveryQueueUrl, 'DELIVERY_QUEUE_URL'),
  ),
  clock: systemClock,
};

export const handler = createStreamConsumer(outboxEntryOf, (entry) => fanOut(ports, entry));
