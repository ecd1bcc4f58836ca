import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createQueueConsumer } from '../backoffice/consumers.js';
import { deliverWebhook } from '../backoffice/webhooks/deliver.js';
import { emfWebhookMetrics } from '../backoffice/webhooks/emfMetrics.js';
import { createWebhookPoster } from '../backoffice/webhooks/outbound.js';
import { readWebhookSettings, required } from '../backoffice/webhooks/settings.js';
import { createSqsDeliveryQueue } from '../backoffice/webhooks/sqsDeliveryQueue.js';
import { systemClock } from '../domain/ports.js';
import { deliveryMessageSchema } from '../domain/webhooks.js';
import { config, table } from '../runtime.js';
import { createWebhookDeliveryStore } from '../store/webhooks/deliveries.js';
import { createWebhookEndpointStore } from '../store/webhooks/endpoints.js';
import { createKmsSecretSealer } from '../tokens/kmsSecretSealer.js';

/** The delivery queue's consumer: one signed POST per message, retried by holding the message back. */
const settings = readWebhookSettings(process.env);
const queue = createSqsDeliveryQueue(
  new SQSClient({ region: config.region }),
  required(settings.deliveryQueueUrl, 'DELIVERY_QUEUE_URL'),
);
const ports = {
  deliveries: createWebhookDeliveryStore(table),
  endpoints: createWebhookEndpointStore(table),
  sealer: createKmsSecretSealer(
    new KMSClient({ region: config.region }),
    required(settings.kmsKeyId, 'WEBHOOK_KMS_KEY_ID'),
  ),
  poster: createWebhookPoster({ policy: settings.outboundPolicy }),
  clock: systemClock,
  schedule: settings.retrySchedule,
  metrics: emfWebhookMetrics,
};

export const handler = createQueueConsumer(deliveryMessageSchema, (message) => deliverWebhook(ports, message), queue);
