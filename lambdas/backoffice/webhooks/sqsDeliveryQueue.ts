import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, MessageVisibility } from '../../domain/webhookPorts.js';
import { maxRetryDelayMs } from '../../domain/webhookRetries.js';

/** The delivery queue in AWS: SQS, as the fan-out (send) and the sender (hold back) use it. */
export const createSqsDeliveryQueue = (sqs: SQSClient, queueUrl: string): DeliveryQueue & MessageVisibility => ({
  async enqueue(messages) {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages
        .slice(i, i + 10)
        .map((message, n) => ({ Id: String(n), MessageBody: JSON.stringify(message) }));
      // SendMessageBatch can refuse some entries and accept the rest: send those again, or fail
      // the stream record so that Lambda retries it (fan-out queues only what was never attempted).
      for (let round = 0; entries.length > 0; round++) {
        const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        if (Failed.length > 0 && round === 2) throw new Error(`SQS refused ${Failed.length} delivery messages`);
        const failed = new Set(Failed.map((entry) => entry.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
      }
    }
  },

  async hide(receiptHandle, ms) {
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(maxRetryDelayMs / 1000, Math.ceil(Math.max(0, ms) / 1000)),
      }),
    );
  },
});
