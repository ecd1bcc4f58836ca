import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { DeliveryMessage } from '../lambdas/domain/webhooks.js';
import { createDocumentClient } from '../lambdas/store/client.js';
import { entityPrefixes } from '../lambdas/store/keys.js';
import { outboxStreamFilter } from '../lambdas/store/webhooks/outbox.js';
import { webhookSealingKeysSetting } from '../lambdas/tokens/webhookSecretSealer.js';
import { LocalQueue } from './queue.js';
import { startQueueEventSource, type QueueHandler } from './queueEventSource.js';
import { queueUrlOf } from './sqsEndpoint.js';
import { startTableStreamSource } from './tableStream.js';

/**
 * The webhook pipeline on a laptop, on the deployed code: the table's stream (DynamoDB Local's)
 * feeds the fan-out handler, which sends to the delivery queue (in-process, reached through the
 * local SQS endpoint), which feeds the sender handler. Only the stand-ins differ from AWS, and two
 * settings: receivers on this machine are allowed (`http://127.0.0.1`, `localhost`), and the retry
 * schedule may be shortened.
 */

export const localWebhookQueueNames = {
  deliveries: 'athos-local-webhook-deliveries',
  deadLetters: 'athos-local-webhook-deliveries-dlq',
};

/** `npm start`'s schedule: the same eight attempts as in AWS, over about two minutes. */
export const localRetrySchedule = '5s,10s,15s,20s,20s,30s,30s';

/** As the stack: enough receives for every attempt, with room for a crash or two. */
const maxReceiveCount = 20;

export interface LocalWebhookQueues {
  readonly deliveries: LocalQueue;
  readonly deadLetters: LocalQueue;
}

/**
 * @param visibilityTimeoutMs how long a message whose sender failed stays hidden before it is
 *   delivered again: 180 s, as the stack; tests shorten it
 */
export const createLocalWebhookQueues = ({ visibilityTimeoutMs = 180_000 } = {}): LocalWebhookQueues => {
  const deadLetters = new LocalQueue(localWebhookQueueNames.deadLetters, { visibilityTimeoutMs: 30_000 });
  const deliveries = new LocalQueue(localWebhookQueueNames.deliveries, {
    visibilityTimeoutMs,
    maxReceiveCount,
    deadLetterQueue: deadLetters,
  });
  return { deliveries, deadLetters };
};

export interface LocalWebhookSettings {
  /** The local SQS endpoint that serves the webhook queues. */
  readonly sqsEndpoint: string;
  /** The key set that seals signing secrets (`.data/local.json` under `npm start`). */
  readonly sealingKeys: string;
  /** @default `localRetrySchedule` */
  readonly retrySchedule?: string;
}

/** What the fan-out and sender handlers read at cold start, as the stack sets it in AWS. */
export const localWebhookEnvironment = (settings: LocalWebhookSettings): Record<string, string> => ({
  SQS_ENDPOINT: settings.sqsEndpoint,
  WEBHOOK_DELIVERY_QUEUE_URL: queueUrlOf(settings.sqsEndpoint, localWebhookQueueNames.deliveries),
  [webhookSealingKeysSetting]: settings.sealingKeys,
  WEBHOOK_RETRY_SCHEDULE: settings.retrySchedule ?? localRetrySchedule,
  WEBHOOK_OUTBOUND_POLICY: 'local',
});

export interface LocalWebhooks {
  /** Stops reading the stream and the queue, after the batches in hand. */
  stop(): Promise<void>;
}

/**
 * Queues once more every delivery still pending, when its next attempt is due. In AWS the delivery
 * queue outlives any function; the local one lives in the process, so a delivery waiting for an
 * attempt when `npm start` stopped would otherwise wait forever. Its old message died with the
 * old process, so this is the only one; a delivery settled meanwhile is dropped by the sender.
 */
const requeuePendingDeliveries = async (queue: LocalQueue, dynamoEndpoint: string, tableName: string) => {
  const db = createDocumentClient({ region: 'us-east-1', endpoint: dynamoEndpoint });
  try {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await db.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(pk, :deliveries) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':deliveries': entityPrefixes.deliveries, ':pending': 'pending' },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const { tenantId, endpointId, deliveryId, round } = item as DeliveryMessage & Record<string, unknown>;
        const dueAt = typeof item.nextAttemptAt === 'string' ? Date.parse(item.nextAttemptAt) : Date.now();
        queue.send(JSON.stringify({ tenantId, endpointId, deliveryId, round } satisfies DeliveryMessage), {
          delayMs: Math.max(0, dueAt - Date.now()),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } finally {
    db.destroy();
  }
};

/**
 * Loads the deployed fan-out and sender handlers (their environment must be set: the table's,
 * and `localWebhookEnvironment`) and feeds them as Lambda would. With a checkpoint file, a restart
 * carries on where the last run stopped: pending deliveries are queued again before the stream
 * resumes after the last record handled, so no event is sent twice or lost.
 */
export const startLocalWebhooks = async (options: {
  readonly queues: LocalWebhookQueues;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** Wraps the sender, e.g. so a test can make it crash mid-batch. */
  readonly wrapSender?: (handler: QueueHandler) => QueueHandler;
  /** Where the table stream's position is kept between runs (`npm start`: in `.data/`). */
  readonly checkpointFile?: string;
}): Promise<LocalWebhooks> => {
  const fanOut = (await import('../lambdas/handlers/webhookFanOut.js')).handler as (
    event: DynamoDBStreamEvent,
  ) => Promise<DynamoDBBatchResponse>;
  const loaded = (await import('../lambdas/handlers/webhookSender.js')).handler as unknown as QueueHandler;
  const sender = options.wrapSender?.(loaded) ?? loaded;
  // Before the stream resumes: a delivery it creates from now on is queued by the fan-out alone.
  await requeuePendingDeliveries(options.queues.deliveries, options.dynamoEndpoint, options.tableName);
  const stream = await startTableStreamSource({
    dynamoEndpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    filter: outboxStreamFilter,
    handler: fanOut,
    ...(options.checkpointFile ? { checkpointFile: options.checkpointFile } : {}),
  });
  const deliveries = startQueueEventSource({ queue: options.queues.deliveries, handler: sender, maxConcurrency: 4 });
  return {
    async stop() {
      await stream.stop();
      await deliveries.stop();
    },
  };
};
