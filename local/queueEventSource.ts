import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext } from './gateway.js';
import type { LocalQueue, ReceivedMessage } from './queue.js';
import { queueArnOf } from './sqsEndpoint.js';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface QueueEventSourceOptions {
  readonly queue: LocalQueue;
  readonly handler: QueueHandler;
  /** @default 10 */
  readonly batchSize?: number;
  /** Batches handled at once. @default 2 */
  readonly maxConcurrency?: number;
}

export interface QueueEventSource {
  /** Stops polling and waits for the batches in hand to finish. */
  stop(): Promise<void>;
}

const toSqsEvent = (queue: LocalQueue, messages: readonly ReceivedMessage[]): SQSEvent => ({
  Records: messages.map((message) => ({
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArnOf(queue.name),
    awsRegion: 'us-east-1',
  })),
});

/**
 * Lambda's SQS event source mapping, locally: polls the queue, hands the handler batches shaped as
 * Lambda hands them, deletes what succeeded, and leaves each reported failure (or the whole batch,
 * if the handler throws) to reappear after the visibility timeout, as SQS does.
 */
export const startQueueEventSource = (options: QueueEventSourceOptions): QueueEventSource => {
  const { queue, handler } = options;
  let stopping = false;
  const poll = async () => {
    while (!stopping) {
      const messages = await queue.receive({ max: options.batchSize ?? 10, waitMs: 1_000 });
      if (messages.length === 0) continue;
      let failed: Set<string>;
      try {
        const response = await handler(toSqsEvent(queue, messages), lambdaContext(randomUUID()));
        failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      } catch {
        failed = new Set(messages.map((message) => message.messageId));
      }
      for (const message of messages) {
        if (!failed.has(message.messageId)) queue.delete(message.receiptHandle);
      }
    }
  };
  const pollers = Array.from({ length: options.maxConcurrency ?? 2 }, poll);
  return {
    async stop() {
      stopping = true;
      await Promise.all(pollers);
    },
  };
};
