import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
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
 * Loads the deployed fan-out and sender handlers (their environment must be set: the table's,
 * and `localWebhookEnvironment`) and feeds them as Lambda would.
 */
export const startLocalWebhooks = async (options: {
  readonly queues: LocalWebhookQueues;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** Wraps the sender, e.g. so a test can make it crash mid-batch. */
  readonly wrapSender?: (handler: QueueHandler) => QueueHandler;
}): Promise<LocalWebhooks> => {
  const fanOut = (await import('../lambdas/handlers/webhookFanOut.js')).handler as (
    event: DynamoDBStreamEvent,
    context: Context,
  ) => Promise<DynamoDBBatchResponse>;
  const loaded = (await import('../lambdas/handlers/webhookSender.js')).handler as unknown as QueueHandler;
  const sender = options.wrapSender?.(loaded) ?? loaded;
  const stream = await startTableStreamSource({
    dynamoEndpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    filter: outboxStreamFilter,
    handler: fanOut,
  });
  const deliveries = startQueueEventSource({ queue: options.queues.deliveries, handler: sender, maxConcurrency: 4 });
  return {
    async stop() {
      await stream.stop();
      await deliveries.stop();
    },
  };
};
